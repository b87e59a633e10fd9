import type { BankAccountFormInput } from '@shared/validation';
import type { BankAccountService } from '../clients/bank-accounts';
import type { BusinessClientService } from '../clients/business-clients';
import type { ClientService } from '../clients/client-service';
import { decodeBase64File } from '../clients/kyc-files';
import type { WalletOwnership } from '../clients/wallet-ownership';
import type { AreaHandlers } from './types';

export const clientHandlers = (clients: ClientService, bankAccounts: BankAccountService, ownership: WalletOwnership, business: BusinessClientService): AreaHandlers<'clients'> => ({
  create: (request, context) => clients.create(request, context.operator),
  update: ({ clientId, ...fields }, context) => clients.update(clientId, fields, context.operator),
  get: ({ clientId }) => clients.get(clientId),
  list: (request) => clients.list(request),
  addIdentityDocument: ({ clientId, front, back, ...document }, context) =>
    clients.addIdentityDocument(
      clientId,
      { ...document, front: decodeBase64File(front), ...(back ? { back: decodeBase64File(back) } : {}) },
      context.operator,
    ),
  addProofOfAddress: ({ clientId, issuedOn, file }, context) => clients.addProofOfAddress(clientId, { issuedOn, file: decodeBase64File(file) }, context.operator),
  addCompanyDocument: ({ clientId, type, issuedOn, file }, context) => business.addCompanyDocument(clientId, { type, issuedOn, file: decodeBase64File(file) }, context.operator),
  addBeneficialOwner: ({ clientId, ...owner }, context) => business.addBeneficialOwner(clientId, owner, context.operator),
  removeBeneficialOwner: ({ clientId, personClientId, reason }, context) => business.removeBeneficialOwner(clientId, personClientId, reason, context.operator),
  submitKyc: ({ clientId }, context) => clients.changeStatus(clientId, 'submit', context.operator),
  verifyKyc: ({ clientId }, context) => clients.changeStatus(clientId, 'verify', context.operator),
  rejectKyc: ({ clientId, reason }, context) => clients.changeStatus(clientId, 'reject', context.operator, reason),
  suspendKyc: ({ clientId, reason }, context) => clients.changeStatus(clientId, 'suspend', context.operator, reason),
  reinstateKyc: ({ clientId }, context) => clients.changeStatus(clientId, 'reinstate', context.operator),
  verifyKycFiles: () => clients.verifyFiles(),
  addBankAccount: ({ clientId, account }, context) => bankAccounts.add(clientId, account as BankAccountFormInput, context.operator),
  verifyBankAccount: ({ bankAccountId, evidence }, context) => bankAccounts.verify(bankAccountId, evidence, context.operator),
  disableBankAccount: ({ bankAccountId, reason }, context) => bankAccounts.disable(bankAccountId, reason, context.operator),
  bankAccounts: ({ clientId }) => bankAccounts.list(clientId),
  associateWallet: ({ clientId, walletId }, context) => ownership.associate(clientId, walletId, context.operator),
  wallets: ({ clientId }) => ownership.list(clientId),
});
