import type { HexAddress } from './encoding';

/**
 * Stake 2.0 resources as java-tron keeps them (chainbase EnergyProcessor / BandwidthProcessor, actuator
 * FreezeBalanceV2Actuator, DelegateResourceActuator, UnDelegateResourceActuator):
 * - an account's energy (bandwidth) limit is its weight, whole TRX staked for it by itself (not delegated away)
 *   plus what others delegated to it, times the network's total limit over the total weight of all stakes;
 * - usage recovers linearly over 24 hours (java-tron's 28,800-slot window), read at the head block's time;
 * - every account has 600 free bandwidth a day (getFreeNetLimit), used only when it covers a whole transaction;
 * - unstaking (UnfreezeBalanceV2Actuator) takes stake out at once into an entry that becomes withdrawable
 *   getUnfreezeDelayDays later (14 on mainnet); at most 32 entries may wait at once; WithdrawExpireUnfreeze (or the
 *   next unstake) moves the due ones to the balance.
 * The devnode has no other stakers: `otherEnergyWeight` / `otherNetWeight` stand for the rest of the network,
 * so the energy one staked TRX buys stays near mainnet's order (about 9 energy per TRX by default).
 */
export interface ResourceParams {
  getTotalEnergyLimit: bigint;
  getTotalNetLimit: bigint;
  getFreeNetLimit: bigint;
  /** Days an unstaked amount waits before it can be withdrawn (java-tron chain parameter, 14 on mainnet). */
  getUnfreezeDelayDays: bigint;
  /** Whole TRX staked by the rest of the network, for energy and for bandwidth. */
  otherEnergyWeight: bigint;
  otherNetWeight: bigint;
}

export const DEFAULT_RESOURCE_PARAMS: ResourceParams = {
  getTotalEnergyLimit: 90_000_000_000n,
  getTotalNetLimit: 43_200_000_000n,
  getFreeNetLimit: 600n,
  getUnfreezeDelayDays: 14n,
  otherEnergyWeight: 10_000_000_000n,
  otherNetWeight: 10_000_000_000n,
};

export const TRX_PRECISION = 1_000_000n;
/** java-tron's FROZEN_PERIOD: one day in ms, the unit of the unfreeze delay. */
export const FROZEN_PERIOD_MS = 86_400_000n;
/** UnfreezeBalanceV2Actuator.UNFREEZE_MAX_TIMES: unstakings that may wait at once. */
export const UNFREEZE_MAX_TIMES = 32;
/** Usage recovers over this window (java-tron: 28,800 slots of 3 s). */
export const RECOVERY_WINDOW_MS = 86_400_000n;

export type Resource = 'ENERGY' | 'BANDWIDTH';

/** One decaying usage counter: the amount used at `at` (ms), recovering linearly over the window. */
export interface Usage {
  used: bigint;
  at: bigint;
}

export interface AccountResources {
  /** FrozenV2 kept by the account itself (sun), per resource. */
  frozen: Record<Resource, bigint>;
  /** FrozenV2 delegated to others (sun), still the owner's stake. */
  delegatedOut: Record<Resource, bigint>;
  /** What others delegated to this account (sun). */
  acquired: Record<Resource, bigint>;
  /** UnfrozenV2: unstaked sun waiting for its expire time (ms) before it can be withdrawn. */
  unfrozen: Array<{ resource: Resource; amount: bigint; expireTime: bigint }>;
  energy: Usage;
  net: Usage;
  freeNet: Usage;
}

export function emptyResources(): AccountResources {
  return {
    frozen: { ENERGY: 0n, BANDWIDTH: 0n },
    delegatedOut: { ENERGY: 0n, BANDWIDTH: 0n },
    acquired: { ENERGY: 0n, BANDWIDTH: 0n },
    unfrozen: [],
    energy: { used: 0n, at: 0n },
    net: { used: 0n, at: 0n },
    freeNet: { used: 0n, at: 0n },
  };
}

export function copyResources(r: AccountResources): AccountResources {
  return {
    frozen: { ...r.frozen },
    delegatedOut: { ...r.delegatedOut },
    acquired: { ...r.acquired },
    unfrozen: r.unfrozen.map((u) => ({ ...u })),
    energy: { ...r.energy },
    net: { ...r.net },
    freeNet: { ...r.freeNet },
  };
}

/** What is still used of `usage` at `now`: linear recovery over 24 hours. */
export function usedNow(usage: Usage, now: bigint): bigint {
  const elapsed = now - usage.at;
  if (elapsed <= 0n) return usage.used;
  if (elapsed >= RECOVERY_WINDOW_MS) return 0n;
  return (usage.used * (RECOVERY_WINDOW_MS - elapsed)) / RECOVERY_WINDOW_MS;
}

export function consume(usage: Usage, amount: bigint, now: bigint): void {
  usage.used = usedNow(usage, now) + amount;
  usage.at = now;
}

/** The network's totals and the per-account limits they give. */
export class ResourceBook {
  constructor(
    readonly params: ResourceParams,
    private readonly all: () => Iterable<AccountResources>,
  ) {}

  /** Whole TRX staked for a resource across the network (the devnode's accounts and the rest). */
  totalWeight(resource: Resource): bigint {
    let sum = 0n;
    for (const r of this.all()) sum += (r.frozen[resource] + r.delegatedOut[resource]) / TRX_PRECISION;
    return sum + (resource === 'ENERGY' ? this.params.otherEnergyWeight : this.params.otherNetWeight);
  }

  totalLimit(resource: Resource): bigint {
    return resource === 'ENERGY' ? this.params.getTotalEnergyLimit : this.params.getTotalNetLimit;
  }

  /** The account's limit: its own undelegated stake plus what it received, in whole TRX, at the network's ratio. */
  limit(r: AccountResources, resource: Resource): bigint {
    const weight = (r.frozen[resource] + r.acquired[resource]) / TRX_PRECISION;
    return (weight * this.totalLimit(resource)) / this.totalWeight(resource);
  }

  left(r: AccountResources, resource: Resource, now: bigint): bigint {
    const used = usedNow(resource === 'ENERGY' ? r.energy : r.net, now);
    const left = this.limit(r, resource) - used;
    return left > 0n ? left : 0n;
  }

  freeNetLeft(r: AccountResources, now: bigint): bigint {
    const left = this.params.getFreeNetLimit - usedNow(r.freeNet, now);
    return left > 0n ? left : 0n;
  }

  /**
   * DelegateResourceActuator.validate: what the owner may still delegate is its own stake less the part its
   * current usage occupies (usage in sun at the network ratio, beyond what acquired stake covers).
   */
  delegatable(r: AccountResources, resource: Resource, now: bigint): bigint {
    const used = usedNow(resource === 'ENERGY' ? r.energy : r.net, now);
    const usageSun = (used * TRX_PRECISION * this.totalWeight(resource)) / this.totalLimit(resource);
    let remain = usageSun - r.acquired[resource];
    if (remain < 0n) remain = 0n;
    return r.frozen[resource] - remain;
  }
}

/** The delegation records: owner -> receiver, sun per resource. */
export class Delegations {
  readonly records = new Map<string, Record<Resource, bigint>>();

  private key(owner: HexAddress, receiver: HexAddress): string {
    return `${owner}:${receiver}`;
  }

  get(owner: HexAddress, receiver: HexAddress): Record<Resource, bigint> {
    return this.records.get(this.key(owner, receiver)) ?? { ENERGY: 0n, BANDWIDTH: 0n };
  }

  add(owner: HexAddress, receiver: HexAddress, resource: Resource, amount: bigint): void {
    const current = { ...this.get(owner, receiver) };
    current[resource] += amount;
    if (current.ENERGY === 0n && current.BANDWIDTH === 0n) this.records.delete(this.key(owner, receiver));
    else this.records.set(this.key(owner, receiver), current);
  }

  snapshot(): [string, Record<Resource, bigint>][] {
    return [...this.records].map(([k, v]) => [k, { ...v }]);
  }

  restore(entries: [string, Record<Resource, bigint>][]): void {
    this.records.clear();
    for (const [k, v] of entries) this.records.set(k, { ...v });
  }
}
