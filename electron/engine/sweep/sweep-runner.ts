import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { chainFamily, CHAIN_LABELS, CHAINS, type Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import type { GasReclaimView, GasTankView, SweepState, SweepView, SweepWaitReason } from '@shared/domain/sweeps';
import { DomainError } from '@shared/result';
import { formatAmount } from '@shared/money';
import type { ChainAdapter, EvmFeeFloor, SignedTransaction, TransferIntent, TxReceipt } from '../chains/adapter';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import { REFUSALS, refusalOf, type RefusalKind } from '../outgoing/refusals';
import { assertLifecycleMove, decideAfterRefusal, receiptsOf, replacementFloorOf, type TxPhase } from '../outgoing/tx-lifecycle';
import { bookingKey, outgoingReorgAlert, recheckReceipt, recheckWindow, reverseBookings } from '../outgoing/reorg-check';
import type { AuditLog } from '../audit/audit-log';
import type { AlertCenter } from '../alerts/alert-center';
import type { AlertKind, AlertView } from '@shared/domain/alerts';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { CustodyService } from '../custody/custody-service';
import type { SeedKeyring } from '../custody/derivation';
import type { Database, SweepRow, SweepTxRow } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';
import type { Ledger, TransferRequest } from '../ledger/ledger';
import type { EventBus } from '../events';
import { PollingLoop } from '../watch/polling-loop';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../watch/retry';
import type { SweepRules } from './sweep-rules';
import { feeInAssetUnits, feeWithinLimit } from './fee-limit';
import { EnergyDelegation, tankBandwidthFee } from './energy-delegation';
import { GasTankStake } from './gas-tank-stake';
import { clientHeldAt, openNativeStrays } from './client-held';
import { strayAsset } from '../watch/strays/stray-return';
import { gasChangeAt, gasReturnBookings, quoteReturn, worthReturning } from './gas-return';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import type { Leases } from '../db/leases';
import { ChainLeases, type ChainLeaseOptions, type ChainLeaseStatus } from '../watch/chain-leases';

type Db = Kysely<Database>;
/** What a receipt says about where and at what cost a transaction was mined. */
type Mined = Pick<TxReceipt, 'feePaid' | 'blockNumber' | 'blockHash' | 'failure'>;

const FINAL: SweepState[] = ['confirmed', 'failed'];

/**
 * Where the step's transaction is in the shared lifecycle (outgoing/tx-lifecycle.ts). A sweep runs one or two
 * transactions in turn (gas, then the sweep): gas_funded is the build phase of the second.
 */
const SWEEP_PHASES: Record<SweepState, TxPhase> = {
  planned: 'build',
  waiting: 'build',
  gas_signed: 'broadcast',
  gas_funding: 'track',
  gas_funded: 'build',
  signed: 'broadcast',
  broadcast: 'track',
  confirmed: 'final',
  failed: 'final',
};

export interface SweepRunnerOptions {
  /** Attempts (each a fresh transaction after a revert or a drop) before a sweep fails for good. */
  maxAttempts?: number;
  /** A broadcast transaction not mined after this long is replaced with a higher fee (EVM) or re-sent (Tron). */
  stuckAfterMs?: number;
  /**
   * Headroom on the token transfer's fee quote when the gas tank funds a deposit address; 30% leaves room for
   * two 12% fee bumps of a stuck token transfer without a second funding.
   */
  gasMarginPercent?: number;
  pollIntervalMs?: number;
  /** How often a chain's gas tank balance is read for its low alert; default once a minute. */
  gasTankCheckMs?: number;
  /** Pause between attempts to take a chain's sweep lease while another process holds it; default 5000. */
  leaseRetryMs?: number;
  /** Whether a chain may be swept yet (its workspace set up, its endpoint confirmed). */
  ready?: ChainLeaseOptions['ready'];
  retry?: RetryPolicy;
  log?: (message: string, error?: unknown) => void;
}

/** The sweep runner as this process sees it, for health output. */
export interface SweepHealth {
  /** False while the seed is locked here: this process then neither asks for sweep leases nor sweeps. */
  enabled: boolean;
  chains: Array<{ chain: Chain; lease: ChainLeaseStatus; openSweeps: Partial<Record<SweepState, number>> }>;
  lastRunAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface SweepRunnerDeps {
  db: Db;
  configuration: ConfigurationService;
  chains: ChainService;
  assets: AssetRegistry;
  holding: HoldingWallets;
  custody: CustodyService;
  ledger: Ledger;
  audit: AuditLog;
  rules: SweepRules;
  leases: Leases;
  alerts: AlertCenter;
  /** Screens showing holdings and gas tanks refresh when a sweep moves. */
  events?: EventBus;
}

class Waiting extends Error {
  constructor(
    readonly reason: SweepWaitReason,
    readonly topUp: bigint | null = null,
  ) {
    super(reason);
  }
}

/**
 * Moves confirmed deposits into the holding wallet, one persisted state machine per (wallet, asset) sweep:
 * planned -> [gas_signed -> gas_funding -> gas_funded] -> signed -> broadcast -> confirmed, or back to planned
 * after a revert (until maxAttempts, then failed). Every transaction is signed and saved with its nonce before
 * it is broadcast, so a restart re-sends the same bytes instead of signing a second transfer; one sweep per
 * address at a time keeps a deposit address's nonces in order, and the gas tank's next nonce counts every
 * saved transaction still in flight, so none is reused or skipped.
 */
export class SweepRunner {
  private readonly opts: Required<Omit<SweepRunnerOptions, 'log' | 'retry' | 'leaseRetryMs' | 'ready'>>;
  private readonly retry: RetryPolicy;
  private loop: PollingLoop | null = null;
  /**
   * Which process sweeps which chain (one per chain on a shared database). On PostgreSQL only a process whose
   * seed is open asks for them, so a watcher running deposits only never keeps an officer's workstation from sweeping.
   */
  readonly leases: ChainLeases;
  private lastRunAt: string | null = null;
  /** When each chain's gas tank was last read against its threshold (checkGasTank). */
  private readonly tankCheckedAt = new Map<Chain, number>();
  private lastError: { message: string; at: string } | null = null;
  /** Tron energy the gas tank lends deposit addresses for their sweeps. */
  private readonly energy: EnergyDelegation;
  /** The Tron gas tank's stake: freeze, unstake, withdraw what is due (officer actions). */
  readonly stake: GasTankStake;

  constructor(
    private readonly deps: SweepRunnerDeps,
    private readonly options: SweepRunnerOptions = {},
  ) {
    // On SQLite (one process) the runner runs with the seed locked too, so planned sweeps show why they wait ('locked').
    const eligible = () => deps.leases.kind === 'in-process' || deps.custody.unlocked();
    this.leases = new ChainLeases(deps.leases, 'sweep', { leaseRetryMs: options.leaseRetryMs, ready: options.ready, log: options.log, eligible });
    this.opts = {
      maxAttempts: options.maxAttempts ?? 5,
      stuckAfterMs: options.stuckAfterMs ?? 180_000,
      gasMarginPercent: options.gasMarginPercent ?? 30,
      pollIntervalMs: options.pollIntervalMs ?? 3_000,
      gasTankCheckMs: options.gasTankCheckMs ?? 60_000,
    };
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.energy = new EnergyDelegation(deps.db, deps.audit, deps.ledger);
    this.stake = new GasTankStake(deps.db, deps.chains, deps.assets, deps.custody, deps.audit);
  }

  /** Competes for the chains' sweep leases and ticks, every pollIntervalMs, the chains whose lease this process holds. */
  start(): void {
    if (this.loop) return;
    this.leases.start();
    this.loop = new PollingLoop('sweep runner', async () => {
      try {
        for (const chain of this.leases.chains) {
          if (await this.leases.verify(chain)) await this.tick(chain);
        }
        this.lastRunAt = new Date().toISOString();
      } catch (error) {
        this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
        throw error;
      }
      return false;
    }, this.opts.pollIntervalMs, this.options.log);
    this.leases.onAcquired(() => this.loop?.wake());
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = null;
    await this.leases.stop();
  }

  async health(): Promise<SweepHealth> {
    const { profile } = await this.deps.configuration.get();
    const open = await this.deps.db
      .selectFrom('sweeps')
      .select(['chain', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('profile', '=', profile)
      .where('state', 'not in', FINAL)
      .groupBy(['chain', 'state'])
      .execute();
    return {
      enabled: this.deps.custody.unlocked(),
      chains: this.leases.statuses().map((lease) => ({
        chain: lease.chain,
        lease,
        openSweeps: Object.fromEntries(open.filter((r) => r.chain === lease.chain).map((r) => [r.state, Number(r.n)])),
      })),
      lastRunAt: this.lastRunAt,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
    };
  }

  /**
   * Re-checks the sweeps booked near the head (a reorg may have taken their block), plans what the rules ask
   * for, then moves every open sweep as far as it can go now.
   */
  async tick(chain?: Chain): Promise<void> {
    for (const c of chain ? [chain] : CHAINS) {
      await this.recheckConfirmed(c);
      await this.checkGasTank(c).catch((error) => this.options.log?.(`${c} gas tank check failed`, error));
    }
    await this.planByRules(chain);
    const { profile } = await this.deps.configuration.get();
    let query = this.deps.db.selectFrom('sweeps').select('id').where('profile', '=', profile).where('state', 'not in', FINAL).orderBy('created_at');
    if (chain) query = query.where('chain', '=', chain);
    for (const { id } of await query.execute()) {
      try {
        await this.runUntilBlocked(id);
      } catch (error) {
        await this.noteError(id, error);
        this.options.log?.(`sweep ${id} step failed`, error);
      }
    }
    if (!chain || chainFamily(chain) === 'tron') await this.reclaimEnergy().catch((error) => this.options.log?.('tron energy reclaim failed', error));
  }

  /** Energy lent to deposit addresses whose sweep is over goes back to the gas tank (needs the seed open). */
  private async reclaimEnergy(): Promise<void> {
    const pending = await this.deps.db.selectFrom('sweep_energy').select('sweep_id').where('state', 'in', ['planned', 'delegated', 'reclaiming']).executeTakeFirst();
    if (!pending || !this.deps.custody.unlocked()) return;
    const adapter = await this.deps.chains.adapter('tron');
    const native = (await this.deps.assets.list('tron')).find((a) => a.contract === null)!;
    await this.energy.reclaimFinished(adapter, native, this.deps.custody.keyring().gasTankKey('tron'));
  }

  /**
   * Freezes `sun` of the Tron gas tank's TRX for energy (Stake 2.0), which its TRC-20 sweeps then borrow instead
   * of burning TRX. Returns the transaction id once the node accepted it.
   */
  stakeGasTankForEnergy(sun: bigint, operator: string): Promise<{ txHash: string; address: string }> {
    return this.stake.stake(sun, operator);
  }

  async runUntilBlocked(sweepId: string, maxSteps = 12): Promise<SweepState> {
    for (let i = 0; i < maxSteps; i++) {
      if (!(await this.advance(sweepId))) break;
    }
    return (await this.row(sweepId)).state as SweepState;
  }

  // ---- reorgs ----

  /**
   * Confirmed sweeps whose transaction was mined within the re-check window of the head: one whose receipt is
   * gone or moved is unbooked and tracked again (outgoing/reorg-check.ts).
   */
  private async recheckConfirmed(chain: Chain): Promise<void> {
    const { profile, chains } = await this.deps.configuration.get();
    const booked = await this.deps.db
      .selectFrom('sweep_txs')
      .innerJoin('sweeps', 'sweeps.id', 'sweep_txs.sweep_id')
      .select(['sweep_txs.id as txId', 'sweep_txs.tx_hash', 'sweep_txs.block_number', 'sweep_txs.block_hash', 'sweeps.id as sweepId', 'sweeps.updated_at'])
      .where('sweeps.profile', '=', profile)
      .where('sweeps.chain', '=', chain)
      .where('sweeps.state', '=', 'confirmed')
      .where('sweep_txs.purpose', '=', 'sweep')
      .where('sweep_txs.state', '=', 'mined')
      .orderBy('sweeps.updated_at', 'desc')
      .execute();
    if (booked.length === 0) return;
    const adapter = await this.deps.chains.adapter(chain);
    const head = Number((await this.call(chain, 'head', () => adapter.headBlock())).number);
    const from = head - recheckWindow(chains[chain].confirmations);
    for (const tx of booked) {
      if (tx.block_number === null || tx.block_number < from) continue;
      const check = await this.call(chain, 'receipt re-check', () => recheckReceipt(adapter, tx.tx_hash, { blockNumber: tx.block_number!, blockHash: tx.block_hash }));
      if (check.kind === 'same' || check.kind === 'behind') continue;
      try {
        await this.unbook(await this.row(tx.sweepId), adapter, check.kind === 'gone');
      } catch (error) {
        this.options.log?.(`sweep ${tx.sweepId}: undoing the booking of a reorged sweep failed`, error);
      }
    }
  }

  /**
   * The block that confirmed the sweep is no longer in the chain (or the transaction sits in another one now):
   * every transfer its booking wrote is reversed, its deposits are back to confirmed (still this sweep's), its
   * transactions are followed again, and the sweep goes back to broadcast; it is booked again, under the next
   * round's keys, once mined anew. All in one database transaction; an alert names it. A transaction the chain
   * no longer has is sent again from its stored bytes (a node drops what an orphaned block held only if the new
   * chain made it invalid; a reverted devnet forgets it).
   */
  private async unbook(sweep: SweepRow, adapter: ChainAdapter, resend: boolean): Promise<void> {
    const asset = await this.assetOf(sweep);
    const txs = await this.deps.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).orderBy('created_at').execute();
    const mined = txs.filter((t) => t.state === 'mined');
    const sweepTx = mined.find((t) => t.purpose === 'sweep')!;
    const round = sweep.booking_round;
    const keys = [`sweep:${sweep.id}`, `sweep:${sweep.id}:gas-change`, `sweep:${sweep.id}:excess`, ...mined.map((t) => `sweep:${sweep.id}:gas:${t.tx_hash}`)].map((k) => bookingKey(k, round));
    const memo = `Block ${sweepTx.block_number} with the sweep was orphaned by a reorg`;
    let raised: AlertView | null = null;
    await this.deps.db.transaction().execute(async (trx) => {
      const reversals = await reverseBookings(trx, this.deps.ledger, keys, { type: 'sweep', id: sweep.id }, memo);
      const at = new Date().toISOString();
      // The mined transaction and those it settled as replaced (same nonce) may each be mined now: all followed again.
      await trx
        .updateTable('sweep_txs')
        .set({ state: 'broadcast', fee_paid: null, block_number: null, block_hash: null, updated_at: at })
        .where('sweep_id', '=', sweep.id)
        .where('purpose', '=', 'sweep')
        .where('state', 'in', ['mined', 'replaced'])
        .execute();
      await trx.updateTable('deposits').set({ state: 'confirmed', updated_at: at }).where('sweep_id', '=', sweep.id).where('state', '=', 'swept').execute();
      await this.settleReturn(trx, sweep, 'returning', 'unidentified_funds.return_reorged', { txHash: sweepTx.tx_hash });
      await this.transitionIn(trx, sweep, { state: 'broadcast', booking_round: round + 1, confirmed_at: null }, 'sweep.reorged', {
        txHash: sweepTx.tx_hash,
        block: sweepTx.block_number,
        blockHash: sweepTx.block_hash,
        reversalTransferIds: reversals,
        round,
      });
      raised = await outgoingReorgAlert(trx, this.deps.alerts, {
        subject: `sweep:${sweep.id}:${round}`,
        profile: sweep.profile,
        chain: sweep.chain as Chain,
        message: `The sweep of ${formatAmount(BigInt(sweep.amount), asset.decimals)} ${asset.symbol} from ${sweep.from_address}, confirmed in block ${sweepTx.block_number}, was taken back by a reorg: its booking was undone and it is tracked until it is mined again.`,
        details: { sweepId: sweep.id, txHash: sweepTx.tx_hash, block: sweepTx.block_number, reversalTransferIds: reversals },
      });
    });
    this.deps.alerts.announce(raised);
    if (!resend) return;
    // The gas funding first: the sweep's transaction needs its coins.
    for (const tx of mined.sort((a, b) => (a.purpose === b.purpose ? 0 : a.purpose === 'gas' ? -1 : 1))) {
      if (tx.purpose === 'gas' && (await adapter.receipt(tx.tx_hash))) continue;
      await adapter.broadcast({ chain: sweep.chain as Chain, txHash: tx.tx_hash, raw: tx.raw }).catch((error) => this.options.log?.(`sweep ${sweep.id}: re-sending ${tx.tx_hash} after a reorg failed`, error));
    }
  }

  // ---- planning ----

  private async planByRules(chain?: Chain): Promise<void> {
    const now = Date.now();
    for (const rule of await this.deps.rules.all(chain)) {
      if (rule.mode === 'manual') continue;
      if (rule.mode === 'schedule') {
        if (rule.lastRunAt && now - Date.parse(rule.lastRunAt) < rule.intervalMinutes * 60_000) continue;
        await this.plan(rule.asset, rule.minAmount, 'schedule');
        await this.deps.rules.markRun(rule.asset.id, new Date(now).toISOString());
      } else {
        await this.plan(rule.asset, rule.minAmount, 'rule');
      }
    }
  }

  /** An officer's "sweep now": whatever is confirmed and unswept, however small. */
  async sweepNow(request: { assetId: string; walletId?: string }, operator = 'officer'): Promise<SweepView[]> {
    const asset = await this.deps.assets.get(request.assetId);
    if (request.walletId) await this.assertWalletOn(request.walletId, asset.chain);
    const planned = await this.plan(asset, 1n, 'manual', operator, request.walletId);
    return planned.map(toView);
  }

  private async assertWalletOn(walletId: string, chain: Chain): Promise<void> {
    const wallet = await this.deps.db.selectFrom('wallets').select('chain').where('id', '=', walletId).executeTakeFirst();
    if (!wallet) throw new DomainError('not_found', 'The wallet does not exist.', { walletId });
    if (wallet.chain !== chain) throw new DomainError('asset_mismatch', `The wallet is on ${CHAIN_LABELS[wallet.chain as Chain]}, not ${CHAIN_LABELS[chain]}.`, { walletId });
  }

  /** An officer's "sweep now" for a chain (or one wallet on it): each asset with confirmed unswept deposits. */
  async sweepChain(request: { chain: Chain; walletId?: string }, operator = 'officer'): Promise<SweepView[]> {
    if (request.walletId) await this.assertWalletOn(request.walletId, request.chain);
    const planned: SweepRow[] = [];
    for (const asset of await this.deps.assets.list(request.chain)) planned.push(...(await this.plan(asset, 1n, 'manual', operator, request.walletId)));
    return planned.map(toView);
  }

  private async plan(asset: Asset, minAmount: bigint, trigger: 'rule' | 'schedule' | 'manual', operator?: string, walletId?: string): Promise<SweepRow[]> {
    const { db, audit } = this.deps;
    const { profile } = await this.deps.configuration.get();
    let query = db
      .selectFrom('deposits')
      .select(['id', 'wallet_id', 'amount', 'below_minimum', 'confirmed_at'])
      .where('profile', '=', profile)
      .where('chain', '=', asset.chain)
      .where('asset_id', '=', asset.id)
      .where('kind', '=', 'client')
      .where('state', '=', 'confirmed')
      .where('sweep_id', 'is', null);
    if (walletId) query = query.where('wallet_id', '=', walletId);
    const byWallet = new Map<string, { ids: string[]; total: bigint; credited: boolean; newest: string }>();
    for (const d of await query.execute()) {
      const entry = byWallet.get(d.wallet_id!) ?? { ids: [], total: 0n, credited: false, newest: '' };
      entry.ids.push(d.id);
      entry.total += BigInt(d.amount);
      entry.credited ||= d.below_minimum === 0;
      if ((d.confirmed_at ?? '') > entry.newest) entry.newest = d.confirmed_at ?? '';
      byWallet.set(d.wallet_id!, entry);
    }
    const created: SweepRow[] = [];
    for (const [wallet, { ids, total, credited, newest }] of byWallet) {
      // Deposits below the minimum ride along with the address's next sweep; alone they are not worth its gas.
      if (total < minAmount || total <= 0n || (!credited && trigger !== 'manual')) continue;
      if (trigger !== 'manual' && (await this.failedSinceLastDeposit(wallet, asset.id, newest))) continue;
      // The address's next native sweep returns the gas tank's change there first (gas-return.ts says why); the
      // native sweep is planned on a later tick, once the return is over. Change too small to return rides along.
      if (asset.contract === null && ['planned', 'busy'].includes((await this.planGasReturn(asset, wallet, trigger, operator)).outcome)) continue;
      const row = await db.transaction().execute(async (trx) => {
        // One open sweep per address: its nonces stay in order and native gas never mixes between two sweeps.
        const open = await trx.selectFrom('sweeps').selectAll().where('wallet_id', '=', wallet).where('state', 'not in', FINAL).executeTakeFirst();
        if (open) {
          // A sweep held because its fee was too high for its amount takes the new deposits: it may pay now.
          if (open.state === 'waiting' && open.wait_reason === 'fee_above_limit' && open.asset_id === asset.id && open.stray_id === null) {
            const at = new Date().toISOString();
            const grown = (BigInt(open.amount) + total).toString();
            await trx.updateTable('sweeps').set({ amount: grown, updated_at: at }).where('id', '=', open.id).where('state', '=', 'waiting').execute();
            await trx.updateTable('deposits').set({ sweep_id: open.id, updated_at: at }).where('id', 'in', ids).where('sweep_id', 'is', null).execute();
            await audit.record({ operator: operator ?? 'system', action: 'sweep.grown', entity: { type: 'sweep', id: open.id }, change: { from: open.amount, to: grown, deposits: ids } }, trx);
          }
          return null;
        }
        const address = (await trx.selectFrom('wallets').select('address').where('id', '=', wallet).executeTakeFirstOrThrow()).address;
        const at = new Date().toISOString();
        const sweep: SweepRow = {
          id: randomUUID(),
          profile,
          chain: asset.chain,
          wallet_id: wallet,
          asset_id: asset.id,
          from_address: address,
          to_address: null,
          amount: total.toString(),
          excess: '0',
          state: 'planned',
          wait_reason: null,
          top_up_amount: null,
          attempts: 0,
          trigger,
          operator: operator ?? null,
          error: null,
          created_at: at,
          updated_at: at,
          confirmed_at: null,
          booking_round: 0,
          expected_fee: null,
          stray_id: null,
          kind: 'deposits',
        };
        await trx.insertInto('sweeps').values(sweep).execute();
        await trx.updateTable('deposits').set({ sweep_id: sweep.id, updated_at: at }).where('id', 'in', ids).where('sweep_id', 'is', null).execute();
        await audit.record(
          {
            operator: operator ?? 'system',
            action: 'sweep.planned',
            entity: { type: 'sweep', id: sweep.id },
            change: { walletId: wallet, assetId: asset.id, amount: sweep.amount, deposits: ids, trigger },
          },
          trx,
        );
        return sweep;
      });
      if (row) created.push(row);
    }
    return created;
  }

  /**
   * A gas return for one address when its change is worth sending back: 'planned' (the row), 'busy' (a sweep of
   * the address is under way), 'too_small' (the fee would eat all of it), or 'none' (no change there, the seed
   * is locked (the tank's address comes from it), or the rule's last return failed: the change then rides to
   * holding as before).
   */
  private async planGasReturn(native: Asset, walletId: string, trigger: 'rule' | 'schedule' | 'manual', operator?: string): Promise<{ outcome: 'planned'; row: SweepRow } | { outcome: 'busy' | 'too_small' | 'none' }> {
    const change = await gasChangeAt(this.deps.ledger, native, walletId);
    if (change === 0n || !this.deps.custody.unlocked()) return { outcome: 'none' };
    const { db, audit } = this.deps;
    // The rule does not try again a return that failed (it would fail and alert every tick): the change then rides
    // to holding with the native sweep; an officer's "Reclaim gas change" still tries.
    if (trigger !== 'manual') {
      const last = await db.selectFrom('sweeps').select('state').where('wallet_id', '=', walletId).where('kind', '=', 'gas_return').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (last?.state === 'failed') return { outcome: 'none' };
    }
    const wallet = await db.selectFrom('wallets').select(['address']).where('id', '=', walletId).executeTakeFirstOrThrow();
    const adapter = await this.deps.chains.adapter(native.chain);
    const tank = this.deps.custody.keyring().gasTankKey(native.chain).address;
    const { worth, fee } = await this.call(native.chain, 'gas return fee quote', () => quoteReturn(adapter, native, wallet.address, tank, change));
    if (!worth) return { outcome: 'too_small' };
    const { profile } = await this.deps.configuration.get();
    return db.transaction().execute(async (trx) => {
      const open = await trx.selectFrom('sweeps').select('id').where('wallet_id', '=', walletId).where('state', 'not in', FINAL).executeTakeFirst();
      if (open) return { outcome: 'busy' as const };
      const at = new Date().toISOString();
      const row: SweepRow = {
        id: randomUUID(), profile, chain: native.chain, wallet_id: walletId, asset_id: native.id, from_address: wallet.address, to_address: adapter.normalizeAddress(tank),
        amount: change.toString(), excess: '0', state: 'planned', wait_reason: null, top_up_amount: null, attempts: 0, trigger, operator: operator ?? null, error: null,
        created_at: at, updated_at: at, confirmed_at: null, booking_round: 0, expected_fee: fee.toString(), kind: 'gas_return', stray_id: null,
      };
      await trx.insertInto('sweeps').values(row).execute();
      await audit.record({ operator: operator ?? 'system', action: 'sweep.gas_return_planned', entity: { type: 'sweep', id: row.id }, change: { walletId, assetId: native.id, change: row.amount, expectedFee: row.expected_fee, trigger } }, trx);
      return { outcome: 'planned' as const, row };
    });
  }

  /**
   * An officer's "Reclaim gas change" for a chain: a gas return for every deposit address whose change is worth
   * sending back to the gas tank. The request is audited with what it found; each return is a sweep of its own.
   */
  async reclaimGasChange(request: { chain: Chain }, operator = 'officer'): Promise<GasReclaimView> {
    if (!this.deps.custody.unlocked()) throw new DomainError('locked', 'Open the vault first: the gas change is sent back with each deposit address\'s own key.');
    const native = (await this.deps.assets.list(request.chain)).find((a) => a.contract === null)!;
    const holders = await this.deps.db
      .selectFrom('ledger_accounts')
      .select('wallet_id')
      .where('kind', '=', 'deposit_gas')
      .where('asset_id', '=', native.id)
      .where('wallet_id', 'is not', null)
      .execute();
    // A wallet of the other EVM chain holds this chain's gas at its address after returning funds sent here.
    const family = CHAINS.filter((c) => chainFamily(c) === chainFamily(request.chain));
    const mine = new Set((await this.deps.db.selectFrom('wallets').select('id').where('chain', 'in', family).execute()).map((w) => w.id));
    const view: GasReclaimView = { chain: request.chain, planned: [], tooSmall: 0, busy: 0 };
    for (const { wallet_id } of holders) {
      if (!wallet_id || !mine.has(wallet_id)) continue;
      const result = await this.planGasReturn(native, wallet_id, 'manual', operator);
      if (result.outcome === 'planned') view.planned.push(toView(result.row));
      else if (result.outcome === 'too_small') view.tooSmall++;
      else if (result.outcome === 'busy') view.busy++;
    }
    await this.deps.audit.record({
      operator,
      action: 'sweep.gas_reclaim_requested',
      entity: { type: 'chain', id: request.chain },
      change: { planned: view.planned.map((p) => p.id), change: view.planned.reduce((sum, p) => sum + BigInt(p.amount), 0n).toString(), tooSmall: view.tooSmall, busy: view.busy },
    });
    return view;
  }

  /**
   * The rules do not plan again what just failed (a balance below what was credited, say) until a new deposit
   * arrives: re-planning it every tick would fail and alert every tick. An officer's "sweep now" still does.
   */
  private async failedSinceLastDeposit(walletId: string, assetId: string, newestDeposit: string): Promise<boolean> {
    const last = await this.deps.db
      .selectFrom('sweeps')
      .select(['state', 'updated_at'])
      .where('wallet_id', '=', walletId)
      .where('asset_id', '=', assetId)
      // Neither a return of unidentified funds nor a gas return that failed says anything about the deposits:
      // their sweep is still planned by the rule.
      .where('stray_id', 'is', null)
      .where('kind', '=', 'deposits')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.state === 'failed' && last.updated_at >= newestDeposit;
  }

  // ---- the state machine ----

  /** One step. Returns true when the sweep moved and may move again at once. */
  async advance(sweepId: string): Promise<boolean> {
    const sweep = await this.row(sweepId);
    const asset = await this.assetOf(sweep);
    try {
      switch (sweep.state as SweepState) {
        case 'planned':
        case 'waiting':
          return await this.prepare(sweep, asset);
        case 'gas_signed':
          return await this.broadcastSaved(sweep, 'gas', 'gas_funding');
        case 'gas_funding':
          return await this.followGas(sweep, asset);
        case 'gas_funded':
          return await this.signTokenSweep(sweep, asset);
        case 'signed':
          return await this.broadcastSaved(sweep, 'sweep', 'broadcast');
        case 'broadcast':
          return await this.followSweep(sweep, asset);
        default:
          return false;
      }
    } catch (error) {
      if (error instanceof Waiting) return this.wait(sweep, error.reason, error.topUp);
      if (error instanceof DomainError && error.code === 'locked') return this.wait(sweep, 'locked', null);
      throw error;
    }
  }

  private call<T>(chain: Chain, what: string, work: () => Promise<T>): Promise<T> {
    return withRetry(`${chain} ${what}`, work, this.retry);
  }

  /**
   * `to`: where the sweep sends: the holding wallet, the sender a return of unidentified funds goes back to, or
   * the gas tank for a gas return.
   */
  private async context(sweep: SweepRow, asset: Asset) {
    const chain = asset.chain;
    const keyring = this.deps.custody.keyring();
    const adapter = await this.deps.chains.adapter(chain);
    let to: string;
    if (sweep.stray_id !== null) {
      to = sweep.to_address!;
    } else if (sweep.kind === 'gas_return') {
      to = keyring.gasTankKey(chain).address;
    } else {
      const holding = await this.deps.holding.find(chain);
      if (!holding) throw new Waiting('no_holding_wallet');
      to = holding.address;
    }
    const native = (await this.deps.assets.list(chain)).find((a) => a.contract === null)!;
    const wallet = await this.deps.db.selectFrom('wallets').selectAll().where('id', '=', sweep.wallet_id).executeTakeFirstOrThrow();
    const depth = (await this.deps.configuration.get()).chains[chain].confirmations;
    return { chain, to: adapter.normalizeAddress(to), keyring, adapter, native, wallet, depth };
  }

  private async prepare(sweep: SweepRow, asset: Asset): Promise<boolean> {
    const ctx = await this.context(sweep, asset);
    const { chain, adapter, native, keyring } = ctx;
    if (asset.contract === null) return this.signNativeSweep(sweep, asset, ctx);

    const amount = BigInt(sweep.amount);
    if (sweep.stray_id !== null) {
      const there = await this.call(chain, 'balance', () => adapter.balance(asset, sweep.from_address));
      const clients = asset.id.startsWith('stray:') ? 0n : await clientHeldAt(this.deps.db, this.deps.ledger, ctx.wallet.id, asset.id);
      if (there - clients < amount) return this.fail(sweep, `the ${formatAmount(amount, asset.decimals)} ${asset.symbol} to return are no longer at the address`);
    }
    let quote = await this.call(chain, 'fee quote', () =>
      adapter.estimateFee({ asset, from: sweep.from_address, to: ctx.to, amount }),
    );
    const tank = keyring.gasTankKey(chain);
    const lend = await this.lendableEnergy(sweep, adapter, tank.address, native, quote.detail);
    // The tank's own bandwidth burn for lending and reclaiming the energy is part of what this sweep costs.
    const tankLending = lend?.tankFee ?? 0n;
    // With the tank's energy lent, the transfer pays bandwidth alone (none while the address's free bandwidth lasts).
    if (lend !== null) quote = { ...quote, maxFee: lend.bandwidthFee };
    const needed = ceilPercent(quote.maxFee, this.opts.gasMarginPercent);
    const nativeBalance = await this.call(chain, 'native balance', () => adapter.balance(native, sweep.from_address));
    // Native coins at the address that belong to the client (credited or still confirming) are not for gas.
    const clientNative = (await clientHeldAt(this.deps.db, this.deps.ledger, ctx.wallet.id, native.id)) + (await openNativeStrays(this.deps.db, ctx.wallet.id, chain));
    const spare = nativeBalance > clientNative ? nativeBalance - clientNative : 0n;
    // Energy can be delegated only to an activated account: one never holding TRX is funded (and so activated) first.
    if (spare >= needed && (lend === null || lend.activated)) {
      await this.checkFeeLimit(sweep, asset, native, quote.maxFee + tankLending, amount);
      if (tankLending > 0n) {
        const tankBalance = await this.call(chain, 'gas tank balance', () => adapter.balance(native, tank.address));
        if (tankBalance < tankLending) throw new Waiting('gas_tank_low', tankLending - tankBalance);
      }
      if (lend !== null) await this.energy.reserve(sweep.id, tank.address, sweep.from_address, lend.sun);
      await this.transition(sweep, { state: 'gas_funded', to_address: ctx.to }, 'sweep.gas_ready', { spare: spare.toString(), needed: needed.toString() });
      return true;
    }
    const fund = needed > spare ? needed - spare : 1n;
    const tankIntent: TransferIntent = { asset: native, from: tank.address, to: sweep.from_address, amount: fund };
    const [tankQuote, tankBalance] = await Promise.all([
      this.call(chain, 'gas tank fee quote', () => adapter.estimateFee(tankIntent)),
      this.call(chain, 'gas tank balance', () => adapter.balance(native, tank.address)),
    ]);
    // The sweep's cost is its own fee and the gas tank's fee for funding it.
    await this.checkFeeLimit(sweep, asset, native, quote.maxFee + tankQuote.maxFee + tankLending, amount);
    if (tankBalance < fund + tankQuote.maxFee + tankLending) throw new Waiting('gas_tank_low', fund + tankQuote.maxFee + tankLending - tankBalance);
    if (lend !== null) await this.energy.reserve(sweep.id, tank.address, sweep.from_address, lend.sun);
    const signed = await this.sign(chain, adapter, tankIntent, tank.privateKey);
    await this.saveSigned(sweep, 'gas', tankIntent, signed, 'gas_signed', { to_address: ctx.to });
    return true;
  }

  /**
   * Tron TRC-20: the gas tank's staked energy this sweep may borrow instead of burning TRX, with the bandwidth fee
   * the transfer still pays and the TRX the tank burns for the bandwidth of lending and reclaiming it (none while
   * its own bandwidth lasts); null when the tank has no free stake for it (then TRX is burned as before).
   */
  private async lendableEnergy(
    sweep: SweepRow,
    adapter: ChainAdapter,
    tank: string,
    native: Asset,
    detail: Record<string, string>,
  ): Promise<{ sun: bigint; bandwidthFee: bigint; tankFee: bigint; activated: boolean } | null> {
    const staking = adapter.energy;
    if (!staking || detail.energy === undefined) return null;
    const sun = await this.call('tron', 'energy stake', () => this.energy.plan(adapter, sweep.id, tank, BigInt(detail.energy!)));
    if (sun === null) return null;
    const [deposit, tankResources, lendTx, reclaimTx] = await this.call('tron', 'deposit resources', () =>
      Promise.all([
        staking.resources(sweep.from_address),
        staking.resources(tank),
        staking.buildStake({ kind: 'delegate', owner: tank, receiver: sweep.from_address, sun }, native),
        staking.buildStake({ kind: 'undelegate', owner: tank, receiver: sweep.from_address, sun }, native),
      ]),
    );
    const price = BigInt(detail.bandwidthPriceSun ?? '0');
    const bytes = BigInt(detail.bandwidthBytes ?? '0');
    const bandwidthFee = deposit.activated && deposit.freeNetLeft >= bytes ? 0n : bytes * price;
    const tankFee = tankBandwidthFee(tankResources, [lendTx, reclaimTx].map((tx) => BigInt(tx.fee.detail.bandwidthBytes ?? '0')), price);
    return { sun, bandwidthFee, tankFee, activated: deposit.activated };
  }

  /**
   * Native coin sweeps send the whole balance minus the fee; Tron's fee depends on the size, so it is settled
   * exactly. A replacement (same nonce, higher fee) reads no balance: it spends what the replaced transaction
   * would have spent (value + fee), so an original mined meanwhile can never look like missing coins.
   */
  private async signNativeSweep(
    sweep: SweepRow,
    asset: Asset,
    ctx: Awaited<ReturnType<SweepRunner['context']>>,
    replacing?: { nonce: number | undefined; minFees: EvmFeeFloor; budget: bigint },
  ): Promise<boolean> {
    const { chain, adapter, keyring, wallet } = ctx;
    let balance: bigint;
    let inTransit = 0n;
    if (replacing) {
      balance = replacing.budget;
    } else if (sweep.kind === 'gas_return') {
      const ready = await this.gasReturnBudget(sweep, asset, ctx);
      if (typeof ready === 'string') return this.fail(sweep, ready);
      balance = ready;
    } else {
      const confirming = await this.deps.db
        .selectFrom('deposits')
        .select('id')
        .where('wallet_id', '=', wallet.id)
        .where('asset_id', '=', asset.id)
        .where('state', '=', 'seen')
        .executeTakeFirst();
      if (confirming) throw new Waiting('deposit_confirming');
      balance = await this.call(chain, 'balance', () => adapter.balance(asset, sweep.from_address));
      inTransit = BigInt((await this.deps.ledger.balance({ kind: 'deposit_in_transit', assetId: asset.id, walletId: wallet.id })).posted);
      if (sweep.stray_id !== null) {
        // A return sends back the stray coins alone, its network fee paid out of them; the rest stays for the sweep.
        if (balance - inTransit < BigInt(sweep.amount)) return this.fail(sweep, `the ${formatAmount(BigInt(sweep.amount), asset.decimals)} ${asset.symbol} to return are no longer at the address`);
        balance = BigInt(sweep.amount);
        inTransit = balance;
      } else {
        // Undecided unidentified coins stay at the address for the officers' decision (they may go back).
        balance -= await openNativeStrays(this.deps.db, wallet.id, chain);
        if (balance < inTransit) {
          return this.fail(sweep, `the address holds ${formatAmount(balance, asset.decimals)} ${asset.symbol}, less than the ${formatAmount(inTransit, asset.decimals)} ${asset.symbol} credited and not yet swept; an officer must look at this address`, 'balance_mismatch');
        }
      }
    }
    const quote = await this.call(chain, 'fee quote', () =>
      adapter.estimateFee({ asset, from: sweep.from_address, to: ctx.to, amount: balance, ...(replacing ? { minFees: replacing.minFees } : {}) }),
    );
    // A native sweep pays its fee out of what it moves: the rule sets that fee against the balance. A gas return
    // is sent only when its fee is less than what it brings back.
    if (!replacing && sweep.kind === 'gas_return' && !worthReturning(balance, quote.maxFee)) {
      return this.fail(sweep, `the ${formatAmount(balance, asset.decimals)} ${asset.symbol} of gas change no longer cover the network fee of ${formatAmount(quote.maxFee, asset.decimals)} ${asset.symbol} to send them back`);
    }
    if (!replacing && sweep.kind !== 'gas_return') await this.checkFeeLimit(sweep, asset, asset, quote.maxFee, balance);
    const returning = sweep.stray_id !== null;
    const key = keyring.depositKey(chain, wallet.derivation_index).privateKey;
    let fee = quote.maxFee;
    let intent: TransferIntent | null = null;
    let signed: Awaited<ReturnType<SweepRunner['sign']>> | null = null;
    for (let round = 0; round < 4; round++) {
      if (balance <= fee) {
        // A replacement that cannot pay more leaves the original to be mined (or to be replaced later).
        if (replacing) throw new Error(`A replacement paying ${fee} does not fit in the ${balance} the sweep spends; the pending transaction stays.`);
        return this.fail(sweep, `the ${formatAmount(balance, asset.decimals)} ${asset.symbol} at the address do not cover the network fee of ${formatAmount(fee, asset.decimals)} ${asset.symbol}`);
      }
      intent = { asset, from: sweep.from_address, to: ctx.to, amount: balance - fee };
      signed = await this.sign(chain, adapter, intent, key, replacing?.minFees, replacing?.nonce);
      if (signed.maxFee === fee) break;
      fee = signed.maxFee;
    }
    const sent = intent!.amount;
    await this.saveSigned(
      sweep,
      'sweep',
      intent!,
      signed!,
      'signed',
      // A replacement keeps the excess measured when the sweep was first signed.
      replacing || sweep.kind === 'gas_return' ? { to_address: ctx.to, amount: sent.toString() } : { to_address: ctx.to, amount: sent.toString(), excess: (balance - inTransit).toString() },
      async (trx) => {
        if (returning || sweep.kind === 'gas_return') return;
        // Everything confirmed at this address is in the balance being sent, so all of it belongs to this sweep.
        await trx
          .updateTable('deposits')
          .set({ sweep_id: sweep.id, updated_at: new Date().toISOString() })
          .where('wallet_id', '=', wallet.id)
          .where('asset_id', '=', asset.id)
          .where('state', '=', 'confirmed')
          .where('sweep_id', 'is', null)
          .execute();
      },
    );
    return true;
  }

  private async signTokenSweep(sweep: SweepRow, asset: Asset): Promise<boolean> {
    const ctx = await this.context(sweep, asset);
    if (ctx.adapter.energy) {
      // The energy planned for this sweep is delegated and mined before the transfer that spends it is signed.
      const lent = await this.call(ctx.chain, 'energy delegation', () => this.energy.delegate(ctx.adapter, sweep.id, ctx.keyring.gasTankKey(ctx.chain), ctx.native));
      if (lent === 'pending') return false;
      if (lent === 'refused') return this.retryOrFail(sweep, "the network refused the gas tank's energy delegation; the sweep burns TRX instead");
    }
    const intent: TransferIntent = { asset, from: sweep.from_address, to: ctx.to, amount: BigInt(sweep.amount) };
    const key = ctx.keyring.depositKey(ctx.chain, ctx.wallet.derivation_index).privateKey;
    const signed = await this.sign(ctx.chain, ctx.adapter, intent, key);
    await this.saveSigned(sweep, 'sweep', intent, signed, 'signed', {});
    return true;
  }

  /** `minFees`: a replacement's floor (the replaced fees + 12.5%); the market's fee is paid when higher. */
  private async sign(chain: Chain, adapter: ChainAdapter, intent: TransferIntent, privateKey: string, minFees?: EvmFeeFloor, nonce?: number) {
    const useNonce = chainFamily(chain) === 'evm' ? (nonce ?? (await this.nextNonce(chain, adapter, intent.from))) : undefined;
    const unsigned = await this.call(chain, 'build transfer', () =>
      adapter.buildTransfer({ ...intent, ...(useNonce !== undefined ? { nonce: useNonce } : {}), ...(minFees ? { minFees } : {}) }),
    );
    const signed = await adapter.signWithKey(unsigned, privateKey);
    return { signed, nonce: useNonce ?? null, maxFee: unsigned.fee.maxFee, feeBumpPercent: 0 };
  }

  /** The chain's pending count, or one past the highest nonce we saved and have not seen settle, whichever is higher. */
  private async nextNonce(chain: Chain, adapter: ChainAdapter, from: string): Promise<number> {
    const pending = await this.call(chain, 'nonce', () => adapter.nextNonce!(from));
    const { profile } = await this.deps.configuration.get();
    const ours = await this.deps.db
      .selectFrom('sweep_txs')
      .select((eb) => eb.fn.max('nonce').as('max'))
      .where('profile', '=', profile)
      .where('chain', '=', chain)
      .where('from_address', '=', from)
      .where('state', 'in', ['signed', 'broadcast'])
      .executeTakeFirst();
    const max = ours?.max;
    return max === null || max === undefined ? pending : Math.max(pending, Number(max) + 1);
  }

  private async saveSigned(
    sweep: SweepRow,
    purpose: 'gas' | 'sweep',
    intent: TransferIntent,
    tx: { signed: SignedTransaction; nonce: number | null; maxFee: bigint; feeBumpPercent: number },
    next: SweepState,
    patch: Partial<Pick<SweepRow, 'to_address' | 'amount' | 'excess'>>,
    alsoInTransaction?: (trx: Db) => Promise<void>,
  ): Promise<void> {
    const at = new Date().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await alsoInTransaction?.(trx);
      if (tx.nonce !== null) tx = { ...tx, feeBumpPercent: await this.bumpOverReplaced(trx, sweep, purpose, tx.nonce, tx.maxFee) };
      await trx
        .insertInto('sweep_txs')
        .values({
          id: randomUUID(),
          sweep_id: sweep.id,
          profile: sweep.profile,
          chain: sweep.chain,
          purpose,
          from_address: intent.from,
          to_address: intent.to,
          nonce: tx.nonce,
          value: intent.amount.toString(),
          max_fee: tx.maxFee.toString(),
          fee_bump_percent: tx.feeBumpPercent,
          tx_hash: tx.signed.txHash,
          raw: tx.signed.raw,
          state: 'signed',
          fee_paid: null,
          block_number: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await this.transitionIn(trx, sweep, { state: next, ...patch }, purpose === 'gas' ? 'sweep.gas_signed' : 'sweep.signed', {
        txHash: tx.signed.txHash,
        nonce: tx.nonce,
        value: intent.amount.toString(),
        maxFee: tx.maxFee.toString(),
        feeBumpPercent: tx.feeBumpPercent,
      });
    });
  }

  /** How much more (percent, rounded down) this transaction pays than the dearest earlier one with its nonce; 0 for the first. */
  private async bumpOverReplaced(trx: Db, sweep: SweepRow, purpose: 'gas' | 'sweep', nonce: number, maxFee: bigint): Promise<number> {
    const earlier = await trx.selectFrom('sweep_txs').select('max_fee').where('sweep_id', '=', sweep.id).where('purpose', '=', purpose).where('nonce', '=', nonce).execute();
    const dearest = earlier.reduce((m, t) => (BigInt(t.max_fee) > m ? BigInt(t.max_fee) : m), 0n);
    return dearest > 0n ? Number(((maxFee - dearest) * 100n) / dearest) : 0;
  }

  /**
   * Sends the saved bytes (again, after a restart: the node answers "known" and nothing is sent twice). An
   * earlier transaction of the step (same nonce) mined while this replacement waited is followed instead.
   */
  private async broadcastSaved(sweep: SweepRow, purpose: 'gas' | 'sweep', next: SweepState): Promise<boolean> {
    const chain = sweep.chain as Chain;
    const adapter = await this.deps.chains.adapter(chain);
    const tx = await this.deps.db
      .selectFrom('sweep_txs')
      .selectAll()
      .where('sweep_id', '=', sweep.id)
      .where('purpose', '=', purpose)
      .where('state', '=', 'signed')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!tx) throw new Error(`sweep ${sweep.id} is ${sweep.state} without a saved ${purpose} transaction`);
    const earlier = await this.inFlight(sweep, purpose);
    if (earlier.length > 0 && (await this.call(chain, 'receipts', () => receiptsOf(adapter, earlier.map((t) => t.tx_hash)))).length > 0) {
      await this.markAndMove(sweep, tx, 'replaced', next, 'sweep.replacement_unsent', { txHash: tx.tx_hash, reason: 'an earlier transaction of this step is mined' });
      return true;
    }
    try {
      await adapter.broadcast({ chain, txHash: tx.tx_hash, raw: tx.raw });
    } catch (error) {
      return this.afterRefusal(sweep, purpose, tx, earlier, next, error);
    }
    await this.markAndMove(sweep, tx, 'broadcast', next, purpose === 'gas' ? 'sweep.gas_broadcast' : 'sweep.broadcast', { txHash: tx.tx_hash });
    return true;
  }

  /** Marks a transaction and moves the sweep to the step's tracking state, in one database transaction. */
  private async markAndMove(sweep: SweepRow, tx: SweepTxRow, txState: SweepTxRow['state'], next: SweepState, action: string, change: Record<string, unknown>): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('sweep_txs').set({ state: txState, updated_at: new Date().toISOString() }).where('id', '=', tx.id).execute();
      await this.transitionIn(trx, sweep, { state: next, error: null }, action, change);
    });
  }

  /**
   * A node refused `tx` (lifecycle: outgoing/tx-lifecycle.ts). Receipts of every hash of the step are read
   * first: a refusal is often the node's way of saying one of ours is mined. Nothing is rebuilt, re-planned
   * or failed while an earlier transaction of the step may still be mined; the sweep follows that one.
   */
  private async afterRefusal(sweep: SweepRow, purpose: 'gas' | 'sweep', tx: SweepTxRow, earlier: SweepTxRow[], tracking: SweepState, error: unknown): Promise<boolean> {
    const kind = refusalOf(error);
    // No answer is no refusal: the bytes may have arrived, so the same bytes are sent again next tick.
    if (kind === null) throw error;
    const chain = sweep.chain as Chain;
    const adapter = await this.deps.chains.adapter(chain);
    const others = earlier.filter((t) => t.id !== tx.id);
    const receipts = await this.call(chain, 'receipts', () => receiptsOf(adapter, [...others, tx].map((t) => t.tx_hash)));
    const decision = decideAfterRefusal(kind, { oneOfOursMined: receipts.length > 0, othersLive: others.length > 0 });
    const why = `${REFUSALS[kind].explanation} (${tx.tx_hash})`;
    const change = { txHash: tx.tx_hash, refusal: kind, decision };
    switch (decision) {
      case 'follow_mined': {
        const minedIsThis = receipts.some((r) => r.txHash.toLowerCase() === tx.tx_hash.toLowerCase());
        await this.markAndMove(sweep, tx, minedIsThis ? 'broadcast' : 'replaced', tracking, 'sweep.refused_but_mined', change);
        return true;
      }
      case 'track':
        await this.markAndMove(sweep, tx, 'broadcast', tracking, 'sweep.broadcast', change);
        return true;
      case 'keep_following':
        await this.markAndMove(sweep, tx, 'dropped', tracking, 'sweep.refused', change);
        return true;
      case 'reprice':
        return this.reprice(sweep, purpose, tx, others, kind);
      case 'retry_later':
        throw error;
      case 'wait_funds':
      case 'rebuild':
        // Nothing else of the step is out there: a fresh quote, funding and transaction from planned.
        return this.retryOrFail(sweep, why, (trx) => dropTx(trx, tx));
      case 'give_up':
        return this.fail(sweep, why, 'sweep_failed', (trx) => dropTx(trx, tx));
    }
  }

  /** Most replacements of one nonce before an officer must look (each pays 12.5% more than the last). */
  private static readonly MAX_REPLACEMENTS = 8;

  /**
   * The node wants more: the same nonce again paying at least the larger of the market fee and every
   * earlier transaction of that nonce + 12.5%. The refused bytes never reached a mempool.
   */
  private async reprice(sweep: SweepRow, purpose: 'gas' | 'sweep', refused: SweepTxRow, others: SweepTxRow[], kind: RefusalKind): Promise<boolean> {
    const asset = await this.assetOf(sweep);
    const sameNonce = await this.deps.db.selectFrom('sweep_txs').select('id').where('sweep_id', '=', sweep.id).where('purpose', '=', purpose).where('nonce', '=', refused.nonce).execute();
    if (sameNonce.length >= SweepRunner.MAX_REPLACEMENTS) {
      // Enough: follow what is out there, or start over from a fresh quote (the fee floor setting may have changed).
      const why = `The node refused ${sameNonce.length} transactions with nonce ${refused.nonce} (${REFUSALS[kind].explanation}); check the fee floor setting.`;
      if (others.length === 0) return this.retryOrFail(sweep, why, (trx) => dropTx(trx, refused));
      await this.markAndMove(sweep, refused, 'dropped', purpose === 'gas' ? 'gas_funding' : 'broadcast', 'sweep.refused', { txHash: refused.tx_hash, refusal: kind, why });
      return false;
    }
    await dropTx(this.deps.db, refused);
    return this.signReplacement(sweep, asset, purpose, [...others, refused]);
  }

  private async inFlight(sweep: SweepRow, purpose: 'gas' | 'sweep'): Promise<SweepTxRow[]> {
    return this.deps.db
      .selectFrom('sweep_txs')
      .selectAll()
      .where('sweep_id', '=', sweep.id)
      .where('purpose', '=', purpose)
      .where('state', '=', 'broadcast')
      .orderBy('created_at')
      .execute();
  }

  /**
   * Every transaction of the step whose receipt is read: the live ones, and refused ones that share their
   * nonce (a load-balanced endpoint may refuse what another of its nodes took) or, on Tron, any refused one.
   */
  private async watched(sweep: SweepRow, purpose: 'gas' | 'sweep', live: SweepTxRow[]): Promise<SweepTxRow[]> {
    const nonces = new Set(live.map((t) => t.nonce));
    const dropped = await this.deps.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).where('purpose', '=', purpose).where('state', '=', 'dropped').orderBy('created_at').execute();
    return [...live, ...dropped.filter((t) => t.nonce === null || nonces.has(t.nonce))];
  }

  private async followGas(sweep: SweepRow, asset: Asset): Promise<boolean> {
    const adapter = await this.deps.chains.adapter(asset.chain);
    const live = await this.inFlight(sweep, 'gas');
    const txs = await this.watched(sweep, 'gas', live);
    for (const tx of txs) {
      const receipt = await this.call(asset.chain, 'receipt', () => adapter.receipt(tx.tx_hash));
      if (!receipt) continue;
      if (receipt.status === 'reverted') return this.reverted(sweep, tx, receipt);
      const native = (await this.deps.assets.list(asset.chain)).find((a) => a.contract === null)!;
      await this.deps.db.transaction().execute(async (trx) => {
        await this.deps.ledger.transfer(placedGas(sweep, native.id, tx), trx);
        await this.settleTx(trx, tx, txs, receipt);
        await this.transitionIn(trx, sweep, { state: 'gas_funded' }, 'sweep.gas_funded', { txHash: tx.tx_hash, feePaid: receipt.feePaid.toString() });
      });
      return true;
    }
    return this.replaceIfStuck(sweep, asset, live, 'gas');
  }

  private async followSweep(sweep: SweepRow, asset: Asset): Promise<boolean> {
    const adapter = await this.deps.chains.adapter(asset.chain);
    const depth = (await this.deps.configuration.get()).chains[asset.chain].confirmations;
    const live = await this.inFlight(sweep, 'sweep');
    const txs = await this.watched(sweep, 'sweep', live);
    for (const tx of txs) {
      const receipt = await this.call(asset.chain, 'receipt', () => adapter.receipt(tx.tx_hash));
      if (!receipt) continue;
      if (receipt.status === 'reverted') return this.reverted(sweep, tx, receipt);
      if (receipt.confirmations < depth) return false;
      await this.book(sweep, asset, tx, txs, receipt);
      return true;
    }
    return this.replaceIfStuck(sweep, asset, live, 'sweep');
  }

  /**
   * A confirmed sweep in the ledger. The client's balance does not move: value goes from the wallet's
   * deposit-in-transit account to holding.
   *
   * Gas: the gas tank is company money the ledger does not carry; what it sends to a deposit address is booked
   * when mined as company funds placed there (deposit_gas against company_reserve), so the change left after the
   * fee is explained on chain. The tank's own fees are the company contributing and spending at once (gas_expense
   * against company_reserve); a token sweep's fee is spent from the address's deposit_gas. A native sweep pays
   * its fee out of the swept coins (deposit-in-transit); coins it finds beyond what was credited are first the
   * gas change (leaving deposit_gas for holding), the rest recognised as a reserve top-up.
   */
  private async book(sweep: SweepRow, asset: Asset, tx: SweepTxRow, all: SweepTxRow[], mined: Mined): Promise<void> {
    const { db, ledger } = this.deps;
    const { feePaid, blockNumber: block } = mined;
    // After a reorg undid a booking, the next one books under new keys (the reversed ones would only replay).
    const key = (base: string) => bookingKey(base, sweep.booking_round);
    const native = (await this.deps.assets.list(asset.chain)).find((a) => a.contract === null)!;
    if (sweep.kind === 'gas_return') return this.bookGasReturn(sweep, native, tx, all, mined, key);
    const cause = { type: 'sweep', id: sweep.id };
    const inTransit = { kind: 'deposit_in_transit' as const, assetId: asset.id, walletId: sweep.wallet_id };
    const requests: TransferRequest[] = [];
    const returning = sweep.stray_id !== null;
    const excess = BigInt(sweep.excess);
    // Coins beyond the credited deposits: first the gas change the ledger placed there, carried to holding with
    // the sweep; anything else is recognised as company coins found at the address.
    const gasHeld = asset.contract === null ? BigInt((await ledger.balance({ kind: 'deposit_gas', assetId: asset.id, walletId: sweep.wallet_id })).posted) : 0n;
    const gasChange = excess < gasHeld ? excess : gasHeld > 0n ? gasHeld : 0n;
    if (gasChange > 0n) {
      requests.push({ idempotencyKey: key(`sweep:${sweep.id}:gas-change`), debit: inTransit, credit: { kind: 'deposit_gas', assetId: asset.id, walletId: sweep.wallet_id }, amount: gasChange, code: 'gas', cause, memo: 'Gas change at the deposit address, swept with it' });
    }
    if (excess > gasChange) {
      requests.push({ idempotencyKey: key(`sweep:${sweep.id}:excess`), debit: inTransit, credit: { kind: 'company_reserve', assetId: asset.id }, amount: excess - gasChange, code: 'reserve_topup', cause, memo: 'Company coins found at the deposit address' });
    }
    // What the mined transaction moved: a native sweep's replacements send less (they pay more fee), and the one
    // mined may be any of them.
    const moved = BigInt(tx.value);
    // A return pays the sender coins the books never held: no client or holding account moves.
    if (!returning) requests.push({ idempotencyKey: key(`sweep:${sweep.id}`), debit: { kind: 'holding', assetId: asset.id }, credit: inTransit, amount: moved, code: 'sweep', cause });
    const gasTxs = await db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).where('purpose', '=', 'gas').where('state', '=', 'mined').execute();
    for (const gas of gasTxs) {
      if (BigInt(gas.fee_paid ?? '0') > 0n) {
        requests.push({ idempotencyKey: key(`sweep:${sweep.id}:gas:${gas.tx_hash}`), debit: { kind: 'gas_expense', assetId: native.id }, credit: { kind: 'company_reserve', assetId: native.id }, amount: BigInt(gas.fee_paid!), code: 'gas', cause, memo: 'Gas tank funding the deposit address' });
      }
    }
    // A native return's fee came out of the returned stray coins, which the books never held.
    if (feePaid > 0n && !(returning && asset.contract === null)) {
      requests.push({
        idempotencyKey: key(`sweep:${sweep.id}:gas:${tx.tx_hash}`),
        debit: { kind: 'gas_expense', assetId: native.id },
        credit: asset.contract === null ? inTransit : { kind: 'deposit_gas', assetId: native.id, walletId: sweep.wallet_id },
        amount: feePaid,
        code: 'gas',
        cause,
      });
    }
    if (returning && asset.contract === null) {
      // On the other EVM chain nothing ever sweeps the address: what the fee left of the stray coins is booked as
      // company coins placed there (gas for a later token return, or a gas return), so reconciliation explains it.
      const wallet = await db.selectFrom('wallets').select('chain').where('id', '=', sweep.wallet_id).executeTakeFirstOrThrow();
      const left = BigInt(tx.max_fee) - feePaid;
      if (wallet.chain !== asset.chain && left > 0n) {
        requests.push({ idempotencyKey: key(`sweep:${sweep.id}:fee-left`), debit: { kind: 'deposit_gas', assetId: asset.id, walletId: sweep.wallet_id }, credit: { kind: 'company_reserve', assetId: asset.id }, amount: left, code: 'reserve_topup', cause, memo: 'Stray coins the return fee left at the address' });
      }
    }
    await db.transaction().execute(async (trx) => {
      await ledger.transferBatch(requests, trx);
      await this.settleTx(trx, tx, all, mined);
      const at = new Date().toISOString();
      await trx.updateTable('deposits').set({ state: 'swept', updated_at: at }).where('sweep_id', '=', sweep.id).where('state', '=', 'confirmed').execute();
      if (returning) await this.settleReturn(trx, sweep, 'done', 'unidentified_funds.returned', { txHash: tx.tx_hash, returnTo: sweep.to_address, amount: moved.toString(), feePaid: feePaid.toString() });
      await this.transitionIn(trx, sweep, { state: 'confirmed', amount: moved.toString(), confirmed_at: at, wait_reason: null, top_up_amount: null, error: null }, 'sweep.confirmed', {
        txHash: tx.tx_hash,
        amount: moved.toString(),
        feePaid: feePaid.toString(),
        block: block.toString(),
      });
    });
  }

  /**
   * Where a return of unidentified funds stands follows its sweep: done once booked, returning again after a
   * reorg took the block, open again (null) when it failed, so an officer may propose anything anew.
   */
  private async settleReturn(trx: Db, sweep: SweepRow, state: 'returning' | 'done' | null, action: string, change: Record<string, unknown>): Promise<void> {
    if (sweep.stray_id === null) return;
    const reopen = state === null ? { recovery_action: null, return_to: null, proposed_by: null, proposed_at: null, decided_by: null, decided_at: null, sweep_id: null } : {};
    await trx.updateTable('unidentified_funds').set({ recovery_state: state, ...reopen, updated_at: new Date().toISOString() }).where('id', '=', sweep.stray_id).execute();
    await this.deps.audit.record({ operator: 'system', action, entity: { type: 'unidentified_funds', id: sweep.stray_id }, change: { sweepId: sweep.id, ...change } }, trx);
  }

  /** A confirmed gas return: the change leaves the books for the gas tank (gas-return.ts says how it is booked). */
  private async bookGasReturn(sweep: SweepRow, native: Asset, tx: SweepTxRow, all: SweepTxRow[], mined: Mined, key: (base: string) => string): Promise<void> {
    const moved = BigInt(tx.value);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.ledger.transferBatch(gasReturnBookings(sweep, native, tx.tx_hash, moved, mined.feePaid, key), trx);
      await this.settleTx(trx, tx, all, mined);
      await this.transitionIn(trx, sweep, { state: 'confirmed', amount: moved.toString(), confirmed_at: new Date().toISOString(), wait_reason: null, top_up_amount: null, error: null }, 'sweep.gas_returned', {
        txHash: tx.tx_hash,
        amount: moved.toString(),
        feePaid: mined.feePaid.toString(),
        block: mined.blockNumber.toString(),
      });
    });
  }

  /**
   * What a gas return may send (fee included): the change the ledger booked at the address, provided the chain
   * shows it beside the client's own native coins there; otherwise why not.
   */
  private async gasReturnBudget(sweep: SweepRow, native: Asset, ctx: Awaited<ReturnType<SweepRunner['context']>>): Promise<bigint | string> {
    const change = await gasChangeAt(this.deps.ledger, native, sweep.wallet_id);
    // The client's own native coins and undecided unidentified coins stay at the address.
    const clientNative = (await clientHeldAt(this.deps.db, this.deps.ledger, sweep.wallet_id, native.id)) + (await openNativeStrays(this.deps.db, sweep.wallet_id, ctx.chain));
    const balance = await this.call(ctx.chain, 'balance', () => ctx.adapter.balance(native, sweep.from_address));
    if (change === 0n) return 'no gas change is left at the address';
    if (balance < clientNative + change) {
      return `the address holds ${formatAmount(balance, native.decimals)} ${native.symbol}, less than the ${formatAmount(change, native.decimals)} ${native.symbol} of gas change beside the client's ${formatAmount(clientNative, native.decimals)} ${native.symbol}; an officer must look at this address`;
    }
    return change;
  }

  /** Marks the mined transaction and its replacements (same nonce, never to be mined now). */
  private async settleTx(trx: Db, tx: SweepTxRow, all: SweepTxRow[], mined: Mined): Promise<void> {
    const at = new Date().toISOString();
    await trx
      .updateTable('sweep_txs')
      .set({ state: 'mined', fee_paid: mined.feePaid.toString(), block_number: Number(mined.blockNumber), block_hash: mined.blockHash.toLowerCase(), updated_at: at }).where('id', '=', tx.id).execute();
    // Refused ones stay 'dropped': they never reached a mempool, so nothing replaced them.
    const others = all.filter((t) => t.id !== tx.id && t.state !== 'dropped').map((t) => t.id);
    if (others.length > 0) await trx.updateTable('sweep_txs').set({ state: 'replaced', updated_at: at }).where('id', 'in', others).execute();
  }

  /** A reverted transaction still paid gas; the sweep starts over (a new quote, a new transaction) or fails. */
  private async reverted(sweep: SweepRow, tx: SweepTxRow, mined: Mined): Promise<boolean> {
    const feePaid = mined.feePaid;
    const asset = await this.assetOf(sweep);
    const native = (await this.deps.assets.list(asset.chain)).find((a) => a.contract === null)!;
    const all = await this.inFlight(sweep, tx.purpose);
    // Settling the transaction, booking its gas and moving the sweep on happen together: a crash cannot leave a
    // sweep "broadcast" with nothing in flight.
    // The node's reason goes into the retry's audit entry: out of energy means the fee limit was too low.
    const how = mined.failure === 'OUT_OF_ENERGY' ? 'ran out of energy (its fee limit burned)' : 'reverted';
    return this.retryOrFail(sweep, `transaction ${tx.tx_hash} ${how}`, async (trx) => {
      await this.settleTx(trx, tx, all, mined);
      await trx.updateTable('sweep_txs').set({ state: 'reverted' }).where('id', '=', tx.id).execute();
      if (feePaid > 0n) {
        await this.deps.ledger.transfer(
          {
            idempotencyKey: `sweep:${sweep.id}:gas:${tx.tx_hash}`,
            debit: { kind: 'gas_expense', assetId: native.id },
            // A reverted token transfer paid from the gas at the deposit address; a reverted funding, from the tank.
            credit: tx.purpose === 'sweep' && asset.contract !== null ? { kind: 'deposit_gas', assetId: native.id, walletId: sweep.wallet_id } : { kind: 'company_reserve', assetId: native.id },
            amount: feePaid,
            code: 'gas',
            cause: { type: 'sweep', id: sweep.id },
            memo: 'Gas of a reverted sweep transaction',
          },
          trx,
        );
      }
    });
  }

  /** Back to planned for a fresh quote and transaction, or failed after maxAttempts; `first` runs in the same transaction. */
  private async retryOrFail(sweep: SweepRow, why: string, first?: (trx: Db) => Promise<void>): Promise<boolean> {
    const attempts = sweep.attempts + 1;
    if (attempts >= this.opts.maxAttempts) return this.fail({ ...sweep, attempts }, `${why}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`, 'sweep_failed', first);
    await this.deps.db.transaction().execute(async (trx) => {
      await first?.(trx);
      // Planned signs with a new nonce: with a transaction still out there, both could be mined.
      await this.assertNothingInFlight(trx, sweep, 'start over');
      await this.transitionIn(trx, sweep, { state: 'planned', attempts, error: why }, 'sweep.retry', { attempts, why });
    });
    return true;
  }

  /**
   * Nothing fails or starts over while one of its transactions may still be mined (saved, or broadcast and
   * not settled): the deposits would be planned again and swept twice, or the sweep never booked.
   */
  private async assertNothingInFlight(trx: Db, sweep: SweepRow, what: string): Promise<void> {
    const live = await trx.selectFrom('sweep_txs').select('tx_hash').where('sweep_id', '=', sweep.id).where('state', 'in', ['signed', 'broadcast']).execute();
    if (live.length > 0) {
      throw new Error(`The sweep cannot ${what}: transaction ${live.map((t) => t.tx_hash).join(', ')} may still be mined; it stays tracked.`);
    }
  }

  /**
   * Not mined after stuckAfterMs. EVM: the same nonce again, paying at least the larger of the market fee and
   * the replaced fees + 12.5% (whichever is mined settles the step). Tron has no fee market or nonces: the
   * saved transaction is sent again until it expires, and only then is a new one built.
   */
  private async replaceIfStuck(sweep: SweepRow, asset: Asset, txs: SweepTxRow[], purpose: 'gas' | 'sweep'): Promise<boolean> {
    const latest = txs[txs.length - 1];
    if (!latest) throw new Error(`sweep ${sweep.id} has no ${purpose} transaction in flight`);
    // Timed from the last transaction signed for the step, refused ones included: one replacement per period.
    const last = await this.deps.db.selectFrom('sweep_txs').select((eb) => eb.fn.max('created_at').as('at')).where('sweep_id', '=', sweep.id).where('purpose', '=', purpose).executeTakeFirst();
    if (Date.now() - Date.parse(String(last?.at ?? latest.created_at)) < this.opts.stuckAfterMs) return false;
    const chain = asset.chain;
    if (chainFamily(chain) === 'tron') {
      const adapter = await this.deps.chains.adapter(chain);
      try {
        await adapter.broadcast({ chain, txHash: latest.tx_hash, raw: latest.raw });
        return false;
      } catch (error) {
        const tracking: SweepState = purpose === 'gas' ? 'gas_funding' : 'broadcast';
        return this.afterRefusal(sweep, purpose, latest, txs, tracking, error);
      }
    }
    return this.signReplacement(sweep, asset, purpose, txs);
  }

  /** Signs and saves the replacement of `replaced` (same nonce); the next step broadcasts it. */
  private async signReplacement(sweep: SweepRow, asset: Asset, purpose: 'gas' | 'sweep', replaced: SweepTxRow[]): Promise<boolean> {
    const latest = replaced[replaced.length - 1]!;
    const ctx = await this.context(sweep, asset);
    const { chain, adapter } = ctx;
    const minFees = replacementFloorOf(replaced.map((t) => t.raw));
    if (purpose === 'sweep' && asset.contract === null) {
      return this.signNativeSweep(sweep, asset, ctx, { nonce: latest.nonce ?? undefined, minFees, budget: BigInt(latest.value) + BigInt(latest.max_fee) });
    }
    const tokenAsset = purpose === 'gas' ? ctx.native : asset;
    const key = purpose === 'gas' ? ctx.keyring.gasTankKey(chain).privateKey : ctx.keyring.depositKey(chain, ctx.wallet.derivation_index).privateKey;
    const intent: TransferIntent = { asset: tokenAsset, from: latest.from_address, to: latest.to_address, amount: BigInt(latest.value) };
    const signed = await this.sign(chain, adapter, intent, key, minFees, latest.nonce ?? undefined);
    await this.saveSigned(sweep, purpose, intent, signed, purpose === 'gas' ? 'gas_signed' : 'signed', {});
    return true;
  }

  private async fail(sweep: SweepRow, why: string, alertKind: AlertKind = 'sweep_failed', first?: (trx: Db) => Promise<void>): Promise<boolean> {
    const { db, alerts } = this.deps;
    const asset = await this.assetOf(sweep);
    const wallet = await db.selectFrom('wallets').select('label').where('id', '=', sweep.wallet_id).executeTakeFirst();
    const raised = await db.transaction().execute(async (trx) => {
      await first?.(trx);
      await this.assertNothingInFlight(trx, sweep, 'fail');
      // The deposits go back to the pool: an officer's "sweep now" (or the rule) plans them again.
      await trx.updateTable('deposits').set({ sweep_id: null, updated_at: new Date().toISOString() }).where('sweep_id', '=', sweep.id).where('state', '=', 'confirmed').execute();
      await this.transitionIn(trx, sweep, { state: 'failed', error: why, attempts: sweep.attempts }, 'sweep.failed', { why });
      await this.settleReturn(trx, sweep, null, 'unidentified_funds.return_failed', { why });
      return alerts.raiseIn(trx, {
        profile: sweep.profile,
        kind: alertKind,
        chain: sweep.chain as Chain,
        subject: `sweep:${sweep.id}`,
        message: `The ${sweep.stray_id !== null ? 'return to the sender' : sweep.kind === 'gas_return' ? 'return to the gas tank' : 'sweep'} of ${formatAmount(BigInt(sweep.amount), asset.decimals)} ${asset.symbol}${sweep.kind === 'gas_return' ? ' of gas change' : ''} from wallet "${wallet?.label ?? sweep.from_address}" on ${CHAIN_LABELS[sweep.chain as Chain]} failed: ${why}.`,
        details: { sweepId: sweep.id, why },
      });
    });
    alerts.announce(raised);
    return false;
  }

  /**
   * The asset's rule "sweep when the fee is at most X % of the amount": above it the sweep waits (fee_above_limit,
   * its expected fee kept beside its amount) and later deposits join it; an officer's Sweep now is not held.
   * Either way the expected fee is kept on the sweep, so each decision shows its cost beside its amount.
   */
  private async checkFeeLimit(sweep: SweepRow, asset: Asset, native: Asset, feeNative: bigint, amount: bigint): Promise<void> {
    if (sweep.expected_fee !== feeNative.toString()) {
      await this.deps.db.updateTable('sweeps').set({ expected_fee: feeNative.toString() }).where('id', '=', sweep.id).execute();
      sweep.expected_fee = feeNative.toString();
    }
    if (sweep.trigger === 'manual') return;
    const rule = await this.deps.rules.get(asset.id);
    if (rule.maxFeePercent === null) return;
    const fee = feeInAssetUnits(feeNative, native, asset, rule.nativePrice);
    if (fee !== null && !feeWithinLimit(fee, amount, rule.maxFeePercent)) throw new Waiting('fee_above_limit');
  }

  private async wait(sweep: SweepRow, reason: SweepWaitReason, topUp: bigint | null): Promise<boolean> {
    const top = topUp === null ? null : topUp.toString();
    if (sweep.state === 'waiting' && sweep.wait_reason === reason && sweep.top_up_amount === top) return false;
    await this.transition(sweep, { state: 'waiting', wait_reason: reason, top_up_amount: top }, 'sweep.waiting', { reason, topUp: top });
    return false;
  }

  private async noteError(sweepId: string, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const sweep = await this.row(sweepId);
    if (sweep.error === message) return;
    await this.transition(sweep, { error: message }, 'sweep.error', { error: message });
  }

  private async transition(sweep: SweepRow, patch: Partial<SweepRow>, action: string, change: Record<string, unknown>): Promise<void> {
    await this.deps.db.transaction().execute((trx) => this.transitionIn(trx, sweep, patch, action, change));
  }

  private async transitionIn(trx: Db, sweep: SweepRow, patch: Partial<SweepRow>, action: string, change: Record<string, unknown>): Promise<void> {
    assertLifecycleMove('sweep', SWEEP_PHASES, [sweep.state as SweepState], patch.state as SweepState | undefined);
    const leavingWait = patch.state !== undefined && patch.state !== 'waiting';
    const set = {
      ...patch,
      ...(leavingWait ? { wait_reason: null, top_up_amount: null } : {}),
      updated_at: new Date().toISOString(),
    };
    delete (set as Partial<SweepRow>).id;
    const result = await trx
      .updateTable('sweeps')
      .set(set as never)
      .where('id', '=', sweep.id)
      .where('state', '=', sweep.state)
      .executeTakeFirst();
    // Guarded on the state we read: two runners (or a runner and an officer) never both move one sweep.
    if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', `Sweep ${sweep.id} moved on meanwhile.`);
    await this.deps.audit.record(
      { operator: 'system', action, entity: { type: 'sweep', id: sweep.id }, change: { from: sweep.state, to: patch.state ?? sweep.state, ...change } },
      trx,
    );
    if (patch.state !== undefined && patch.state !== sweep.state) this.deps.events?.publish({ type: 'sweep.status', sweepId: sweep.id, chain: sweep.chain, state: patch.state });
  }

  /** A return of unidentified funds may move a token the registry does not hold: the stray describes it. */
  private async assetOf(sweep: SweepRow): Promise<Asset> {
    if (sweep.stray_id === null) return this.deps.assets.get(sweep.asset_id);
    const stray = await this.deps.db.selectFrom('unidentified_funds').select(['id', 'chain', 'token_contract', 'symbol', 'decimals']).where('id', '=', sweep.stray_id).executeTakeFirstOrThrow();
    return strayAsset(this.deps.assets, stray);
  }

  private async row(sweepId: string): Promise<SweepRow> {
    const row = await this.deps.db.selectFrom('sweeps').selectAll().where('id', '=', sweepId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `Sweep ${sweepId} does not exist.`);
    return row;
  }

  // ---- reads ----

  async get(sweepId: string): Promise<SweepView> {
    const row = await this.row(sweepId);
    return { ...toView(row), strayReturn: await this.strayReturnOf(row) };
  }

  private async strayReturnOf(row: SweepRow): Promise<SweepView['strayReturn']> {
    if (row.stray_id === null) return null;
    const asset = await this.assetOf(row);
    return { strayId: row.stray_id, symbol: asset.symbol, decimals: asset.decimals };
  }

  async list(filter: { chain?: Chain; state?: SweepState; walletId?: string; cursor?: string; limit: number }): Promise<Page<SweepView>> {
    const { profile } = await this.deps.configuration.get();
    let query = this.deps.db.selectFrom('sweeps').selectAll().where('profile', '=', profile).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.chain) query = query.where('chain', '=', filter.chain);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.walletId) query = query.where('wallet_id', '=', filter.walletId);
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, async (row) => ({ ...toView(row), ...(await this.fees(row.id)), strayReturn: await this.strayReturnOf(row) }));
  }

  private async fees(sweepId: string): Promise<Pick<SweepView, 'gasTxHash' | 'txHash' | 'gasFeePaid' | 'feePaid'>> {
    const txs = await this.deps.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweepId).orderBy('created_at').execute();
    const pick = (purpose: 'gas' | 'sweep') => txs.filter((t) => t.purpose === purpose).find((t) => t.state === 'mined') ?? txs.filter((t) => t.purpose === purpose).pop();
    const gas = pick('gas');
    const sweep = pick('sweep');
    return { gasTxHash: gas?.tx_hash ?? null, txHash: sweep?.tx_hash ?? null, gasFeePaid: gas?.fee_paid ?? null, feePaid: sweep?.fee_paid ?? null };
  }

  /** Each chain's gas tank: where to send top-ups, what it holds, and what waiting sweeps still need. */
  async gasTanks(): Promise<GasTankView[]> {
    const { profile, chains } = await this.deps.configuration.get();
    const keyring: SeedKeyring | null = this.deps.custody.unlocked() ? this.deps.custody.keyring() : null;
    const waiting = await this.deps.db.selectFrom('sweeps').select(['chain', 'top_up_amount']).where('profile', '=', profile).where('state', '=', 'waiting').where('wait_reason', '=', 'gas_tank_low').execute();
    const views: GasTankView[] = [];
    for (const chain of CHAINS) {
      const native = (await this.deps.assets.list(chain)).find((a) => a.contract === null)!;
      const address = keyring ? keyring.gasTankAddress(chain) : null;
      let balance: string | null = null;
      if (address) {
        balance = await this.deps.chains
          .adapter(chain)
          .then((adapter) => withRetry(`${chain} gas tank balance`, () => adapter.balance(native, address), { ...this.retry, attempts: 1, timeoutMs: 5_000 }))
          .then((b) => b.toString())
          .catch(() => null);
      }
      // Each waiting sweep's shortfall was measured against the tank alone: their sum is an upper bound, safe to send.
      const mine = waiting.filter((w) => w.chain === chain);
      const topUp = mine.reduce((sum, w) => sum + BigInt(w.top_up_amount ?? '0'), 0n);
      const threshold = BigInt(chains[chain].gasTankThreshold);
      const perSweep = await this.fundingCost(profile, chain);
      views.push({
        chain,
        address,
        nativeAssetId: native.id,
        balance,
        topUpNeeded: topUp.toString(),
        waitingSweeps: mine.length,
        threshold: threshold.toString(),
        low: balance === null ? null : BigInt(balance) < threshold,
        sweepsCovered: balance === null || perSweep === null ? null : Number(BigInt(balance) / perSweep),
        // Tron: the stake behind its energy, what is unstaking and when it can be withdrawn (null when unreadable).
        energy:
          chain === 'tron' && address && balance !== null
            ? await withRetry('tron gas tank stake', () => this.stake.view(), { ...this.retry, attempts: 1, timeoutMs: 5_000 }).catch(() => null)
            : null,
      });
    }
    return views;
  }

  /** What one gas funding cost on the chain lately: the mean of the last ten mined (value sent plus fee). */
  private async fundingCost(profile: string, chain: Chain): Promise<bigint | null> {
    const recent = await this.deps.db
      .selectFrom('sweep_txs')
      .select(['value', 'fee_paid'])
      .where('profile', '=', profile)
      .where('chain', '=', chain)
      .where('purpose', '=', 'gas')
      .where('state', '=', 'mined')
      .orderBy('updated_at', 'desc')
      .limit(10)
      .execute();
    if (recent.length === 0) return null;
    const total = recent.reduce((sum, t) => sum + BigInt(t.value) + BigInt(t.fee_paid ?? '0'), 0n);
    const mean = total / BigInt(recent.length);
    return mean > 0n ? mean : null;
  }

  /**
   * A tank below its threshold raises a `gas_tank_low` alert naming where to send coins; it counts on the one
   * standing while the tank stays low, and is resolved once the tank is back above its threshold.
   * Read at most once a minute per chain (gasTankCheckMs); only while the seed is open (the tank's address comes from it).
   */
  private async checkGasTank(chain: Chain): Promise<void> {
    if (!this.deps.custody.unlocked()) return;
    const last = this.tankCheckedAt.get(chain) ?? 0;
    if (Date.now() - last < this.opts.gasTankCheckMs) return;
    this.tankCheckedAt.set(chain, Date.now());
    const { profile, chains } = await this.deps.configuration.get();
    const native = (await this.deps.assets.list(chain)).find((a) => a.contract === null)!;
    const address = this.deps.custody.keyring().gasTankAddress(chain);
    const adapter = await this.deps.chains.adapter(chain);
    const balance = await this.call(chain, 'gas tank balance', () => adapter.balance(native, address));
    const threshold = BigInt(chains[chain].gasTankThreshold);
    const subject = `gas_tank:${chain}`;
    if (balance >= threshold) {
      await this.deps.alerts.resolve(profile, 'gas_tank_low', subject);
      return;
    }
    const perSweep = await this.fundingCost(profile, chain);
    const covers = perSweep === null ? '' : ` It pays for about ${balance / perSweep} more token sweeps.`;
    await this.deps.alerts.raise({
      profile,
      kind: 'gas_tank_low',
      chain,
      subject,
      message: `The gas tank on ${CHAIN_LABELS[chain]} holds ${formatAmount(balance, native.decimals)} ${native.symbol}, below its threshold of ${formatAmount(threshold, native.decimals)} ${native.symbol}.${covers} Send ${native.symbol} to ${address}.`,
      details: { address, balance: balance.toString(), threshold: threshold.toString() },
    });
  }
}

/** The gas tank's coins arriving at a deposit address: company funds placed there, booked as such. */
function placedGas(sweep: SweepRow, nativeAssetId: string, tx: SweepTxRow): TransferRequest {
  return {
    idempotencyKey: `sweep:${sweep.id}:gas-placed:${tx.tx_hash}`,
    debit: { kind: 'deposit_gas', assetId: nativeAssetId, walletId: sweep.wallet_id },
    credit: { kind: 'company_reserve', assetId: nativeAssetId },
    amount: BigInt(tx.value),
    code: 'gas',
    cause: { type: 'sweep', id: sweep.id },
    memo: 'Gas tank coins placed at the deposit address',
  };
}

/** A refused transaction: it never reached a mempool, so nothing will mine it. */
async function dropTx(trx: Db, tx: SweepTxRow): Promise<void> {
  await trx.updateTable('sweep_txs').set({ state: 'dropped', updated_at: new Date().toISOString() }).where('id', '=', tx.id).execute();
}

function ceilPercent(value: bigint, percent: number): bigint {
  return (value * BigInt(100 + percent) + 99n) / 100n;
}

function toView(row: SweepRow): SweepView {
  return {
    id: row.id,
    chain: row.chain as Chain,
    walletId: row.wallet_id,
    fromAddress: row.from_address,
    toAddress: row.to_address,
    assetId: row.asset_id,
    amount: row.amount,
    state: row.state as SweepState,
    waitReason: row.wait_reason as SweepWaitReason | null,
    topUpAmount: row.top_up_amount,
    attempts: row.attempts,
    gasTxHash: null,
    txHash: null,
    gasFeePaid: null,
    feePaid: null,
    expectedFee: row.expected_fee ?? null,
    error: row.error,
    trigger: row.trigger as SweepView['trigger'],
    strayReturn: null,
    kind: row.kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
