import { CLIENT_DATA_LABEL } from '@engine/clients/data-keys';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientsModule } from '@engine/clients';
import { RampEligibility } from '@engine/ramps/eligibility';
import { DEVNET_EVM_USDT } from '@shared/domain/assets';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { OffRampView, OnRampView } from '@shared/domain/ramps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, databaseFileHash, snapshotDatabase, startUnlockedEngine, type TestEngine } from '@test/engine';
import { checker, creditOnRamp, refusedAndAudited } from '@test/controls';
import { IDENTITY, JPEG, LEGAL_NAME, PNG } from '../clients/kyc-fixtures';
import { COMPANY_IBAN, configureReceiving, rampClient, type RampClient } from './ramp-fixtures';

/**
 * The ramps without a chain: prerequisites, the on-ramp from request to credit with its flags, cancel
 * and expiry, and the off-ramp's hold and refund. The crypto leg on the devnet is in ramps-devnet.test.ts.
 */
let t: TestEngine;
let alice: RampClient;
const ASSET = 'polygon:USDT';
const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });
const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);

async function refusedUnchanged(channel: string, payload: unknown, code: string): Promise<void> {
  const before = snapshotDatabase(t.engine);
  const hash = databaseFileHash(t.engine);
  expect(await call(channel, payload)).toMatchObject({ ok: false, error: { code } });
  expect(snapshotDatabase(t.engine)).toBe(before);
  expect(databaseFileHash(t.engine)).toBe(hash);
}

const balance = (walletId: string) => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId });
const onRampRequest = (over: Record<string, unknown> = {}) => ({
  clientId: alice.client.id,
  walletId: alice.wallet.id,
  assetId: ASSET,
  currency: 'EUR',
  amount: '100000',
  rail: 'sepa',
  ...over,
});

/** An on-ramp credited with `cents` EUR at 1 USDT per EUR and no fee: `cents` * 10^4 base units. */
async function fundByOnRamp(r: RampClient, cents: bigint): Promise<void> {
  const requested = await ok<OnRampView>('ramps:onramp:request', onRampRequest({ clientId: r.client.id, walletId: r.wallet.id, amount: cents.toString() }));
  await ok('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: `BANK-${requested.reference}`, amount: cents.toString() });
  await ok('ramps:onramp:verify', { onRampId: requested.id });
  const quoted = await ok<OnRampView>('ramps:onramp:quote', { onRampId: requested.id, rate: '1', fee: '0' });
  await creditOnRamp(t, requested.id, quoted.cryptoAmount!);
}

beforeAll(async () => {
  t = await startUnlockedEngine();
  await configureReceiving(t);
  alice = await rampClient(t, 'polygon');
});
afterAll(async () => {
  await t.dispose();
});

describe('prerequisites, each refused by name with nothing stored', () => {
  let draft: ClientView;
  let bare: ClientView;
  beforeAll(async () => {
    draft = await ok<ClientView>('clients:create', { legalName: 'Draft Person' });
    const other = await rampClient(t, 'polygon', { country: 'ES', kind: 'nif', value: '12345678Z' });
    bare = other.client;
    // a verified client whose only wallet is suspended and whose only account is unverified
    await ok('wallets:setStatus', { walletId: other.wallet.id, status: 'suspended' });
    await ok('clients:bankAccounts:disable', { bankAccountId: other.bankAccount.id, reason: 'closed' });
  });

  it('KYC not verified', async () => {
    const wallet = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'draft wallet' });
    await ok('clients:wallets:associate', { clientId: draft.id, walletId: wallet.id });
    // A KYC gate: refused by name, nothing stored but the refusal's audit record.
    await refusedAndAudited(t, 'ramps:onramp:request', onRampRequest({ clientId: draft.id, walletId: wallet.id }), 'kyc_not_verified');
    await refusedAndAudited(t, 'ramps:offramp:request', { clientId: draft.id, walletId: wallet.id, bankAccountId: alice.bankAccount.id, assetId: ASSET, amount: '1' }, 'kyc_not_verified');
  });

  it('no active wallet', async () => {
    const wallets = await ok<WalletView[]>('clients:wallets:list', { clientId: bare.id });
    await refusedUnchanged('ramps:onramp:request', onRampRequest({ clientId: bare.id, walletId: wallets[0]!.id }), 'no_active_wallet');
  });

  it('a suspended wallet cannot take new ramp operations even when another is active', async () => {
    const spare = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'alice spare' });
    await ok('clients:wallets:associate', { clientId: alice.client.id, walletId: spare.id });
    await ok('wallets:setStatus', { walletId: spare.id, status: 'suspended' });
    await refusedUnchanged('ramps:onramp:request', onRampRequest({ walletId: spare.id }), 'inactive_wallet');
  });

  it('no verified bank account for an off-ramp', async () => {
    const fresh = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'bare active' });
    await ok('clients:wallets:associate', { clientId: bare.id, walletId: fresh.id });
    const accounts = await ok<BankAccountView[]>('clients:bankAccounts:list', { clientId: bare.id });
    await refusedUnchanged('ramps:offramp:request', { clientId: bare.id, walletId: fresh.id, bankAccountId: accounts[0]!.id, assetId: ASSET, amount: '1' }, 'no_verified_bank_account');
    const unverified = await ok<BankAccountView>('clients:bankAccounts:add', { clientId: alice.client.id, account: { rail: 'spei', holderName: LEGAL_NAME, clabe: '002010077777777771' } });
    await refusedUnchanged('ramps:offramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, bankAccountId: unverified.id, assetId: ASSET, amount: '1' }, 'no_verified_bank_account');
  });

  it.each([
    ['a rail with no company receiving account', { rail: 'pix', currency: 'BRL' }, 'ramp_not_configured'],
    ['a currency the rail does not carry', { currency: 'USD' }, 'validation'],
    ['an asset of another chain', { assetId: 'tron:USDT' }, 'asset_mismatch'],
    ["another client's wallet", { walletId: 'x' }, 'conflict'],
    ['a fiat amount of zero', { amount: '0' }, 'validation'],
    ['a fractional fiat amount', { amount: '10.50' }, 'validation'],
  ])('%s', async (_name, over, code) => {
    await refusedUnchanged('ramps:onramp:request', onRampRequest(over), code);
  });

  it('a suspended client: frozen both ways', async () => {
    await ok('clients:kyc:suspend', { clientId: alice.client.id, reason: 'periodic review' });
    await refusedAndAudited(t, 'ramps:onramp:request', onRampRequest(), 'client_suspended');
    await refusedAndAudited(t, 'ramps:offramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, bankAccountId: alice.bankAccount.id, assetId: ASSET, amount: '1' }, 'client_suspended');
    await ok('clients:kyc:reinstate', { clientId: alice.client.id });
  });
});

describe('on-ramp', () => {
  it('runs request -> instructions -> fiat received -> verified -> quoted -> credited -> completed', async () => {
    const requested = await ok<OnRampView>('ramps:onramp:request', onRampRequest());
    expect(requested).toMatchObject({ state: 'requested', requestedAmount: '100000', currency: 'EUR' });
    expect(requested.reference).toMatch(/^ONR[0-9A-Z]{10}$/);
    expect(requested.instructions).toMatchObject({ rail: 'sepa', beneficiary: 'Treasury Devnet SA', account: { iban: COMPANY_IBAN }, reference: requested.reference, amount: '100000' });

    const received = await ok<OnRampView>('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-2026-11-25-0001', amount: '100000' });
    expect(received).toMatchObject({ state: 'fiat_received', amountFlag: 'exact', receivedAmount: '100000' });
    await ok('ramps:onramp:verify', { onRampId: requested.id });
    // 1,000.00 EUR - 2.50 fee = 997.50 EUR at 0.9985 USDT/EUR = 996.00375 USDT
    const quoted = await ok<OnRampView>('ramps:onramp:quote', { onRampId: requested.id, rate: '0.9985', fee: '250' });
    expect(quoted).toMatchObject({ state: 'quoted', cryptoAmount: '996003750', rate: '0.9985', fee: '250' });

    await refusedUnchanged('ramps:onramp:credit', { onRampId: requested.id, cryptoAmount: '996003751' }, 'conflict');
    const before = await balance(alice.wallet.id);
    // Nothing in holding covers it: the credit only asks, and waits for an approver other than its maker.
    const asked = await ok<OnRampView>('ramps:onramp:credit', { onRampId: requested.id, cryptoAmount: '996003750' });
    expect(asked).toMatchObject({ state: 'quoted', creditApproval: { requestedBy: 'admin', approvals: [], needed: 1 }, allowedActions: [] });
    expect((await balance(alice.wallet.id)).posted).toBe(before.posted);
    await refusedUnchanged('ramps:onramp:credit', { onRampId: requested.id, cryptoAmount: '996003750' }, 'conflict');
    const refusal = await refusedAndAudited(t, 'ramps:onramp:approveCredit', { onRampId: requested.id }, 'maker_checker');
    expect(refusal.operator).toBe('admin');
    const approver = await checker(t, 'approver');
    expect((await ok<OnRampView>('ramps:onramp:get', { onRampId: requested.id })).allowedActions).toEqual([]);
    expect((await callOk<OnRampView>(t.engine, 'ramps:onramp:get', { onRampId: requested.id }, approver)).allowedActions).toEqual(['approveCredit']);
    const credited = await callOk<OnRampView>(t.engine, 'ramps:onramp:approveCredit', { onRampId: requested.id }, approver);
    expect(credited).toMatchObject({ state: 'credited', creditApproval: null });
    expect(BigInt((await balance(alice.wallet.id)).posted) - BigInt(before.posted)).toBe(996_003_750n);
    const transfer = (await t.engine.services.ledger.history({ kind: 'client_wallet', assetId: ASSET, walletId: alice.wallet.id }, undefined, 1)).items[0]!;
    expect(transfer).toMatchObject({ code: 'onramp', amount: '996003750', direction: 'in', counterparty: `onramp_clearing:${ASSET}`, cause: { type: 'onramp', id: requested.id } });
    expect(credited.ledgerTransferId).toBe(transfer.id);

    // a second credit is refused by the state machine, and the ledger keeps one transfer
    await refusedUnchanged('ramps:onramp:credit', { onRampId: requested.id, cryptoAmount: '996003750' }, 'conflict');
    const completed = await ok<OnRampView>('ramps:onramp:complete', { onRampId: requested.id });
    expect(completed.history.map((h) => [h.to, h.operator])).toEqual([
      ['requested', 'admin'],
      ['fiat_received', 'admin'],
      ['verified', 'admin'],
      ['quoted', 'admin'],
      ['quoted', 'admin'], // the credit asked for
      ['credited', approver.name],
      ['completed', 'admin'],
    ]);
    const audit = await t.engine.services.audit.list({ entityType: 'onramp', entityId: requested.id, limit: 20 });
    expect(audit.map((r) => r.action).reverse()).toEqual(['onramp.requested', 'onramp.fiat_received', 'onramp.verified', 'onramp.quoted', 'onramp.quoted', 'onramp.credited', 'onramp.completed']);
    expect(await ok('audit:verify', {})).toMatchObject({ ok: true });
  });

  it('flags a partial amount instead of guessing, and converts what arrived once the officer accepts it', async () => {
    const requested = await ok<OnRampView>('ramps:onramp:request', onRampRequest());
    const received = await ok<OnRampView>('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-PARTIAL', amount: '60000' });
    expect(received.amountFlag).toBe('partial');
    await refusedUnchanged('ramps:onramp:verify', { onRampId: requested.id }, 'conflict');
    await ok('ramps:onramp:verify', { onRampId: requested.id, acceptReceivedAmount: true });
    expect((await ok<OnRampView>('ramps:onramp:quote', { onRampId: requested.id, rate: '1', fee: '0' })).cryptoAmount).toBe('600000000');
    expect((await ok<OnRampView>('ramps:onramp:cancel', { onRampId: requested.id, reason: 'client asked to return the funds' })).state).toBe('cancelled');
  });

  it('flags an excess amount too, and refuses a bank reference already used', async () => {
    const requested = await ok<OnRampView>('ramps:onramp:request', onRampRequest());
    await refusedUnchanged('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-2026-11-25-0001', amount: '100000' }, 'conflict');
    expect((await ok<OnRampView>('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-EXCESS', amount: '100001' })).amountFlag).toBe('excess');
  });

  it('refuses a fee that takes everything', async () => {
    const requested = await ok<OnRampView>('ramps:onramp:request', onRampRequest({ amount: '500' }));
    await ok('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-SMALL', amount: '500' });
    await ok('ramps:onramp:verify', { onRampId: requested.id });
    await refusedUnchanged('ramps:onramp:quote', { onRampId: requested.id, rate: '0.99', fee: '500' }, 'invalid_amount');
    await refusedUnchanged('ramps:onramp:quote', { onRampId: requested.id, rate: '0.99e1', fee: '5' }, 'validation');
  });

  it('expires requests whose fiat never came, and cancels none after the credit', async () => {
    const stale = await ok<OnRampView>('ramps:onramp:request', onRampRequest());
    expect(await t.engine.services.ramps.onRamps.expireStale('system', new Date(Date.now() + 71 * 3_600_000))).not.toContain(stale.id);
    expect(await t.engine.services.ramps.onRamps.expireStale('system', new Date(Date.now() + 73 * 3_600_000))).toContain(stale.id);
    expect(await ok<OnRampView>('ramps:onramp:get', { onRampId: stale.id })).toMatchObject({ state: 'expired' });
    await refusedUnchanged('ramps:onramp:recordFiat', { onRampId: stale.id, bankReference: 'SEPA-LATE', amount: '100000' }, 'conflict');

    const completed = (await ok<{ items: OnRampView[] }>('ramps:onramp:list', { state: 'completed' })).items[0]!;
    await refusedUnchanged('ramps:onramp:cancel', { onRampId: completed.id, reason: 'too late' }, 'conflict');
  });
});

describe('off-ramp before the crypto leg', () => {
  it('holds the balance on request and gives it back on refund', async () => {
    await ok('ramps:settings:setOffRampDestination', { chain: 'polygon', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' });
    await fundByOnRamp(alice, 5_000n);
    const before = await balance(alice.wallet.id);
    const held = await ok<OffRampView>('ramps:offramp:request', {
      clientId: alice.client.id,
      walletId: alice.wallet.id,
      bankAccountId: alice.bankAccount.id,
      assetId: ASSET,
      amount: '40000000',
    });
    expect(held).toMatchObject({ state: 'held', destinationAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' });
    expect(await balance(alice.wallet.id)).toMatchObject({ posted: before.posted, pending: '-40000000', available: (BigInt(before.available) - 40_000_000n).toString() });

    // more than is available is refused by the ledger, nothing stored
    await refusedUnchanged(
      'ramps:offramp:request',
      { clientId: alice.client.id, walletId: alice.wallet.id, bankAccountId: alice.bankAccount.id, assetId: ASSET, amount: (BigInt(before.available) * 2n).toString() },
      'insufficient_funds',
    );
    // conversion and payout wait for the crypto leg
    await refusedUnchanged('ramps:offramp:convert', { offRampId: held.id, rate: '1', fee: '0', currency: 'EUR' }, 'conflict');
    // no holding wallet is registered here: the pipeline refuses, and the off-ramp stays held
    expect((await call('ramps:offramp:sendCrypto', { offRampId: held.id })).ok).toBe(false);
    expect((await ok<OffRampView>('ramps:offramp:get', { offRampId: held.id })).state).toBe('held');

    const refunded = await ok<OffRampView>('ramps:offramp:refund', { offRampId: held.id, reason: 'client changed their mind' });
    expect(refunded.state).toBe('refunded');
    expect(await balance(alice.wallet.id)).toEqual(before);
    // the pipeline's refusal is on record: the step was taken, refused, and undone
    expect(refunded.history.map((h) => h.to)).toEqual(['held', 'crypto_pending', 'held', 'refunded']);
    expect(refunded.history[2]!.detail).toMatchObject({ refusedBy: 'withdrawals', code: 'not_found' });
    await refusedUnchanged('ramps:offramp:refund', { offRampId: held.id, reason: 'again' }, 'conflict');
  });

  it('refuses a liquidity address that is not one', async () => {
    await refusedUnchanged('ramps:settings:setOffRampDestination', { chain: 'polygon', address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' }, 'invalid_address');
    // Well-formed but never right: the zero address and a registry token's own contract.
    for (const address of ['0x0000000000000000000000000000000000000000', DEVNET_EVM_USDT]) {
      await refusedUnchanged('ramps:settings:setOffRampDestination', { chain: 'polygon', address }, 'invalid_address');
    }
    await refusedUnchanged('ramps:settings:setReceivingAccount', { rail: 'spei', beneficiary: 'Treasury', account: { clabe: '002010077777777772' } }, 'invalid_clabe');
  });
});

describe('time', () => {
  it('refuses a verified client whose identity document expired since, until it is renewed while suspended', async () => {
    const carla = await rampClient(t, 'polygon', { country: 'PE', kind: 'ruc', value: '20131312955' });
    const fourYearsOn = new Date(Date.now() + 4 * 365 * 86_400_000);
    // The same services over the same database, on a day after the document's expiry.
    const later = createClientsModule({ db: t.engine.database.db, audit: t.engine.services.audit, wallets: t.engine.services.wallets, home: t.home, dataSecret: () => t.engine.services.custody.secret(CLIENT_DATA_LABEL), today: () => fourYearsOn });
    const eligibility = new RampEligibility(later.clients, later.bankAccounts);
    await expect(eligibility.client(carla.client.id, t.engine.database.db)).rejects.toMatchObject({ code: 'id_document_expired' });
    await expect(later.clients.changeStatus(carla.client.id, 'reinstate', 'officer')).rejects.toMatchObject({ code: 'conflict' });

    await later.clients.changeStatus(carla.client.id, 'suspend', 'officer', 'identity document expired');
    await expect(later.clients.changeStatus(carla.client.id, 'reinstate', 'officer')).rejects.toMatchObject({ code: 'id_document_expired' });
    const renewedOn = new Date(fourYearsOn.getTime() + 5 * 365 * 86_400_000).toISOString().slice(0, 10);
    await later.clients.addIdentityDocument(
      carla.client.id,
      { ...IDENTITY, number: '87654321', expiresOn: renewedOn, front: PNG, back: JPEG },
      'officer',
    );
    expect((await later.clients.changeStatus(carla.client.id, 'reinstate', 'officer')).kycStatus).toBe('verified');
    await expect(eligibility.client(carla.client.id, t.engine.database.db)).resolves.toMatchObject({ kyc_status: 'verified' });
  });

  it('expires an on-ramp on the engine timer once its instructions run out', async () => {
    let now = Date.now();
    const timed = await startUnlockedEngine({ clock: () => now, rampExpiryIntervalMs: 20 });
    try {
      await configureReceiving(timed);
      const bea = await rampClient(timed, 'polygon');
      const requested = await callOk<OnRampView>(timed.engine, 'ramps:onramp:request', {
        clientId: bea.client.id,
        walletId: bea.wallet.id,
        assetId: ASSET,
        currency: 'EUR',
        amount: '2500',
        rail: 'sepa',
      });
      const onRamps = timed.engine.services.ramps.onRamps;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await onRamps.get(requested.id)).state).toBe('requested');
      now += 72 * 3_600_000;
      await vi.waitFor(async () => expect((await onRamps.get(requested.id)).state).toBe('expired'), { timeout: 5_000 });
      expect((await onRamps.get(requested.id)).history.at(-1)).toMatchObject({ from: 'requested', to: 'expired', operator: 'system' });
    } finally {
      await timed.dispose();
    }
  });
});
