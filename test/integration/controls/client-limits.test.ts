import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
import type { WalletView } from '@shared/domain/wallets';
import type { CallContext } from '@engine/api/types';
import { applyPolicy, refusedAndAudited } from '@test/controls';
import { callOk, TEST_PASSPHRASE } from '@test/engine';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * Per-client limits (all the client's wallets together, per asset, rolling 24 hours and 30 days) and the
 * cool-off for new destinations, on the Polygon devnet with a movable engine clock. Each refusal is typed,
 * changes nothing and is audited; another client's wallets are not affected.
 */
const USDT = 1_000_000n;
let clock = Date.now();
let bench: ControlsBench;
let first: WalletView;
let second: WalletView;
let stranger: WalletView;
let officer: { context: CallContext };
let keys = 0;

const withdraw = (amount: bigint, from: WalletView, destination = DESTINATION) => ({
  idempotencyKey: `client-limits-${++keys}`,
  walletId: from.id,
  assetId: ASSET,
  amount: amount.toString(),
  destination,
});
const request = (amount: bigint, from: WalletView, destination?: string) => callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(amount, from, destination), officer as never);
async function signInAgain(name: string): Promise<{ context: CallContext }> {
  const opened = await bench.t.door.call('system:signIn', { operator: name, passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(opened.error.message);
  return { context: { door: 'test', session: (opened.data as { session: { token: string } }).session.token } };
}

beforeAll(async () => {
  bench = await startControlsBench({ clock: () => clock });
  const client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  const other = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '30-50001091-2' });
  first = await fundedWallet(bench, 'first', 100n * USDT, client.id);
  second = await fundedWallet(bench, 'second', 100n * USDT, client.id);
  stranger = await fundedWallet(bench, 'stranger', 100n * USDT, other.id);
  officer = bench.officer;
  await applyPolicy(bench.t, 'withdrawals:policySet', { assetId: ASSET, rules: { clientDailyLimit: (10n * USDT).toString(), clientMonthlyLimit: (15n * USDT).toString() } });
  // Policy changes need two admins' sessions, which the clock jumps below would end: all set up front.
  await applyPolicy(bench.t, 'withdrawals:controlsSet', { newDestinationCoolOffHours: 12 });
  await callOk(bench.t.engine, 'withdrawals:addressBookAdd', { chain: 'polygon', address: DESTINATION, label: 'Known exchange', whitelisted: false });
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

// The cool-off case runs first: policy changes were made before any clock jump (sessions end at jumps).
describe('cool-off for new destinations', () => {
  it('refuses a destination not in the address book, then one added recently, and pays it once the hours passed', async () => {
    const fresh = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
    const unknown = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(USDT, first, fresh), 'destination_cooling_off', officer);
    expect(unknown.change.reason).toMatch(/new destination: add it to the address book first; it can be paid 12 h after that/);
    const entry = await callOk<AddressBookEntry>(bench.t.engine, 'withdrawals:addressBookAdd', { chain: 'polygon', address: fresh, label: 'New exchange', whitelisted: false }, officer as never);
    const recent = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(USDT, first, fresh), 'destination_cooling_off', officer);
    expect(recent.change.details).toMatchObject({ entryId: entry.id, coolOffHours: 12 });
    clock += 12 * 3_600_000 + 60_000;
    officer = await signInAgain(bench.officer.name);
    expect((await request(USDT, first, fresh)).state).toBe('requested');
  });
});

describe('per-client limits across the client’s wallets', () => {
  it('counts every wallet of the client within 24 hours; another client is not affected', async () => {
    // 1 USDT went out from the first wallet in the cool-off case just now
    await request(6n * USDT, first);
    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(5n * USDT, second), 'limit_exceeded', officer);
    expect(refused.change.details).toMatchObject({ scope: 'client', used: (7n * USDT).toString(), window: 'the last 24 hours' });
    expect(refused.change.reason).toMatch(/all wallets together, to 12\.00 USDT, above the client limit of 10\.00 USDT/);
    await request(3n * USDT, second);
    await request(9n * USDT, stranger);
  });

  it('the 30-day window holds after the day passed', async () => {
    clock += 25 * 3_600_000;
    officer = await signInAgain(bench.officer.name);
    await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(6n * USDT, first), 'limit_exceeded', officer);
    await request(5n * USDT, first);
  });
});
