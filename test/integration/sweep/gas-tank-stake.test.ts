import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GasTankView } from '@shared/domain/sweeps';
import type { Result } from '@shared/result';
import { BroadcastRejectedError } from '@engine/chains/errors';
import type { StakeAction } from '@engine/chains/adapter';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * The Tron gas tank's stake on the devnode, run as java-tron's Stake 2.0 actuators: an officer unstakes TRX (it
 * stops giving energy at once and waits the 14-day unstaking period), withdraws it once due; the engine refuses
 * in words what the node would refuse (too much, too early, more than 32 waiting), and the node refuses it too.
 */
const TRX = 1_000_000n;
const DAY_MS = 86_400_000n;
let tron: TronDevnode;
let t: TestEngine;
let tank: string;

const call = <T>(channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' }) as Promise<Result<T>>;
const tankView = async () => (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'tron')!;
const adapter = () => t.engine.services.chains.adapter('tron');
const audited = async (action: string) => (await t.engine.database.db.selectFrom('audit_log').select('change').where('action', '=', action).execute()).length;

/** A stake transaction signed with the tank's key and sent straight to the node, past the engine's own checks. */
async function sendRaw(action: StakeAction): Promise<unknown> {
  const a = await adapter();
  const native = await t.engine.services.assets.get('tron:TRX');
  const key = t.engine.services.custody.keyring().gasTankKey('tron');
  try {
    await a.broadcast(await a.signWithKey(await a.energy!.buildStake(action, native), key.privateKey));
    return null;
  } catch (error) {
    return error;
  }
}

beforeAll(async () => {
  tron = await startTronDevnode({});
  t = await startUnlockedEngine({});
  await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: tron.url });
  tank = (await tankView()).address!;
  tron.fund(tank, 20_000n * TRX);
  await tron.mine();
  await callOk(t.engine, 'sweeps:stakeEnergy', { amount: (1_000n * TRX).toString() });
  await tron.mine();
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await tron?.stop();
});

describe('unstaking the gas tank', () => {
  it('refuses more than the tank has staked, in words, and signs nothing; the node refuses it too', async () => {
    const refused = await call('sweeps:unstakeEnergy', { amount: (1_001n * TRX).toString() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(!refused.ok && refused.error.message).toBe('The Tron gas tank can unstake at most 1,000.00 TRX now.');
    expect(await audited('gas_tank.energy_unstaked')).toBe(0);
    const node = await sendRaw({ kind: 'unfreeze', owner: tank, sun: 1_001n * TRX });
    expect(node).toBeInstanceOf(BroadcastRejectedError);
    expect((node as Error).message).toContain('Invalid unfreeze_balance, [1001000000] is error');
  });

  it('unstakes: the energy goes at once, the amount waits the 14 days, audited, shown on the card', async () => {
    const before = await tankView();
    expect(before.energy).toMatchObject({ staked: (1_000n * TRX).toString(), unstaking: [], withdrawable: '0' });
    const headMs = BigInt((await (await adapter()).headBlock()).timestamp) * 1000n;
    await callOk(t.engine, 'sweeps:unstakeEnergy', { amount: (400n * TRX).toString() });
    await tron.mine();
    const after = await tankView();
    expect(after.energy!.staked).toBe((600n * TRX).toString());
    expect(BigInt(after.energy!.energyLimit)).toBeLessThan(BigInt(before.energy!.energyLimit));
    expect(after.energy!.unstaking).toHaveLength(1);
    const entry = after.energy!.unstaking[0]!;
    expect(entry).toMatchObject({ amount: (400n * TRX).toString(), due: false });
    // java-tron: the latest block's time when it was executed + getUnfreezeDelayDays x one day.
    const wait = BigInt(Date.parse(entry.withdrawableAt)) - headMs;
    expect(wait).toBeGreaterThanOrEqual(14n * DAY_MS);
    expect(wait).toBeLessThan(14n * DAY_MS + 60_000n);
    expect(await audited('gas_tank.energy_unstaked')).toBe(1);
  });

  it('refuses to withdraw before the period is over, naming when; the node refuses it too', async () => {
    const refused = await call('sweeps:withdrawUnstaked', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toMatch(/^Nothing unstaked can be withdrawn yet: 400\.00 TRX becomes withdrawable on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    const node = await sendRaw({ kind: 'withdrawUnfrozen', owner: tank, sun: 400n * TRX });
    expect((node as Error).message).toContain('no unFreeze balance to withdraw');
  });

  it('lets at most 32 unstakings wait at once, as java-tron', async () => {
    for (let i = 0; i < 31; i++) {
      await callOk(t.engine, 'sweeps:unstakeEnergy', { amount: (1n * TRX).toString() });
      await tron.mine();
    }
    expect((await tankView()).energy!.unstaking).toHaveLength(32);
    const refused = await call('sweeps:unstakeEnergy', { amount: (1n * TRX).toString() });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toMatch(/^32 unstakings of the Tron gas tank are already waiting, the most the network allows; the first can be withdrawn on /);
    const node = await sendRaw({ kind: 'unfreeze', owner: tank, sun: 1n * TRX });
    expect((node as Error).message).toContain('Invalid unfreeze operation, unfreezing times is over limit');
  });

  it('withdraws everything due once the period is over: the tank gets it back to the sun, less its bandwidth', async () => {
    // The last of the 32 was sent some blocks after the first: ten minutes past the first's due time covers them all.
    tron.skipTime(14n * DAY_MS + 600_000n);
    await tron.mine();
    const due = await tankView();
    expect(due.energy!.unstaking.every((u) => u.due)).toBe(true);
    expect(due.energy!.withdrawable).toBe((431n * TRX).toString());
    const balanceBefore = tron.trxBalance(tank);
    const done = await callOk<{ txHash: string; amount: string }>(t.engine, 'sweeps:withdrawUnstaked', {});
    expect(done.amount).toBe((431n * TRX).toString());
    await tron.mine();
    const receipt = await (await adapter()).receipt(done.txHash);
    expect(receipt).toMatchObject({ status: 'success' });
    expect(tron.trxBalance(tank) - balanceBefore).toBe(431n * TRX - receipt!.feePaid);
    const after = await tankView();
    expect(after.energy).toMatchObject({ staked: (569n * TRX).toString(), unstaking: [], withdrawable: '0' });
    expect(await audited('gas_tank.unstaked_withdrawn')).toBe(1);
    // Nothing left to withdraw: refused in words again.
    const again = await call('sweeps:withdrawUnstaked', {});
    expect(!again.ok && again.error.message).toBe('The Tron gas tank has nothing unstaked to withdraw.');
  });
});
