import type { Kysely } from 'kysely';
import { CHAIN_LABELS, CHAINS, type Chain } from '@shared/domain/chains';
import type { DepositState, DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';
import type { Database, DepositRow } from '../db/schema';
import type { Leases } from '../db/leases';
import { ChainLeases, type ChainLeaseOptions, type ChainLeaseStatus } from './chain-leases';
import { creditBelowMinimum } from './below-minimum-credit';
import { ChainWatcher, type ChainWatcherDeps, type ChainWatcherOptions, type ScanOutcome } from './chain-watcher';
import { PollingLoop } from './polling-loop';
import { listUnidentifiedFunds } from './strays/unidentified-funds';
import { StrayRecovery } from './strays/stray-recovery';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import { DEFAULT_RETRY, withRetry } from './retry';

export interface WatchServiceOptions extends ChainWatcherOptions, ChainLeaseOptions {
  /** Pause between ticks of a chain that is caught up. */
  pollIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
  /**
   * How long a chain must keep failing (or lagging) before it raises `chain_unhealthy` (`chain_lagging`): a
   * load-balanced endpoint is briefly behind or refusing all the time. Default 2 minutes.
   */
  troubleAlertAfterMs?: number;
}

/** One chain's watcher as its background loop last left it, for health output. */
export interface ChainWatchHealth {
  chain: Chain;
  lease: ChainLeaseStatus;
  /** The last block scanned, from the shared cursor (whichever process scanned it); null before the first scan. */
  lastScannedBlock: number | null;
  /** The chain head this process saw on its last tick, or (while another process holds the lease) asked for now; null when the chain did not answer. */
  head: number | null;
  /** head - lastScannedBlock, when both are known. */
  lagBlocks: number | null;
  /** Blocks the node's head was behind the block scanned last on this process's last tick (waited out, not a reorg). */
  nodeBehindBlocks: number;
  lastTickAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

/** The three chain watchers, their background loops, and the deposit and alert listings for the officer. */
export class WatchService {
  readonly watchers: Record<Chain, ChainWatcher>;
  /** Which process watches which chain (one per chain on a shared database); competed for once start() runs. */
  readonly leases: ChainLeases;
  /** Maker-checker recovery of the "Unidentified funds" queue. */
  readonly strays: StrayRecovery;
  private readonly loops = new Map<Chain, PollingLoop>();
  private readonly progress = new Map<Chain, { head: number; behind: number; at: string }>();
  private readonly errors = new Map<Chain, { message: string; at: string }>();
  /** Since when a chain's ticks fail (each already retried) or find it lagging, for the alerts. */
  private readonly failingSince = new Map<Chain, { at: number; ticks: number }>();
  private readonly laggingSince = new Map<Chain, number>();

  constructor(
    private readonly deps: ChainWatcherDeps & { leases: Leases },
    private readonly options: WatchServiceOptions = {},
  ) {
    this.watchers = Object.fromEntries(CHAINS.map((chain) => [chain, new ChainWatcher(chain, deps, options)])) as Record<Chain, ChainWatcher>;
    this.strays = new StrayRecovery(deps);
    this.leases = new ChainLeases(deps.leases, 'watch', { leaseRetryMs: options.leaseRetryMs, ready: options.ready, log: options.log });
    this.leases.onAcquired((chain) => this.loops.get(chain)?.wake());
  }

  watcher(chain: Chain): ChainWatcher {
    return this.watchers[chain];
  }

  /**
   * One scan and confirmation pass of a chain (tests drive this directly). Its outcome tells whether the chain's
   * node is healthy: failing ticks in a row raise `chain_unhealthy`, a node behind raises `chain_lagging`; a
   * good tick resolves them.
   */
  async tick(chain: Chain): Promise<ScanOutcome> {
    let outcome: ScanOutcome;
    try {
      outcome = await this.watchers[chain].tick();
    } catch (error) {
      const since = this.failingSince.get(chain) ?? { at: Date.now(), ticks: 0 };
      this.failingSince.set(chain, { at: since.at, ticks: since.ticks + 1 });
      // The database may be what failed: the tick's own error is the one to report.
      await this.unhealthy(chain, since.ticks + 1, since.at, error).catch(() => undefined);
      throw error;
    }
    this.failingSince.delete(chain);
    await this.healthy(chain, outcome);
    return outcome;
  }

  private troubleLastedEnough(since: number): boolean {
    return Date.now() - since >= (this.options.troubleAlertAfterMs ?? 120_000);
  }

  private async unhealthy(chain: Chain, failures: number, since: number, error: unknown): Promise<void> {
    if (failures < 2 || !this.troubleLastedEnough(since)) return;
    const { profile, chains } = await this.deps.configuration.get();
    await this.deps.alerts.raise({
      profile,
      kind: 'chain_unhealthy',
      chain,
      subject: `chain:${chain}`,
      message: `${CHAIN_LABELS[chain]}: the node at ${chains[chain].rpcUrl} failed ${failures} checks in a row. Deposits on ${CHAIN_LABELS[chain]} are not seen until it answers again; check the node or its endpoint in Settings.`,
      details: { failures, error: error instanceof Error ? error.message : String(error) },
    });
  }

  private async healthy(chain: Chain, outcome: ScanOutcome): Promise<void> {
    const { alerts, configuration } = this.deps;
    const { profile } = await configuration.get();
    const subject = `chain:${chain}`;
    await alerts.resolve(profile, 'chain_unhealthy', subject);
    const { lagBlocks } = await alerts.settings();
    const behindHead = Math.max(0, outcome.head - outcome.to);
    const lagging = outcome.nodeBehindBy > 0 || behindHead > lagBlocks;
    if (!lagging) this.laggingSince.delete(chain);
    else if (!this.laggingSince.has(chain)) this.laggingSince.set(chain, Date.now());
    if (lagging && this.troubleLastedEnough(this.laggingSince.get(chain)!)) {
      await alerts.raise({
        profile,
        kind: 'chain_lagging',
        chain,
        subject,
        message:
          outcome.nodeBehindBy > 0
            ? `${CHAIN_LABELS[chain]}: the node is ${outcome.nodeBehindBy} block${outcome.nodeBehindBy === 1 ? '' : 's'} behind the blocks already watched; deposits wait until it catches up.`
            : `${CHAIN_LABELS[chain]}: the watcher is ${behindHead} blocks behind the chain; deposits are credited late until it catches up.`,
        details: { nodeBehindBy: outcome.nodeBehindBy, behindHead, head: outcome.head },
      });
    } else if (!lagging) {
      await alerts.resolve(profile, 'chain_lagging', subject);
    }
  }

  /**
   * Competes for every chain's watch lease and starts one background loop per chain; a loop ticks only while
   * this process holds its chain's lease (checked on the lease's own connection before each tick), and a chain
   * that fails backs off without holding up the others.
   */
  start(): void {
    this.leases.start();
    for (const chain of CHAINS) {
      if (this.loops.has(chain)) continue;
      const loop = new PollingLoop(`${chain} watcher`, async () => {
        if (!(await this.leases.verify(chain))) return false;
        try {
          const outcome = await this.tick(chain);
          this.progress.set(chain, { head: outcome.head, behind: outcome.nodeBehindBy, at: new Date().toISOString() });
          // Behind the head: go on at once; caught up: wait for new blocks.
          return outcome.to < outcome.head;
        } catch (error) {
          this.errors.set(chain, { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() });
          throw error;
        }
      }, this.options.pollIntervalMs ?? 2_000, this.options.log);
      this.loops.set(chain, loop);
      loop.start();
    }
  }

  /** Stops the loops (waiting for a tick in progress), then gives the leases up for another process to take. */
  async stop(): Promise<void> {
    await Promise.all([...this.loops.values()].map((loop) => loop.stop()));
    this.loops.clear();
    await this.leases.stop();
  }

  /** Per chain: lease, last scanned block, head and lag, last error. */
  async health(): Promise<ChainWatchHealth[]> {
    const leases = new Map(this.leases.statuses().map((s) => [s.chain, s]));
    const out: ChainWatchHealth[] = [];
    for (const chain of CHAINS) {
      const next = await this.watchers[chain].cursor();
      const lastScannedBlock = next === null ? null : next - 1;
      const seen = this.leases.holds(chain) ? this.progress.get(chain) : undefined;
      const head = seen ? seen.head : await this.headNow(chain);
      const error = this.errors.get(chain);
      out.push({
        chain,
        lease: leases.get(chain)!,
        lastScannedBlock,
        head,
        lagBlocks: head !== null && lastScannedBlock !== null ? Math.max(0, head - lastScannedBlock) : null,
        nodeBehindBlocks: seen?.behind ?? 0,
        lastTickAt: this.progress.get(chain)?.at ?? null,
        lastError: error?.message ?? null,
        lastErrorAt: error?.at ?? null,
      });
    }
    return out;
  }

  /** One quick look at the chain head, for health output of a chain this process does not watch. */
  private async headNow(chain: Chain): Promise<number | null> {
    try {
      const adapter = await this.deps.chains.adapter(chain);
      const retry = { ...(this.options.retry ?? DEFAULT_RETRY), attempts: 1, timeoutMs: 3_000 };
      return Number((await withRetry(`${chain} head block`, () => adapter.headBlock(), retry)).number);
    } catch {
      return null;
    }
  }

  async deposits(filter: { walletId?: string; chain?: Chain; state?: DepositState; cursor?: string; limit: number }): Promise<Page<DepositView>> {
    const { profile, chains } = await this.deps.configuration.get();
    const db: Kysely<Database> = this.deps.db;
    let query = db.selectFrom('deposits').selectAll().where('profile', '=', profile).orderBy('seen_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.walletId) query = query.where('wallet_id', '=', filter.walletId);
    if (filter.chain) query = query.where('chain', '=', filter.chain);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.cursor) {
      const [seenAt, id] = filter.cursor.split('|');
      if (!seenAt || !id) throw new DomainError('validation', 'The page cursor is not valid.');
      query = query.where((eb) => eb.or([eb('seen_at', '<', seenAt), eb.and([eb('seen_at', '=', seenAt), eb('id', '<', id)])]));
    }
    const rows = await query.execute();
    const page = rows.slice(0, filter.limit);
    const cursors = new Map<string, number | null>();
    for (const chain of CHAINS) cursors.set(chain, await this.watchers[chain].cursor());
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toView(row, cursors.get(row.chain) ?? null, chains[row.chain as Chain].confirmations)),
      nextCursor: rows.length > filter.limit && last ? `${last.seen_at}|${last.id}` : null,
    };
  }

  /** An officer credits a below-minimum deposit to its wallet by hand (audited, once). */
  async creditBelowMinimum(depositId: string, operator: string): Promise<DepositView> {
    await creditBelowMinimum(this.deps, depositId, operator);
    const row = await this.deps.db.selectFrom('deposits').selectAll().where('id', '=', depositId).executeTakeFirstOrThrow();
    const { chains } = await this.deps.configuration.get();
    return toView(row, await this.watchers[row.chain as Chain].cursor(), chains[row.chain as Chain].confirmations);
  }

  /** The "Unidentified funds" queue (strays the watchers found at deposit addresses). */
  unidentifiedFunds(filter: { chain?: Chain; id?: string; limit: number }): Promise<UnidentifiedFundView[]> {
    return listUnidentifiedFunds(this.deps.db, this.deps.configuration, filter);
  }


}

function toView(row: DepositRow, nextBlock: number | null, required: number): DepositView {
  // Counted from the cursor for every deposit still in the chain, so a confirmed one never reads "5 of 20" after the depth was raised.
  const live = row.state === 'orphaned' ? 0 : nextBlock !== null ? Math.max(0, nextBlock - row.block_number) : row.confirmations;
  return {
    id: row.id,
    chain: row.chain as Chain,
    kind: row.kind,
    walletId: row.wallet_id,
    assetId: row.asset_id,
    amount: row.amount,
    txHash: row.tx_hash,
    logIndex: row.log_index,
    blockNumber: String(row.block_number),
    from: row.from_address,
    to: row.address,
    state: row.state,
    confirmations: live,
    requiredConfirmations: required,
    belowMinimum: row.below_minimum === 1,
    credited: row.kind === 'client' && ((row.credit_transfer_id !== null && row.below_minimum === 0 && row.reversal_transfer_id === null) || row.manual_credit_transfer_id !== null),
    creditKept: row.state === 'orphaned' && row.credit_transfer_id !== null && row.reversal_transfer_id === null,
    sweepId: row.sweep_id,
    seenAt: row.seen_at,
    confirmedAt: row.confirmed_at,
  };
}
