import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
import type { CompanyCreditView } from '@shared/domain/controls';
import type { CallContext } from '@engine/api/types';
import { applyPolicy, refusedAndAudited } from '@test/controls';
import { callOk, TEST_ADMIN, TEST_PASSPHRASE } from '@test/engine';
import { CLIENT, IDENTITY, LEGAL_NAME, PROOF } from '../clients/kyc-fixtures';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * Four eyes in the engine, on the Polygon devnet: nobody checks what they made, whatever their roles (the
 * admin holds them all): approving and signing a withdrawal, verifying or rejecting KYC, verifying a bank
 * account, approving a whitelisting, which then waits out its time lock on the engine's clock. The actions
 * each operator is offered on an item follow the same rules (the requester is never offered Approve).
 */
const USDT = 1_000_000n;
const WHITELISTED = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
let clock = Date.now();
let bench: ControlsBench;
let wallet: WalletView;
let admin: { name: string; context: CallContext };
let keys = 0;

/** The admin's own session, signed in again after the clock jumps past the idle timeout. */
async function signInAdmin(): Promise<void> {
  const opened = await bench.t.door.call('system:signIn', { operator: TEST_ADMIN, passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(opened.error.message);
  admin = { name: TEST_ADMIN, context: { door: 'test', session: (opened.data as { session: { token: string } }).session.token } };
}
const as = <T>(who: { context: CallContext }, channel: string, payload: unknown) => callOk<T>(bench.t.engine, channel, payload, who as never);

beforeAll(async () => {
  bench = await startControlsBench({ clock: () => clock });
  await signInAdmin();
  const client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  wallet = await fundedWallet(bench, 'four eyes', 1_000n * USDT, client.id);
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

const request = (destination = DESTINATION) =>
  as<WithdrawalView>(admin, 'withdrawals:request', { idempotencyKey: `four-eyes-${++keys}`, walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), destination });

describe('withdrawals', () => {
  it('the admin who requested can neither approve nor sign it, and is offered neither', async () => {
    const requested = await request();
    expect((await as<WithdrawalView>(admin, 'withdrawals:get', { withdrawalId: requested.id })).allowedActions).toEqual(['cancel']);
    expect((await as<WithdrawalView>(bench.approver, 'withdrawals:get', { withdrawalId: requested.id })).allowedActions).toEqual(['approve', 'cancel']);
    expect((await as<WithdrawalView>(bench.officer, 'withdrawals:get', { withdrawalId: requested.id })).allowedActions).toEqual(['cancel']);

    const refusal = await refusedAndAudited(bench.t, 'withdrawals:approve', { withdrawalId: requested.id }, 'maker_checker', admin);
    expect(refusal).toMatchObject({ operator: 'admin', change: { details: { withdrawalId: requested.id, maker: 'admin', rule: 'maker_checker' } } });

    const approved = await as<WithdrawalView>(bench.approver, 'withdrawals:approve', { withdrawalId: requested.id });
    expect(approved).toMatchObject({ state: 'approved', approvedBy: bench.approver.name });
    const listed = await as<{ items: WithdrawalView[] }>(admin, 'withdrawals:list', { limit: 10 });
    expect(listed.items.find((w) => w.id === requested.id)?.allowedActions).toEqual(['cancel']);
    expect((await as<WithdrawalView>(bench.approver, 'withdrawals:get', { withdrawalId: requested.id })).allowedActions).toEqual(['sign', 'cancel']);

    await refusedAndAudited(bench.t, 'withdrawals:sign', { withdrawalId: requested.id }, 'maker_checker', admin);
    const signed = await as<WithdrawalView>(bench.approver, 'withdrawals:sign', { withdrawalId: requested.id });
    expect(signed).toMatchObject({ state: 'broadcast', signedBy: bench.approver.name });
    await refusedAndAudited(bench.t, 'withdrawals:replace', { withdrawalId: requested.id }, 'maker_checker', admin);
  });
});

describe('KYC and bank accounts', () => {
  it('whoever submitted a KYC file neither verifies nor rejects it; another officer does', async () => {
    const client = await as<ClientView>(admin, 'clients:create', { ...CLIENT, taxId: { country: 'AR', kind: 'cuit', value: '30-50001091-2' }, email: 'kyc@example.com' });
    await as(admin, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
    await as(admin, 'clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
    await as(admin, 'clients:kyc:submit', { clientId: client.id });
    await refusedAndAudited(bench.t, 'clients:kyc:verify', { clientId: client.id }, 'maker_checker', admin);
    await refusedAndAudited(bench.t, 'clients:kyc:reject', { clientId: client.id, reason: 'looks fine to me' }, 'maker_checker', admin);
    expect(await as<ClientView>(bench.officer, 'clients:kyc:verify', { clientId: client.id })).toMatchObject({ kycStatus: 'verified' });
  });

  it('whoever added a bank account does not verify it; another officer does', async () => {
    const client = await verifiedClient(bench, { country: 'ES', kind: 'nif', value: '12345678Z' });
    const account = await as<BankAccountView>(admin, 'clients:bankAccounts:add', {
      clientId: client.id,
      account: { rail: 'sepa', holderName: LEGAL_NAME, iban: 'DE89 3704 0044 0532 0130 00' },
    });
    await refusedAndAudited(bench.t, 'clients:bankAccounts:verify', { bankAccountId: account.id, evidence: 'my own word' }, 'maker_checker', admin);
    expect(await as<BankAccountView>(bench.officer, 'clients:bankAccounts:verify', { bankAccountId: account.id, evidence: 'bank statement' })).toMatchObject({
      status: 'verified',
      verifiedBy: bench.officer.name,
    });
  });
});

describe('company credit (always uncovered)', () => {
  const balance = (walletId: string) => bench.t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId });

  it('is only asked for by one operator; another with approval rights books it, never its requester', async () => {
    const before = await balance(wallet.id);
    const asked = await as<CompanyCreditView>(admin, 'transfers:companyCredit', { idempotencyKey: 'credit-four-eyes', walletId: wallet.id, assetId: ASSET, amount: (7n * USDT).toString(), reason: 'goodwill' });
    expect(asked).toMatchObject({ state: 'requested', requestedBy: 'admin', transferId: null });
    expect(await balance(wallet.id)).toEqual(before);
    const offered = async (who: { context: CallContext }) =>
      (await as<{ items: CompanyCreditView[] }>(who, 'transfers:companyCredits', { state: 'requested', limit: 10 })).items.find((c) => c.id === asked.id)!.allowedActions;
    expect(await offered(admin)).toEqual(['reject']);
    expect(await offered(bench.approver)).toEqual(['approve', 'reject']);
    expect(await offered(bench.officer)).toEqual(['reject']);

    await refusedAndAudited(bench.t, 'transfers:approveCompanyCredit', { creditId: asked.id }, 'maker_checker', admin);
    const booked = await as<CompanyCreditView>(bench.approver, 'transfers:approveCompanyCredit', { creditId: asked.id });
    expect(booked).toMatchObject({ state: 'approved', decidedBy: bench.approver.name, transferId: expect.any(String) });
    expect(BigInt((await balance(wallet.id)).posted)).toBe(BigInt(before.posted) + 7n * USDT);
    // once booked, a second approval books nothing
    const again = await bench.t.engine.api.call('transfers:approveCompanyCredit', { creditId: asked.id }, bench.approver.context);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(BigInt((await balance(wallet.id)).posted)).toBe(BigInt(before.posted) + 7n * USDT);
  });

  it('is checked again at approval: a client suspended meanwhile gets nothing', async () => {
    const client = await verifiedClient(bench, { country: 'BR', kind: 'cpf', value: '529.982.247-25' });
    const target = await fundedWallet(bench, 'suspended later', 1n, client.id);
    const asked = await as<CompanyCreditView>(admin, 'transfers:companyCredit', { idempotencyKey: 'credit-then-suspend', walletId: target.id, assetId: ASSET, amount: USDT.toString(), reason: 'goodwill' });
    await as(admin, 'clients:kyc:suspend', { clientId: client.id, reason: 'adverse media' });
    await refusedAndAudited(bench.t, 'transfers:approveCompanyCredit', { creditId: asked.id }, 'client_suspended', bench.approver);
    const turnedDown = await as<CompanyCreditView>(admin, 'transfers:rejectCompanyCredit', { creditId: asked.id, reason: 'client suspended' });
    expect(turnedDown).toMatchObject({ state: 'rejected', decidedBy: 'admin', decisionNote: 'client suspended', transferId: null });
  });
});

describe('whitelisting', () => {
  it('waits for a second officer, then for its 24 h time lock, before the destination is paid', async () => {
    await applyPolicy(bench.t, 'withdrawals:policySet', { assetId: ASSET, rules: { approvalThreshold: (10n * USDT).toString() } }, admin as never);
    const added = await as<AddressBookEntry>(bench.officer, 'withdrawals:addressBookAdd', { chain: 'polygon', address: WHITELISTED, label: 'Exchange', whitelisted: true });
    expect(added).toMatchObject({ whitelisted: true, approvedBy: null, usableFrom: null });
    const listAs = async (who: { context: CallContext }) =>
      (await as<AddressBookEntry[]>(who, 'withdrawals:addressBookList', { chain: 'polygon' })).find((e) => e.id === added.id)!;
    expect((await listAs(bench.officer)).allowedActions).toEqual(['remove']);
    expect((await listAs(admin)).allowedActions).toEqual(['approve', 'remove']);
    expect((await listAs(bench.approver)).allowedActions).toEqual([]);

    await refusedAndAudited(bench.t, 'withdrawals:request', withdrawTo(WHITELISTED), 'destination_pending_approval', admin);
    await refusedAndAudited(bench.t, 'withdrawals:addressBookApprove', { entryId: added.id }, 'maker_checker', bench.officer);

    const approved = await as<AddressBookEntry>(admin, 'withdrawals:addressBookApprove', { entryId: added.id });
    expect(approved).toMatchObject({ approvedBy: 'admin', usableFrom: new Date(clock + 24 * 3_600_000).toISOString() });
    expect((await listAs(admin)).allowedActions).toEqual(['remove']);
    const locked = await refusedAndAudited(bench.t, 'withdrawals:request', withdrawTo(WHITELISTED), 'destination_time_locked', admin);
    expect(locked.change.details).toMatchObject({ usableFrom: approved.usableFrom });

    clock += 24 * 3_600_000 - 60_000;
    await signInAdmin();
    await refusedAndAudited(bench.t, 'withdrawals:request', withdrawTo(WHITELISTED), 'destination_time_locked', admin);
    clock += 60_000;
    // Past the lock, a whitelisted destination under the threshold is approved by policy.
    const paid = await as<WithdrawalView>(admin, 'withdrawals:request', withdrawTo(WHITELISTED));
    expect(paid).toMatchObject({ state: 'approved', approvedBy: 'policy', needsApproval: false });
    // ... and still signed by someone other than the requester.
    expect((await as<WithdrawalView>(admin, 'withdrawals:get', { withdrawalId: paid.id })).allowedActions).toEqual(['cancel']);
  });
});

function withdrawTo(destination: string) {
  return { idempotencyKey: `four-eyes-${++keys}`, walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), destination };
}
