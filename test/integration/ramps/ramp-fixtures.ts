import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { Chain } from '@shared/domain/chains';
import { checker } from '@test/controls';
import { callOk, type TestEngine } from '@test/engine';
import { CLIENT, IDENTITY, LEGAL_NAME, PROOF } from '../clients/kyc-fixtures';

export const COMPANY_IBAN = 'BE68539007547034';

/** The company's receiving account for SEPA on-ramps. */
export async function configureReceiving(t: TestEngine): Promise<void> {
  await callOk(t.engine, 'ramps:settings:setReceivingAccount', { rail: 'sepa', beneficiary: 'Treasury Devnet SA', account: { iban: COMPANY_IBAN, bic: 'GEBABEBB' } });
}

export interface RampClient {
  client: ClientView;
  wallet: WalletView;
  bankAccount: BankAccountView;
}

/** A KYC-verified client with an active wallet on `chain` and a verified SEPA account (the admin submits, an officer verifies). */
export async function rampClient(t: TestEngine, chain: Chain, taxId = CLIENT.taxId): Promise<RampClient> {
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
  const client = await ok<ClientView>('clients:create', { ...CLIENT, taxId });
  await ok('clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
  await ok('clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
  const officer = await checker(t);
  await ok('clients:kyc:submit', { clientId: client.id });
  await callOk(t.engine, 'clients:kyc:verify', { clientId: client.id }, officer);
  const wallet = await ok<WalletView>('wallets:create', { chain, label: `${LEGAL_NAME} ${chain}` });
  await ok('clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
  const added = await ok<BankAccountView>('clients:bankAccounts:add', {
    clientId: client.id,
    account: { rail: 'sepa', holderName: LEGAL_NAME, iban: 'DE89 3704 0044 0532 0130 00' },
  });
  const bankAccount = await callOk<BankAccountView>(t.engine, 'clients:bankAccounts:verify', { bankAccountId: added.id, evidence: 'statement shows name and IBAN' }, officer);
  return { client: await ok<ClientView>('clients:get', { clientId: client.id }), wallet, bankAccount };
}
