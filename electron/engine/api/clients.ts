import type { BankAccountFormInput } from '@shared/validation';
import type { BankAccountService } from '../clients/bank-accounts';
import type { BusinessClientService } from '../clients/business-clients';
import type { ClientService } from '../clients/client-service';
import { decodeBase64File } from '../clients/kyc-files';
import type { WalletOwnership } from '../clients/wallet-ownership';
import type { ClientErasure } from '../clients/erasure';
import type { AreaHandlers } from './types';
import { bankAccountActions, clientActions } from '../controls/allowed-actions';
import { requireOperator } from '../withdraw/withdrawal-service';

export const clientHandlers = (
  clients: ClientService,
  bankAccounts: BankAccountService,
  ownership: WalletOwnership,
  erasure: ClientErasure,
  business: BusinessClientService,
  /** Seals rows from before sealing once the seed is open: search finds them from then on. */
  sealExisting: () => Promise<unknown>,
): AreaHandlers<'clients'> => ({
  create: (request, context) => clients.create(request, context.operator),
  update: ({ clientId, ...fields }, context) => clients.update(clientId, fields, context.operator),
  get: async ({ clientId }, context) => {
    const client = await clients.get(clientId);
    return { ...client, allowedActions: clientActions(client, context) };
  },
  list: async (request) => {
    await sealExisting();
    return clients.list(request);
  },
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
  setRiskLevel: ({ clientId, riskLevel, reason }, context) => clients.setRiskLevel(clientId, riskLevel, reason, requireOperator(context, "assess a client's risk")),
  documentFile: async ({ clientId, sha256 }, context) => {
    const file = await clients.openDocumentFile(clientId, sha256, requireOperator(context, "view a client's document"));
    return { mediaType: file.mediaType, base64: file.content.toString('base64') };
  },
  verifyKycFiles: () => clients.verifyFiles(),
  addBankAccount: ({ clientId, account }, context) => bankAccounts.add(clientId, account as BankAccountFormInput, context.operator),
  verifyBankAccount: ({ bankAccountId, evidence }, context) => bankAccounts.verify(bankAccountId, evidence, context.operator),
  disableBankAccount: ({ bankAccountId, reason }, context) => bankAccounts.disable(bankAccountId, reason, context.operator),
  bankAccounts: async ({ clientId }, context) => (await bankAccounts.list(clientId)).map((account) => ({ ...account, allowedActions: bankAccountActions(account, context) })),
  associateWallet: ({ clientId, walletId }, context) => ownership.associate(clientId, walletId, context.operator),
  wallets: ({ clientId }) => ownership.list(clientId),
  close: ({ clientId, reason }, context) => erasure.close(clientId, reason, context.operator),
  requestErasure: ({ clientId, reason }, context) => erasure.request(clientId, reason, context.operator),
  decideErasure: ({ requestId, approve, note }, context) => erasure.decide(requestId, approve, note, context.operator),
  erasureRequests: ({ clientId }) => erasure.list(clientId),
  retention: () => erasure.retention(),
  setRetention: (settings, context) => erasure.setRetention(settings, context.operator),
});
