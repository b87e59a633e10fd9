import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainReconciliation } from '@shared/domain/audit';
import type { ChainAlertView } from '@shared/domain/deposits';
import type { Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import type { GasReclaimView, GasTankView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { TestEngine } from '@test/engine';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { driveUntil, startDevChain, type DevChain } from '../watch/devnet-chain';
import { openEngine, type CallContext, type Operators } from '../withdraw/harness';

/**
 * The gas tank's change at a deposit address goes back to the tank: on demand ("Reclaim gas change") and with the
 * address's next native sweep. On each devnet chain the tank's balance rises by exactly what was sent back (the
 * change less the return's fee), the books follow, and reconciliation explains every unit.
 */
const DEPTH = 2;

describe.each<Chain>(['polygon', 'bsc', 'tron'])('gas change back to the gas tank on %s', (chain) => {
  let dev: DevChain;
  let t: TestEngine;
  let ops: Operators;
  let client: WalletView;
  let tank: string;

  async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
    const result = (await t.engine.api.call(channel, payload, (context ?? ops.admin) as never)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }
  const sweeps = async () => (await ok<Page<SweepView>>('sweeps:list', { walletId: client.id })).items;
  const depositGas = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_gas', assetId: dev.native, walletId: client.id })).posted);
  const drive = (done: () => Promise<boolean>) => driveUntil(t, dev, done, async () => (await sweeps()).map((s) => [s.kind, s.assetId, s.state, s.waitReason, s.error, s.amount]));
  const confirmed = (kind: SweepView['kind'], n: number) => async () => (await sweeps()).filter((s) => s.kind === kind && s.state === 'confirmed').length === n;
  async function expectReconciled(): Promise<void> {
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    const report = await ok<ChainReconciliation>('audit:reconciliation', { chains: [chain] });
    for (const line of report.lines.filter((l) => l.chain === chain)) {
      expect({ asset: line.assetId, unexplained: line.causes.filter((c) => c.kind === 'unexplained') }).toEqual({ asset: line.assetId, unexplained: [] });
    }
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  }

  beforeAll(async () => {
    dev = await startDevChain(chain);
    // The holding wallet's keys on a (virtual) Ledger of its own: all it holds came through the flows.
    const device = new VirtualLedger({ mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank yellow', app: chain === 'tron' ? 'tron' : 'eth' });
    ({ t, ops } = await openEngine({
      signer: { openTransport: device.factory(), software: true },
      watch: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } },
      sweeps: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } },
    }));
    await ok('configuration:update', { chain, rpcUrl: dev.url, confirmations: DEPTH });
    await ok<HoldingAddressView>('holding:register', { chain });
    client = await ok<WalletView>('wallets:create', { chain, label: 'gas change' });
    tank = (await ok<GasTankView[]>('sweeps:gasTanks', {})).find((g) => g.chain === chain)!.address!;
    await dev.fundNative(tank, 100n * dev.coin);
    await t.engine.services.watch.tick(chain);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('on demand: an officer reclaims the change a token sweep left; the tank gets it back less the fee, audited', async () => {
    await dev.sendToken(client.address, 100n * dev.unit);
    await drive(confirmed('deposits', 1));
    const change = await depositGas();
    expect(change).toBeGreaterThan(0n);
    expect(await dev.nativeBalance(client.address)).toBe(change);

    // Only an officer asks for it.
    expect(await t.engine.api.call('sweeps:reclaimGasChange', { chain }, ops.bob as never)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const reclaim = await ok<GasReclaimView>('sweeps:reclaimGasChange', { chain }, ops.alice);
    expect(reclaim).toMatchObject({ chain, tooSmall: 0, busy: 0 });
    expect(reclaim.planned.map((p) => [p.kind, p.walletId, p.amount])).toEqual([['gas_return', client.id, change.toString()]]);

    const before = await dev.nativeBalance(tank);
    await drive(confirmed('gas_return', 1));
    const returned = (await sweeps()).find((s) => s.kind === 'gas_return')!;
    const sent = BigInt(returned.amount);
    const fee = BigInt(returned.feePaid!);
    // The tank is back up by what was sent: the change less the fee (and less what the fee quote kept back and the
    // chain did not charge, which stays at the address, as the books say).
    const left = await dev.nativeBalance(client.address);
    expect(await dev.nativeBalance(tank)).toBe(before + sent);
    expect(sent + fee + left).toBe(change);
    expect(left).toBe(await depositGas());
    expect(fee).toBeLessThan(change);
    expect(sent).toBeGreaterThan(0n);

    const audit = await t.engine.database.db.selectFrom('audit_log').select(['operator', 'action']).where('action', 'in', ['sweep.gas_reclaim_requested', 'sweep.gas_return_planned', 'sweep.gas_returned']).orderBy('seq').execute();
    expect(audit).toEqual([
      { operator: 'alice', action: 'sweep.gas_return_planned' },
      { operator: 'alice', action: 'sweep.gas_reclaim_requested' },
      { operator: 'system', action: 'sweep.gas_returned' },
    ]);
    // What is left is dust (none where the fee was settled exactly): asking again plans nothing.
    const again = await ok<GasReclaimView>('sweeps:reclaimGasChange', { chain }, ops.alice);
    expect(again).toMatchObject({ planned: [], tooSmall: left > 0n ? 1 : 0, busy: 0 });
    await expectReconciled();
  }, 180_000);

  it("with the address's next native sweep: the change goes to the tank, the client's coins to holding", async () => {
    await dev.sendToken(client.address, 50n * dev.unit);
    await drive(confirmed('deposits', 2));
    const change = await depositGas();
    await dev.sendNative(client.address, 3n * dev.coin);
    const before = await dev.nativeBalance(tank);
    await drive(confirmed('deposits', 3));
    const returns = (await sweeps()).filter((s) => s.kind === 'gas_return');
    expect(returns.map((s) => [s.state, s.trigger])).toEqual([
      ['confirmed', 'rule'],
      ['confirmed', 'manual'],
    ]);
    const sent = BigInt(returns[0]!.amount);
    expect(sent).toBeLessThanOrEqual(change - BigInt(returns[0]!.feePaid!));
    expect(sent).toBeGreaterThan(0n);
    expect(await dev.nativeBalance(tank)).toBe(before + sent);
    // The native sweep took the client's coins and the dust the return left to holding: no change is left on the
    // books, and the address holds only what that sweep's fee quote kept back and the chain did not charge.
    expect(await depositGas()).toBe(0n);
    const inTransit = BigInt((await t.engine.services.ledger.balance({ kind: 'deposit_in_transit', assetId: dev.native, walletId: client.id })).posted);
    expect(await dev.nativeBalance(client.address)).toBe(inTransit);
    expect(await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: dev.native, walletId: client.id })).toMatchObject({ posted: (3n * dev.coin).toString() });
    await expectReconciled();
  }, 180_000);

  // anvil reverts to a snapshot and mines a longer history: the return's block is orphaned.
  it.runIf(chain !== 'tron')('a gas return whose block a reorg takes back is unbooked, sent again and booked once', async () => {
    await dev.sendToken(client.address, 30n * dev.unit);
    await drive(confirmed('deposits', 4));
    const change = await depositGas();
    await t.engine.services.watch.tick(chain);
    const mark = await dev.markFork();
    const markHead = await dev.head();
    const before = await dev.nativeBalance(tank);
    await ok<GasReclaimView>('sweeps:reclaimGasChange', { chain }, ops.alice);
    await drive(confirmed('gas_return', 3));
    const returned = (await sweeps()).find((s) => s.kind === 'gas_return')!;
    await t.engine.services.watch.tick(chain);

    await dev.forkFrom(mark, (await dev.head()) - markHead + 2);
    expect(await dev.nativeBalance(tank)).toBe(before);
    await t.engine.services.watch.tick(chain);
    await t.engine.services.sweeps.tick(chain);
    expect((await sweeps()).find((s) => s.id === returned.id)!.state).toBe('broadcast');
    expect(await depositGas()).toBe(change);

    await drive(confirmed('gas_return', 3));
    expect(await dev.nativeBalance(tank)).toBe(before + BigInt(returned.amount));
    const bookings = await t.engine.database.db.selectFrom('ledger_transfers').select(['code', 'reverses_id']).where('cause_type', '=', 'sweep').where('cause_id', '=', returned.id).orderBy('id').execute();
    // The return and its fee, both reversed, then both booked again.
    expect(bookings.map((b) => [b.code, b.reverses_id !== null])).toEqual([
      ['gas', false],
      ['gas', false],
      ['correction', true],
      ['correction', true],
      ['gas', false],
      ['gas', false],
    ]);
    await expectReconciled();
  }, 180_000);

  it.runIf(chain !== 'tron')('a return the address cannot pay fails once, named in an alert; the rule then sweeps the change to holding', async () => {
    await dev.sendToken(client.address, 20n * dev.unit);
    await drive(confirmed('deposits', 5));
    const change = await depositGas();
    // Half the change leaves the address outside the books (anvil_setBalance): the return cannot be paid.
    const balance = await dev.nativeBalance(client.address);
    await dev.rpc('anvil_setBalance', [client.address, `0x${(balance - change / 2n).toString(16)}`]);
    const reclaim = await ok<GasReclaimView>('sweeps:reclaimGasChange', { chain }, ops.alice);
    expect(reclaim.planned).toHaveLength(1);
    await drive(async () => (await sweeps()).some((s) => s.id === reclaim.planned[0]!.id && s.state === 'failed'));
    const alerts = await ok<ChainAlertView[]>('sweeps:alerts', { chain, limit: 20 });
    const failed = alerts.filter((a) => a.kind === 'sweep_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain('return to the gas tank');
    expect(failed[0]!.message).toContain('of gas change');

    // The next native deposit is swept by the rule without another try at the return; the change rides along.
    await dev.sendNative(client.address, dev.coin);
    await drive(confirmed('deposits', 6));
    expect((await sweeps()).filter((s) => s.kind === 'gas_return')).toHaveLength(4);
    expect((await ok<ChainAlertView[]>('sweeps:alerts', { chain, limit: 20 })).filter((a) => a.kind === 'sweep_failed')).toHaveLength(1);
    // What was there of the change went to holding; what vanished stays on the books, and reconciliation names it.
    expect(await depositGas()).toBe(change / 2n);
    const report = await ok<ChainReconciliation>('audit:reconciliation', { chains: [chain] });
    const native = report.lines.find((l) => l.assetId === dev.native)!;
    expect(native.causes.filter((c) => c.kind === 'unexplained').map((c) => c.amount)).toEqual([(-(change / 2n)).toString()]);
  }, 180_000);
});
