import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import type { CallContext } from '@engine/api/types';
import { applyPolicy, refusedAndAudited } from '@test/controls';
import { callOk, TEST_ADMIN, TEST_PASSPHRASE } from '@test/engine';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * Per-wallet limits on the Polygon devnet, on rolling windows of the engine clock: amount over the last
 * 24 hours and 30 days, and velocity (withdrawals in the last hour). Each refusal is typed, changes nothing
 * and is audited; cancelled withdrawals do not count; another wallet of the same asset is not affected.
 */
const USDT = 1_000_000n;
let clock = Date.now();
let bench: ControlsBench;
let wallet: WalletView;
let other: WalletView;
let officer: { context: CallContext };
let keys = 0;

beforeAll(async () => {
  bench = await startControlsBench({ clock: () => clock });
  const client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  wallet = await fundedWallet(bench, 'limited', 1_000n * USDT, client.id);
  other = await fundedWallet(bench, 'other', 1_000n * USDT, client.id);
  officer = bench.officer;
  await applyPolicy(bench.t, 'withdrawals:policySet', {
    assetId: ASSET,
    rules: { walletDailyLimit: (10n * USDT).toString(), walletMonthlyLimit: (15n * USDT).toString(), walletHourlyCount: 2 },
  });
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

const withdraw = (amount: bigint, from = wallet) => ({ idempotencyKey: `limits-${++keys}`, walletId: from.id, assetId: ASSET, amount: amount.toString(), destination: DESTINATION });
const request = (amount: bigint, from = wallet) => callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(amount, from), officer as never);
/** Sessions expire when the clock jumps past the idle timeout: sign in again. */
async function signInAgain(name: string): Promise<{ context: CallContext }> {
  const opened = await bench.t.door.call('system:signIn', { operator: name, passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(opened.error.message);
  return { context: { door: 'test', session: (opened.data as { session: { token: string } }).session.token } };
}

describe('per-wallet limits and velocity', () => {
  it('refuses a third withdrawal within the hour, and allows it an hour later', async () => {
    await request(2n * USDT);
    await request(2n * USDT);
    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(1n * USDT), 'velocity_exceeded', officer);
    expect(refused.change.details).toMatchObject({ walletId: wallet.id, count: 2, limit: 2 });
    // another wallet has its own count
    await request(1n * USDT, other);
    clock += 61 * 60_000;
    officer = await signInAgain(bench.officer.name);
    await request(2n * USDT);
  });

  it('refuses what would take the last 24 hours past the daily limit; cancelled ones do not count', async () => {
    // 6 USDT in the last 24 hours so far
    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(5n * USDT), 'limit_exceeded', officer);
    expect(refused.change.reason).toMatch(/last 24 hours to 11\.00 USDT, above its limit of 10\.00 USDT/);
    const cancelled = await request(4n * USDT);
    const admin = await signInAgain(TEST_ADMIN);
    await callOk(bench.t.engine, 'withdrawals:cancel', { withdrawalId: cancelled.id, reason: 'limits test' }, admin as never);
    await request(4n * USDT);
  });

  it('refuses what would take the last 30 days past the monthly limit, a day later', async () => {
    clock += 24 * 3_600_000;
    officer = await signInAgain(bench.officer.name);
    // 10 USDT in the last 30 days, none in the last 24 hours
    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(6n * USDT), 'limit_exceeded', officer);
    expect(refused.change.reason).toMatch(/last 30 days to 16\.00 USDT, above its limit of 15\.00 USDT/);
    await request(5n * USDT);
  });
});
