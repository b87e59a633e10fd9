import { Contract } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFeeQuote, ClientFeeRule, ClientFeeSchedule } from '@shared/domain/client-fees';
import type { ClientView } from '@shared/domain/clients';
import type { BalanceView } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { DEVNET_TOKEN_ADDRESSES } from '@test/devnet/evm';
import { applyPolicy } from '@test/controls';
import { callOk } from '@test/engine';
import { ASSET, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from '../controls/controls-fixtures';

/**
 * Client fee schedules on the Polygon devnet: per asset and per client, fixed + percent with a minimum, paid on
 * top or deducted. A confirmed withdrawal leaves exactly `debited` the client's balance, `netAmount` reaches the
 * destination on chain, and the fee is company revenue on the ledger; a cancelled one costs nothing.
 */
const USDT = 1_000_000n;
let bench: ControlsBench;
let plain: WalletView;
let vip: WalletView;
let vipClient: ClientView;
let keys = 0;

const erc20 = () => new Contract(DEVNET_TOKEN_ADDRESSES.USDT, ['function balanceOf(address) view returns (uint256)'], bench.evm.provider);
const onChain = async (address: string) => BigInt(await erc20().getFunction('balanceOf')(address));
const available = async (walletId: string) => BigInt((await bench.t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId })).available);
const revenue = async () => BigInt((await bench.t.engine.services.ledger.balance({ kind: 'fee_revenue', assetId: ASSET })).posted);
const setRule = (rule: ClientFeeRule | null, clientId?: string) => callOk<ClientFeeSchedule>(bench.t.engine, 'withdrawals:feeScheduleSet', { assetId: ASSET, ...(clientId ? { clientId } : {}), rule });

beforeAll(async () => {
  bench = await startControlsBench();
  vipClient = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  plain = await fundedWallet(bench, 'plain', 1_000n * USDT);
  vip = await fundedWallet(bench, 'vip', 1_000n * USDT, vipClient.id);
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

async function withdrawAndConfirm(wallet: WalletView, amount: bigint, destination: string): Promise<WithdrawalView> {
  const { t, approver, evm } = bench;
  const requested = await callOk<WithdrawalView>(t.engine, 'withdrawals:request', { idempotencyKey: `client-fee-${++keys}`, walletId: wallet.id, assetId: ASSET, amount: amount.toString(), destination });
  await callOk(t.engine, 'withdrawals:approve', { withdrawalId: requested.id }, approver);
  await callOk(t.engine, 'withdrawals:sign', { withdrawalId: requested.id }, approver);
  await evm.mine(3);
  expect((await t.engine.services.withdraw.tracker.track()).confirmed).toContain(requested.id);
  return callOk<WithdrawalView>(t.engine, 'withdrawals:get', { withdrawalId: requested.id });
}

describe('client fees, from the schedule to the chain and the ledger', () => {
  it.each<[string, () => WalletView, ClientFeeRule, bigint, { fee: bigint; debited: bigint; net: bigint; source: string }]>([
    ['on top: fixed 0.5 + 0.1 %', () => plain, { fixed: '500000', percent: '0.1', mode: 'on_top' }, 200n * USDT, { fee: 700_000n, debited: 200_700_000n, net: 200n * USDT, source: 'asset' }],
    ['deducted: 0.3333 % rounded up', () => plain, { fixed: '0', percent: '0.3333', mode: 'deducted' }, 10_000_001n, { fee: 33_331n, debited: 10_000_001n, net: 9_966_670n, source: 'asset' }],
    ['deducted: the minimum wins', () => plain, { fixed: '0', percent: '0.25', minimum: '2000000', mode: 'deducted' }, 50n * USDT, { fee: 2n * USDT, debited: 50n * USDT, net: 48n * USDT, source: 'asset' }],
  ])('%s', async (_name, wallet, rule, amount, expected) => {
    await setRule(rule);
    const destination = `0x${(0x1000 + keys).toString(16).padStart(40, '0')}`;
    const quote = await callOk<ClientFeeQuote>(bench.t.engine, 'withdrawals:clientFeeQuote', { walletId: wallet().id, assetId: ASSET, amount: amount.toString() });
    expect(quote).toMatchObject({ fee: expected.fee.toString(), debited: expected.debited.toString(), netAmount: expected.net.toString(), mode: rule.mode, source: expected.source });

    const [balanceBefore, revenueBefore, arrivedBefore] = [await available(wallet().id), await revenue(), await onChain(destination)];
    const done = await withdrawAndConfirm(wallet(), amount, destination);
    expect(done).toMatchObject({ state: 'confirmed', amount: expected.net.toString(), netAmount: expected.net.toString(), clientFee: expected.fee.toString(), debited: expected.debited.toString(), clientFeeMode: rule.mode });
    expect(await onChain(destination)).toBe(arrivedBefore + expected.net);
    expect(await available(wallet().id)).toBe(balanceBefore - expected.debited);
    expect(await revenue()).toBe(revenueBefore + expected.fee);
    const booked = await bench.t.engine.database.db.selectFrom('ledger_transfers').select(['amount', 'code']).where('cause_id', '=', done.id).where('code', '=', 'withdrawal_fee').execute();
    expect(booked).toEqual([{ amount: expected.fee.toString(), code: 'withdrawal_fee' }]);
  });

  it("a client's own rule replaces the asset's, for that client only", async () => {
    await setRule({ fixed: '1000000', percent: '0', mode: 'on_top' });
    await setRule({ fixed: '0', percent: '0', minimum: '100000', mode: 'on_top' }, vipClient.id);
    const quote = (w: WalletView) => callOk<ClientFeeQuote>(bench.t.engine, 'withdrawals:clientFeeQuote', { walletId: w.id, assetId: ASSET, amount: (10n * USDT).toString() });
    expect(await quote(vip)).toMatchObject({ fee: '100000', source: 'client' });
    expect(await quote(plain)).toMatchObject({ fee: '1000000', source: 'asset' });
    const before = await available(vip.id);
    const done = await withdrawAndConfirm(vip, 10n * USDT, '0x8ba1f109551bD432803012645Ac136ddd64DBA72');
    expect(done.clientFee).toBe('100000');
    expect(await available(vip.id)).toBe(before - 10n * USDT - 100_000n);
    // Removing the override brings the asset's rule back.
    await setRule(null, vipClient.id);
    expect(await quote(vip)).toMatchObject({ fee: '1000000', source: 'asset' });
  });

  it('a cancelled withdrawal costs the client nothing; a deducted fee above the amount is refused with nothing held', async () => {
    await setRule({ fixed: '3000000', percent: '0', mode: 'deducted' });
    const before = await available(plain.id);
    const refused = await bench.t.engine.api.call('withdrawals:request', { idempotencyKey: `client-fee-${++keys}`, walletId: plain.id, assetId: ASSET, amount: (2n * USDT).toString(), destination: '0x8ba1f109551bD432803012645Ac136ddd64DBA72' }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'amount_below_fee' } });
    expect(refused.ok || refused.error.message).toMatch(/3\.00 USDT/);
    expect(await available(plain.id)).toBe(before);

    const held = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', { idempotencyKey: `client-fee-${++keys}`, walletId: plain.id, assetId: ASSET, amount: (5n * USDT).toString(), destination: '0x8ba1f109551bD432803012645Ac136ddd64DBA72' });
    expect(held).toMatchObject({ amount: (2n * USDT).toString(), clientFee: (3n * USDT).toString(), debited: (5n * USDT).toString() });
    expect(await available(plain.id)).toBe(before - 5n * USDT);
    // A retry with the same key and the same request is the same withdrawal.
    const again = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', { idempotencyKey: `client-fee-${keys}`, walletId: plain.id, assetId: ASSET, amount: (5n * USDT).toString(), destination: '0x8ba1f109551bD432803012645Ac136ddd64DBA72' });
    expect(again.id).toBe(held.id);
    const revenueBefore = await revenue();
    await callOk(bench.t.engine, 'withdrawals:cancel', { withdrawalId: held.id, reason: 'client changed their mind' });
    expect(await available(plain.id)).toBe(before);
    expect(await revenue()).toBe(revenueBefore);
  });

  it('every schedule change is audited with what it replaced; only an admin may change it', async () => {
    await setRule({ fixed: '1', percent: '0.5', mode: 'on_top' });
    await setRule({ fixed: '2', percent: '0.5', mode: 'on_top' });
    const records = await bench.t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'withdrawal.fee_schedule_changed').orderBy('seq', 'desc').limit(1).execute();
    const change = JSON.parse(records[0]!.change as string) as { previous: ClientFeeRule; rule: ClientFeeRule };
    expect(change.previous).toMatchObject({ fixed: '1' });
    expect(change.rule).toMatchObject({ fixed: '2' });
    const refused = await bench.t.engine.api.call('withdrawals:feeScheduleSet', { assetId: ASSET, rule: null }, bench.officer.context as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await bench.t.engine.api.call('withdrawals:feeScheduleSet', { assetId: ASSET, rule: { fixed: '0', percent: '0.12345', mode: 'on_top' } }, { door: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    const schedule = await callOk<ClientFeeSchedule>(bench.t.engine, 'withdrawals:feeScheduleGet', {});
    expect(schedule.assets[ASSET]).toMatchObject({ fixed: '2' });
  });

  it("counts what the client is debited, the fee included, against the client's rolling limit", async () => {
    const client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '30-50001091-2' });
    const wallet = await fundedWallet(bench, 'limited', 100n * USDT, client.id);
    await applyPolicy(bench.t, 'withdrawals:policySet', { assetId: ASSET, rules: { clientDailyLimit: (10n * USDT).toString() } });
    const ask = (amount: bigint) =>
      bench.t.engine.api.call('withdrawals:request', { idempotencyKey: `client-fee-${++keys}`, walletId: wallet.id, assetId: ASSET, amount: (amount * USDT).toString(), destination: '0x8ba1f109551bD432803012645Ac136ddd64DBA72' }, { door: 'test' });
    // On top: 5 USDT sent costs the client 6.
    await setRule({ fixed: '1000000', percent: '0', mode: 'on_top' });
    expect(await ask(5n)).toMatchObject({ ok: true, data: { debited: (6n * USDT).toString() } });
    // 4 more sent would be 5 more debited: 11 in 24 hours, over 10 (the on-chain amounts alone, 9, would pass).
    const before = await available(wallet.id);
    const refused = await ask(4n);
    expect(refused).toMatchObject({ ok: false, error: { code: 'limit_exceeded', details: { scope: 'client', used: (6n * USDT).toString() } } });
    expect(refused.ok || refused.error.message).toMatch(/to 11\.00 USDT, above the client limit of 10\.00 USDT/);
    expect(await available(wallet.id)).toBe(before);
    // Deducted: the client is debited what was asked (3 USDT sent, 1 fee), so 4 reaches the limit exactly.
    await setRule({ fixed: '1000000', percent: '0', mode: 'deducted' });
    expect(await ask(4n)).toMatchObject({ ok: true, data: { amount: (3n * USDT).toString(), debited: (4n * USDT).toString() } });
    expect(await ask(2n)).toMatchObject({ ok: false, error: { code: 'limit_exceeded', details: { used: (10n * USDT).toString() } } });
  });
});
