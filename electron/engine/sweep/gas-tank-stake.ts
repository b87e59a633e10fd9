import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { GasTankEnergyView } from '@shared/domain/sweeps';
import { formatAmountGrouped } from '@shared/money';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainAdapter, EnergyResources, EnergyStaking, StakeAction } from '../chains/adapter';
import type { ChainService } from '../chains/chain-service';
import { BroadcastRejectedError } from '../chains/errors';
import type { CustodyService } from '../custody/custody-service';
import type { Database } from '../db/schema';

/** java-tron's UnfreezeBalanceV2Actuator.UNFREEZE_MAX_TIMES: unstakings of one account that may wait at once. */
export const MAX_WAITING_UNSTAKES = 32;

type Staking = { adapter: ChainAdapter; energy: EnergyStaking; native: Asset; tank: { address: string; privateKey: string } };

/**
 * The Tron gas tank's Stake 2.0 stake, an officer's actions (audited): freeze TRX for energy, unstake some of it
 * (it leaves the stake at once and can be withdrawn after the network's unstaking period, 14 days on mainnet),
 * withdraw what is due. Each is checked here first, so a refusal is in words and nothing is signed; the node's
 * own refusal, should it still come, is reworded too.
 */
export class GasTankStake {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly custody: CustodyService,
    private readonly audit: AuditLog,
  ) {}

  async stake(sun: bigint, operator: string): Promise<{ txHash: string; address: string }> {
    if (sun < 1_000_000n) throw new DomainError('validation', 'Stake at least 1 TRX for energy.');
    const s = await this.staking();
    const balance = await s.adapter.balance(s.native, s.tank.address);
    if (balance < sun) {
      throw new DomainError('validation', `The Tron gas tank holds ${trx(balance, s.native)}, less than the ${trx(sun, s.native)} to stake.`, { address: s.tank.address });
    }
    return this.send(s, { kind: 'freeze', owner: s.tank.address, sun }, 'gas_tank.energy_staked', operator);
  }

  /** Takes `sun` out of the stake; it stops giving energy now and can be withdrawn once the unstaking period is over. */
  async unstake(sun: bigint, operator: string): Promise<{ txHash: string; address: string }> {
    const s = await this.staking();
    const [res, now] = await Promise.all([s.energy.resources(s.tank.address), this.chainNowMs(s.adapter)]);
    // Stake set aside for sweeps about to borrow it stays: unstaking it would make them burn TRX instead.
    const reserved = await this.reserved(s.tank.address);
    const free = res.stakedForEnergy - reserved;
    if (sun > free) {
      const aside = res.delegatedForEnergy + reserved;
      const asideNote = aside > 0n ? ` (${trx(aside, s.native)} more is lent to deposit addresses or set aside for their sweeps)` : '';
      throw new DomainError(
        'validation',
        free > 0n
          ? `The Tron gas tank can unstake at most ${trx(free, s.native)} now${asideNote}.`
          : `The Tron gas tank has no staked TRX it can unstake now${asideNote}.`,
        { staked: res.stakedForEnergy.toString(), free: (free > 0n ? free : 0n).toString() },
      );
    }
    const waiting = res.unstaking.filter((u) => u.withdrawableAtMs > now);
    if (waiting.length >= MAX_WAITING_UNSTAKES) {
      const first = Math.min(...waiting.map((u) => u.withdrawableAtMs));
      throw new DomainError(
        'conflict',
        `${MAX_WAITING_UNSTAKES} unstakings of the Tron gas tank are already waiting, the most the network allows; the first can be withdrawn on ${when(first)}.`,
        { waiting: waiting.length },
      );
    }
    return this.send(s, { kind: 'unfreeze', owner: s.tank.address, sun }, 'gas_tank.energy_unstaked', operator);
  }

  /** Moves every unstaked amount whose period is over back to the tank's spendable TRX. */
  async withdrawUnstaked(operator: string): Promise<{ txHash: string; address: string; amount: string }> {
    const s = await this.staking();
    const [res, now] = await Promise.all([s.energy.resources(s.tank.address), this.chainNowMs(s.adapter)]);
    const due = res.unstaking.filter((u) => u.withdrawableAtMs <= now).reduce((sum, u) => sum + u.sun, 0n);
    if (due <= 0n) {
      const next = res.unstaking.length > 0 ? res.unstaking.reduce((a, b) => (a.withdrawableAtMs <= b.withdrawableAtMs ? a : b)) : null;
      throw new DomainError(
        'conflict',
        next
          ? `Nothing unstaked can be withdrawn yet: ${trx(next.sun, s.native)} becomes withdrawable on ${when(next.withdrawableAtMs)}.`
          : 'The Tron gas tank has nothing unstaked to withdraw.',
        next ? { withdrawableAt: new Date(next.withdrawableAtMs).toISOString() } : {},
      );
    }
    const sent = await this.send(s, { kind: 'withdrawUnfrozen', owner: s.tank.address, sun: due }, 'gas_tank.unstaked_withdrawn', operator);
    return { ...sent, amount: due.toString() };
  }

  /** What the gas tank card shows: the stake, lent part, energy, unstakings and when each is due (chain time). */
  async view(): Promise<GasTankEnergyView> {
    const s = await this.staking();
    const [res, now] = await Promise.all([s.energy.resources(s.tank.address), this.chainNowMs(s.adapter)]);
    return energyView(res, now);
  }

  private async send(s: Staking, action: StakeAction, auditAction: string, operator: string): Promise<{ txHash: string; address: string }> {
    const signed = await s.adapter.signWithKey(await s.energy.buildStake(action, s.native), s.tank.privateKey);
    await this.audit.record({ operator, action: auditAction, entity: { type: 'gas_tank', id: 'tron' }, change: { address: s.tank.address, sun: action.sun.toString(), txHash: signed.txHash } });
    try {
      await s.adapter.broadcast(signed);
    } catch (error) {
      if (error instanceof BroadcastRejectedError) {
        throw new DomainError('conflict', `The Tron node refused the gas tank's ${ACTION_WORDS[action.kind]}; nothing changed. Refresh and try again.`, { reason: error.reason });
      }
      throw error;
    }
    return { txHash: signed.txHash, address: s.tank.address };
  }

  private async staking(): Promise<Staking> {
    const adapter = await this.chains.adapter('tron');
    if (!adapter.energy) throw new DomainError('validation', 'This Tron endpoint cannot stake for energy.');
    const native = (await this.assets.list('tron')).find((a) => a.contract === null)!;
    return { adapter, energy: adapter.energy, native, tank: this.custody.keyring().gasTankKey('tron') };
  }

  private async reserved(tank: string): Promise<bigint> {
    const rows = await this.db.selectFrom('sweep_energy').select('sun').where('owner', '=', tank).where('state', 'in', ['planned', 'delegating']).execute();
    return rows.reduce((sum, r) => sum + BigInt(r.sun), 0n);
  }

  /** java-tron decides "due" by its latest block's time, not the wall clock. */
  private async chainNowMs(adapter: ChainAdapter): Promise<number> {
    return (await adapter.headBlock()).timestamp * 1000;
  }
}

const ACTION_WORDS: Record<StakeAction['kind'], string> = {
  freeze: 'stake',
  unfreeze: 'unstaking',
  withdrawUnfrozen: 'withdrawal of unstaked TRX',
  delegate: 'energy delegation',
  undelegate: 'energy reclaim',
};

export function energyView(res: EnergyResources, nowMs: number): GasTankEnergyView {
  const unstaking = [...res.unstaking]
    .sort((a, b) => a.withdrawableAtMs - b.withdrawableAtMs)
    .map((u) => ({ amount: u.sun.toString(), withdrawableAt: new Date(u.withdrawableAtMs).toISOString(), due: u.withdrawableAtMs <= nowMs }));
  return {
    staked: res.stakedForEnergy.toString(),
    lent: res.delegatedForEnergy.toString(),
    energyLimit: res.energyLimit.toString(),
    energyUsed: res.energyUsed.toString(),
    unstaking,
    withdrawable: res.unstaking.filter((u) => u.withdrawableAtMs <= nowMs).reduce((sum, u) => sum + u.sun, 0n).toString(),
  };
}

function trx(sun: bigint, native: Asset): string {
  return `${formatAmountGrouped(sun, native.decimals)} ${native.symbol}`;
}

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
