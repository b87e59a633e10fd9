import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { applyPolicy, refusedAndAudited } from '@test/controls';
import { callOk } from '@test/engine';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * KYC gates on the Polygon devnet: a client's wallet sends (withdrawal, internal transfer; the off-ramp is
 * in ramps.test.ts) only while the client is verified, money lands only in verified clients' wallets (or,
 * by policy, in wallets of no client), and a suspended client's wallets are frozen both ways. Each refusal
 * is typed, changes nothing and leaves a control.refused audit record naming the officer.
 */
const USDT = 1_000_000n;
let bench: ControlsBench;
let verified: WalletView;
let verified2: WalletView;
let draft: WalletView;
let suspended: WalletView;
let company: WalletView;
let suspendedClient: ClientView;
let keys = 0;

beforeAll(async () => {
  bench = await startControlsBench();
  const alice = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  suspendedClient = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '30-50001091-2' });
  const draftClient = await callOk<ClientView>(bench.t.engine, 'clients:create', { legalName: 'Draft Person' });
  verified = await fundedWallet(bench, 'alice main', 100n * USDT, alice.id);
  verified2 = await fundedWallet(bench, 'alice spare', 0n + 1n, alice.id);
  // Funded while still the company's, then given to the client: the gates are about the client, not the money.
  draft = await fundedWallet(bench, 'draft wallet', 100n * USDT, draftClient.id);
  suspended = await fundedWallet(bench, 'suspended wallet', 100n * USDT, suspendedClient.id);
  company = await fundedWallet(bench, 'company float', 100n * USDT);
  await callOk(bench.t.engine, 'clients:kyc:suspend', { clientId: suspendedClient.id, reason: 'sanctions review' });
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

const withdraw = (walletId: string) => ({ idempotencyKey: `gate-w-${++keys}`, walletId, assetId: ASSET, amount: USDT.toString(), destination: DESTINATION });
const internal = (from: WalletView, to: WalletView) => ({ idempotencyKey: `gate-t-${++keys}`, fromWalletId: from.id, toWalletId: to.id, assetId: ASSET, amount: USDT.toString() });
const credit = (to: WalletView) => ({ idempotencyKey: `gate-c-${++keys}`, walletId: to.id, assetId: ASSET, amount: USDT.toString(), reason: 'goodwill' });

describe('KYC gates, each refused by name with nothing changed and an audit record', () => {
  it.each<[string, () => [string, unknown], string, string]>([
    ["a withdrawal from a draft client's wallet", () => ['withdrawals:request', withdraw(draft.id)], 'kyc_not_verified', 'draft wallet'],
    ["a withdrawal from a suspended client's wallet", () => ['withdrawals:request', withdraw(suspended.id)], 'client_suspended', 'suspended wallet'],
    ["an internal transfer out of a draft client's wallet", () => ['transfers:internal', internal(draft, verified)], 'kyc_not_verified', 'draft wallet'],
    ["an internal transfer into a draft client's wallet", () => ['transfers:internal', internal(verified, draft)], 'recipient_kyc_not_verified', 'draft wallet'],
    ["an internal transfer out of a suspended client's wallet", () => ['transfers:internal', internal(suspended, verified)], 'client_suspended', 'suspended wallet'],
    ["an internal transfer into a suspended client's wallet", () => ['transfers:internal', internal(verified, suspended)], 'client_suspended', 'suspended wallet'],
    ["company credit into a draft client's wallet", () => ['transfers:companyCredit', credit(draft)], 'recipient_kyc_not_verified', 'draft wallet'],
    ["company credit into a suspended client's wallet", () => ['transfers:companyCredit', credit(suspended)], 'client_suspended', 'suspended wallet'],
  ])('%s', async (_name, make, code, label) => {
    const [channel, payload] = make();
    const { operator, change } = await refusedAndAudited(bench.t, channel, payload, code, bench.officer);
    // The record names who tried and the reason, with the wallet and client it stopped.
    expect(operator).toBe(bench.officer.name);
    expect(change.reason).toContain(`"${label}"`);
    expect(change.details).toMatchObject({ walletId: expect.any(String), clientId: expect.any(String) });
  });

  it("lets a verified client's wallet send and receive, and the company's wallets receive by default", async () => {
    const sent = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(verified.id), bench.officer);
    expect(sent.state).toBe('requested');
    await callOk(bench.t.engine, 'transfers:internal', internal(verified, verified2), bench.officer);
    await callOk(bench.t.engine, 'transfers:internal', internal(verified, company), bench.officer);
    await callOk(bench.t.engine, 'transfers:internal', internal(company, verified), bench.officer);
  });

  it("refuses transfers into the company's wallets once the policy says so, and audits the change", async () => {
    await applyPolicy(bench.t, 'withdrawals:controlsSet', { transfersToUnownedWallets: false });
    try {
      await refusedAndAudited(bench.t, 'transfers:internal', internal(verified, company), 'recipient_not_allowed', bench.officer);
    } finally {
      await applyPolicy(bench.t, 'withdrawals:controlsSet', { transfersToUnownedWallets: true });
    }
    const [change] = await bench.t.engine.services.audit.list({ entityType: 'settings', entityId: 'controls', limit: 1 });
    expect(JSON.parse(change!.change)).toMatchObject({ previous: { transfersToUnownedWallets: false }, next: { transfersToUnownedWallets: true } });
  });

  it('thaws a suspended client once reinstated', async () => {
    await callOk(bench.t.engine, 'clients:kyc:reinstate', { clientId: suspendedClient.id });
    await callOk(bench.t.engine, 'transfers:internal', internal(suspended, verified), bench.officer);
    await callOk(bench.t.engine, 'transfers:internal', internal(verified, suspended), bench.officer);
  });
});
