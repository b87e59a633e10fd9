import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { ChainAdapter, EnergyResources, StakeAction } from '../chains/adapter';
import { BroadcastRejectedError } from '../chains/errors';
import type { AuditLog } from '../audit/audit-log';
import type { Database, SweepEnergyTable } from '../db/schema';
import type { Ledger } from '../ledger/ledger';

type Db = Kysely<Database>;
const NEVER_MINABLE = new Set(['TRANSACTION_EXPIRATION_ERROR', 'TAPOS_ERROR']);
type Key = { address: string; privateKey: string };

/** Sun of staked TRX whose delegation gives `energy` (java-tron: whole staked TRX x total limit / total weight). */
export function sunForEnergy(energy: bigint, r: Pick<EnergyResources, 'totalEnergyLimit' | 'totalEnergyWeight'>): bigint {
  if (r.totalEnergyLimit <= 0n) throw new Error('The Tron node reports no energy limit');
  // Rounded up, plus one TRX against the rounding of the receiver's limit.
  return ((energy * r.totalEnergyWeight + r.totalEnergyLimit - 1n) / r.totalEnergyLimit + 1n) * 1_000_000n;
}

/**
 * What the gas tank burns for the bandwidth of its own transactions (the delegation and the reclaim, `bytes` each),
 * as java-tron's BandwidthProcessor charges them in turn: its staked bandwidth if that covers a whole transaction,
 * else its free daily bandwidth if that does, else `priceSun` per byte in TRX.
 */
export function tankBandwidthFee(tank: Pick<EnergyResources, 'netLeft' | 'freeNetLeft'>, bytes: bigint[], priceSun: bigint): bigint {
  let staked = tank.netLeft;
  let free = tank.freeNetLeft;
  let fee = 0n;
  for (const size of bytes) {
    if (staked >= size) staked -= size;
    else if (free >= size) free -= size;
    else fee += size * priceSun;
  }
  return fee;
}

/**
 * Tron energy the gas tank lends a deposit address for one TRC-20 sweep instead of burning TRX (Stake 2.0).
 * Each step is saved before it acts (sweep_energy: planned -> delegating -> delegated -> reclaiming -> reclaimed),
 * the signed transaction before it is broadcast, so a crash anywhere resumes from the row, re-sends the same
 * bytes and still reclaims once the sweep is over. A planned row reserves the stake against other sweeps.
 */
export class EnergyDelegation {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly ledger: Ledger,
  ) {}

  /**
   * The sun this sweep lends (already reserved, or free in the tank's stake now), or null: no stake, not enough
   * of it, or this sweep's lending is over (it then burns TRX as before).
   */
  async plan(adapter: ChainAdapter, sweepId: string, tank: string, energy: bigint): Promise<bigint | null> {
    const row = await this.row(sweepId);
    if (!adapter.energy || energy <= 0n) return null;
    if (row?.state === 'delegated') {
      // A retry after a failed transfer: the energy it spent recovers only over 24 hours, so what is left must do.
      const lent = await adapter.energy.resources(row.receiver);
      return lent.energyLimit - lent.energyUsed >= energy ? BigInt(row.sun) : null;
    }
    if (row) return row.state === 'planned' || row.state === 'delegating' ? BigInt(row.sun) : null;
    const res = await adapter.energy.resources(tank);
    if (res.stakedForEnergy <= 0n) return null;
    const sun = sunForEnergy(energy, res);
    const reserved = await this.db.selectFrom('sweep_energy').select('sun').where('owner', '=', tank).where('state', 'in', ['planned', 'delegating']).execute();
    const free = res.stakedForEnergy - reserved.reduce((sum, r) => sum + BigInt(r.sun), 0n);
    return free >= sun ? sun : null;
  }

  /** Reserves `sun` of the tank's stake for the sweep (once). */
  async reserve(sweepId: string, tank: string, receiver: string, sun: bigint): Promise<void> {
    await this.db
      .insertInto('sweep_energy')
      .values({ sweep_id: sweepId, owner: tank, receiver, sun: sun.toString(), state: 'planned', tx_hash: null, raw: null, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('sweep_id').doNothing())
      .execute();
  }

  /** 'ready' once the delegation is mined (or none was planned), 'pending' while in flight, 'refused' when it failed on chain. */
  async delegate(adapter: ChainAdapter, sweepId: string, tank: Key, native: Asset): Promise<'ready' | 'pending' | 'refused'> {
    const row = await this.row(sweepId);
    if (!row || row.state === 'delegated' || row.state === 'reclaiming' || row.state === 'reclaimed') return 'ready';
    if (row.state === 'delegating') return this.follow(adapter, row, 'delegated', native);
    const sun = BigInt(row.sun);
    const action: StakeAction = { kind: 'delegate', owner: row.owner, receiver: row.receiver, sun };
    const signed = await adapter.signWithKey(await adapter.energy!.buildStake(action, native), tank.privateKey);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('sweep_energy').set({ state: 'delegating', tx_hash: signed.txHash, raw: signed.raw, updated_at: new Date().toISOString() }).where('sweep_id', '=', sweepId).where('state', '=', 'planned').execute();
      await this.audit.record({ operator: 'system', action: 'sweep.energy_delegated', entity: { type: 'sweep', id: sweepId }, change: { receiver: row.receiver, sun: row.sun, txHash: signed.txHash } }, trx);
    });
    await adapter.broadcast(signed);
    return 'pending';
  }

  /** Reclaims the energy of every sweep that is over (confirmed or failed) and follows reclaims in flight. */
  async reclaimFinished(adapter: ChainAdapter, native: Asset, tank: Key): Promise<void> {
    const rows = await this.db
      .selectFrom('sweep_energy')
      .innerJoin('sweeps', 'sweeps.id', 'sweep_energy.sweep_id')
      .selectAll('sweep_energy')
      .where('sweep_energy.state', 'in', ['planned', 'delegated', 'reclaiming'])
      .where('sweeps.state', 'in', ['confirmed', 'failed'])
      .execute();
    for (const row of rows) {
      if (row.state === 'planned') {
        // Nothing was lent: the reservation ends with the sweep.
        await this.db.updateTable('sweep_energy').set({ state: 'reclaimed', updated_at: new Date().toISOString() }).where('sweep_id', '=', row.sweep_id).where('state', '=', 'planned').execute();
        continue;
      }
      if (row.state === 'reclaiming') {
        await this.follow(adapter, row, 'reclaimed', native);
        continue;
      }
      const action: StakeAction = { kind: 'undelegate', owner: row.owner, receiver: row.receiver, sun: BigInt(row.sun) };
      const signed = await adapter.signWithKey(await adapter.energy!.buildStake(action, native), tank.privateKey);
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('sweep_energy').set({ state: 'reclaiming', tx_hash: signed.txHash, raw: signed.raw, updated_at: new Date().toISOString() }).where('sweep_id', '=', row.sweep_id).where('state', '=', 'delegated').execute();
        await this.audit.record({ operator: 'system', action: 'sweep.energy_reclaimed', entity: { type: 'sweep', id: row.sweep_id }, change: { receiver: row.receiver, sun: row.sun, txHash: signed.txHash } }, trx);
      });
      await adapter.broadcast(signed);
    }
  }

  /**
   * The saved step's receipt: mined moves it on; not yet seen re-sends the same bytes. A refused delegation lent
   * nothing (the row ends); a refused reclaim goes back to delegated and is tried again.
   */
  private async follow(adapter: ChainAdapter, row: SweepEnergyTable, next: 'delegated' | 'reclaimed', native: Asset): Promise<'ready' | 'pending' | 'refused'> {
    const receipt = await adapter.receipt(row.tx_hash!);
    if (!receipt) {
      try {
        await adapter.broadcast({ chain: 'tron', txHash: row.tx_hash!, raw: row.raw! });
      } catch (error) {
        // Expired or its reference block forked away: never minable, so the step is built again.
        if (error instanceof BroadcastRejectedError && NEVER_MINABLE.has(error.reason)) {
          const back = next === 'delegated' ? 'planned' : 'delegated';
          await this.db.updateTable('sweep_energy').set({ state: back, tx_hash: null, raw: null, updated_at: new Date().toISOString() }).where('sweep_id', '=', row.sweep_id).where('state', '=', row.state).execute();
        }
      }
      return 'pending';
    }
    const ok = receipt.status === 'success';
    const state = ok ? next : next === 'delegated' ? 'reclaimed' : 'delegated';
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('sweep_energy').set({ state, updated_at: new Date().toISOString() }).where('sweep_id', '=', row.sweep_id).where('state', '=', row.state).execute();
      // The tank's bandwidth for the step (once its free bandwidth is spent), booked as its funding fees are.
      if (receipt.feePaid > 0n) {
        await this.ledger.transfer(
          { idempotencyKey: `sweep:${row.sweep_id}:energy:${row.tx_hash}`, debit: { kind: 'gas_expense', assetId: native.id }, credit: { kind: 'company_reserve', assetId: native.id }, amount: receipt.feePaid, code: 'gas', cause: { type: 'sweep', id: row.sweep_id }, memo: 'Gas tank lending energy to the deposit address' },
          trx,
        );
      }
    });
    return ok ? 'ready' : 'refused';
  }

  private row(sweepId: string): Promise<SweepEnergyTable | undefined> {
    return this.db.selectFrom('sweep_energy').selectAll().where('sweep_id', '=', sweepId).executeTakeFirst();
  }
}
