import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS, chainFamily, CHAINS, type Chain } from '@shared/domain/chains';
import { formatAmount } from '@shared/money';
import { ownTransactionsAbove } from './own-transactions';
import { DomainError } from '@shared/result';
import type { BlockRef, ChainAdapter, ObservedTransfer, StrayScan } from '../chains/adapter';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { AuditEntry, AuditLog } from '../audit/audit-log';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database, DepositRow } from '../db/schema';
import type { EventBus } from '../events';
import type { HoldingWallets } from '../holding/holding-wallets';
import type { Ledger } from '../ledger/ledger';
import { depositKey, type TransferService } from '../ledger/transfer-service';
import type { DepositMinimums } from './deposit-minimums';
import type { AlertCenter } from '../alerts/alert-center';
import type { AlertKind, AlertView } from '@shared/domain/alerts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { orphanStraysAbove, StrayRecorder, type RecordedStray } from './strays/stray-recorder';
import type { UnidentifiedFundKind } from '@shared/domain/unidentified-funds';

/** Why unidentified funds were not credited, in the officer's words. */
const UNIDENTIFIED_REASONS: Record<UnidentifiedFundKind, string> = {
  unknown_token: 'the token is not one the treasury knows',
  internal_native: 'a contract sent the coins, which is no ordinary deposit',
  other_chain: 'the address belongs to a wallet on another chain',
  closed_wallet: 'the wallet is closed and receives no credits',
};

type Db = Kysely<Database>;

export interface ChainWatcherOptions {
  /** Widest block range one tick scans; a watcher far behind catches up over several ticks. */
  maxBlocksPerTick?: number;
  /**
   * Blocks before the head a first scan starts from (no cursor yet), so deposits paid shortly before the
   * watcher first ran are still found. Default 1000.
   */
  initialLookback?: number;
  retry?: RetryPolicy;
}

export interface ChainWatcherDeps {
  db: Db;
  configuration: ConfigurationService;
  chains: ChainService;
  assets: AssetRegistry;
  holding: HoldingWallets;
  transfers: TransferService;
  ledger: Ledger;
  audit: AuditLog;
  events: EventBus;
  minimums: DepositMinimums;
  alerts: AlertCenter;
}

export interface ScanOutcome {
  from: number;
  to: number;
  head: number;
  seen: number;
  reorgedTo: number | null;
  /** New rows in the "Unidentified funds" queue. */
  strays: number;
  /** The node refused call tracing: native coin sent by contracts was not looked for in this span. */
  tracingUnavailable: boolean;
  /**
   * Blocks the node's head was behind the block scanned last (a load-balanced endpoint answering from a
   * lagging backend); the tick waited instead of scanning. 0 when the node was level or ahead.
   */
  nodeBehindBy: number;
}

/** Our addresses on one chain, matched by key (lower-case on EVM, the base58 address itself on Tron). */
interface AddressBook {
  stamp: string;
  wallets: Map<string, string>;
  /** EVM: wallets of the other EVM chain share the address format; money sent to them here is on the wrong chain. */
  foreign: Map<string, string>;
  holding: string | null;
  recipients: Set<string>;
  /** Closed wallets of this chain: what reaches them goes to unidentified funds, never a credit. */
  closed: Set<string>;
}

/** The block scanned last is re-checked each tick; a changed hash means the chain reorganised under us. */
class ReorgDuringScan extends Error {}

/**
 * One chain's deposit watcher. `scan()` reads new blocks from the cursor and records what arrived at our
 * addresses as "seen", together with the block hashes of the unconfirmed window and the new cursor, in one
 * transaction. `confirm()` credits deposits that reached the confirmation depth, once each. A restart resumes
 * from the cursor; the deposit's chain identity (tx hash, log index) keeps a re-scan from recording it twice.
 */
export class ChainWatcher {
  private book: AddressBook | null = null;
  private readonly retry: RetryPolicy;
  private readonly strays: StrayRecorder;
  /** The "node cannot trace calls" alert is raised once per run, not counted up on every tick. */
  private tracingAlerted = false;

  constructor(
    readonly chain: Chain,
    private readonly deps: ChainWatcherDeps,
    private readonly options: ChainWatcherOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.strays = new StrayRecorder(chain, deps.audit);
  }

  async tick(): Promise<ScanOutcome> {
    const outcome = await this.scan();
    await this.confirm();
    return outcome;
  }

  /** Alerts raised in transactions of this step: pushed to the doors once the step's writes stand, dropped if it fails. */
  private raised: AlertView[] = [];
  private async announcing<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.deps.alerts.announce(...this.raised);
      return result;
    } finally {
      this.raised = [];
    }
  }

  private key(address: string): string {
    return this.chain === 'tron' ? address : address.toLowerCase();
  }

  private async settings() {
    const configuration = await this.deps.configuration.get();
    const depth = configuration.chains[this.chain].confirmations;
    // Hashes are kept for twice the unconfirmed window, so a reorg somewhat deeper than the depth is still walked back.
    return { profile: configuration.profile, depth, keep: depth * 2 + 8 };
  }

  private call<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withRetry(`${this.chain} ${what}`, work, this.retry);
  }

  /** Deposit addresses of this chain's wallets and the holding address, reloaded when either changes. */
  private async addressBook(): Promise<AddressBook> {
    const { db, holding } = this.deps;
    const family = CHAINS.filter((c) => chainFamily(c) === chainFamily(this.chain));
    const count = await db
      .selectFrom('wallets')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('status', '=', 'closed').then(1).else(0).end()).as('closed')])
      .where('chain', 'in', family)
      .executeTakeFirstOrThrow();
    const holdingWallet = await holding.find(this.chain);
    const stamp = `${count.n}|${count.closed ?? 0}|${holdingWallet?.address ?? ''}`;
    if (this.book?.stamp === stamp) return this.book;
    const rows = await db.selectFrom('wallets').select(['id', 'address', 'chain', 'status']).where('chain', 'in', family).execute();
    const wallets = new Map<string, string>();
    const foreign = new Map<string, string>();
    const closed = new Set<string>();
    for (const row of rows) {
      (row.chain === this.chain ? wallets : foreign).set(this.key(row.address), row.id);
      if (row.chain === this.chain && row.status === 'closed') closed.add(this.key(row.address));
    }
    const recipients = new Set(rows.map((r) => r.address));
    const holdingAddress = holdingWallet ? holdingWallet.address : null;
    if (holdingAddress) recipients.add(holdingAddress);
    this.book = { stamp, wallets, foreign, holding: holdingAddress ? this.key(holdingAddress) : null, recipients, closed };
    return this.book;
  }

  async cursor(): Promise<number | null> {
    const { profile } = await this.settings();
    const row = await this.deps.db
      .selectFrom('watch_cursors')
      .select('next_block')
      .where('profile', '=', profile)
      .where('chain', '=', this.chain)
      .executeTakeFirst();
    return row ? row.next_block : null;
  }

  scan(): Promise<ScanOutcome> {
    return this.announcing(() => this.scanOnce());
  }

  private async scanOnce(): Promise<ScanOutcome> {
    const { db } = this.deps;
    const { profile, depth, keep } = await this.settings();
    const adapter = await this.deps.chains.adapter(this.chain);
    const head = Number((await this.call('head block', () => adapter.headBlock())).number);

    let next = await this.cursor();
    if (next === null) {
      next = Math.max(1, head - (this.options.initialLookback ?? 1000) + 1);
      await db.insertInto('watch_cursors').values({ profile, chain: this.chain, next_block: next, updated_at: now() }).execute();
    }
    // A head below what we scanned is a node that has not caught up, not a shorter chain: wait it out. Its
    // missing blocks are compared once it has them.
    if (head < next - 1) return { from: next, to: next - 1, head, seen: 0, strays: 0, tracingUnavailable: false, reorgedTo: null, nodeBehindBy: next - 1 - head };
    const reorgedTo = await this.walkBackIfReorged(adapter, profile, head, depth);
    if (reorgedTo !== null) next = reorgedTo;
    if (next > head) return { from: next, to: next - 1, head, seen: 0, strays: 0, tracingUnavailable: false, reorgedTo, nodeBehindBy: 0 };

    const to = Math.min(head, next + (this.options.maxBlocksPerTick ?? 500) - 1);
    const book = await this.addressBook();
    const assets = await this.deps.assets.list(this.chain);
    let strays: StrayScan = { found: [] };
    const found = await this.call(`scan ${next}..${to}`, () => {
      strays = { found: [] };
      return adapter.scanTransfers(BigInt(next), BigInt(to), assets, book.recipients, strays);
    });

    // Hashes of the blocks that can still reorganise, checked to form one chain with what we stored before.
    const windowFrom = Math.max(next, head - keep + 1);
    const headers: BlockRef[] = [];
    for (let n = windowFrom; n <= to; n += 8) {
      const batch = [];
      for (let k = n; k <= Math.min(to, n + 7); k++) batch.push(this.call(`block ${k}`, () => adapter.block(BigInt(k))));
      headers.push(...(await Promise.all(batch)));
    }
    const stored = await db
      .selectFrom('watch_blocks')
      .select(['number', 'hash'])
      .where('profile', '=', profile)
      .where('chain', '=', this.chain)
      .where('number', '=', windowFrom - 1)
      .executeTakeFirst();
    let parent = stored?.hash ?? null;
    for (const header of headers) {
      if (parent !== null && header.parentHash.toLowerCase() !== parent.toLowerCase()) {
        throw new ReorgDuringScan(`${this.chain} block ${header.number} does not follow the block scanned before it`);
      }
      parent = header.hash;
    }
    const hashAt = new Map(headers.map((h) => [Number(h.number), h.hash.toLowerCase()]));
    for (const transfer of [...found, ...strays.found]) {
      const expected = hashAt.get(Number(transfer.blockNumber));
      if (expected !== undefined && expected !== transfer.blockHash.toLowerCase()) {
        throw new ReorgDuringScan(`${this.chain} block ${transfer.blockNumber} changed during the scan`);
      }
    }

    const foreignFound = found.filter((t) => book.foreign.has(this.key(t.to)) && !book.wallets.has(this.key(t.to)));
    const closedFound = found.filter((t) => book.closed.has(this.key(t.to)));
    const creditable = found.filter((t) => !book.closed.has(this.key(t.to)));
    const strayCandidates = await this.call('token metadata', () => this.strays.prepare(adapter, strays.found, assets, foreignFound, book, closedFound));
    let strayCount = 0;
    const adopted = await this.strays.adoptedDeposits(db, profile, strays.found);
    const announced = await db.transaction().execute(async (trx) => {
      const rows = await this.record(trx, profile, [...creditable, ...adopted], book);
      const recorded = await this.strays.record(trx, profile, strayCandidates, await this.ownTxs(trx, strayCandidates.map((c) => c.transfer.txHash)));
      strayCount = recorded.length;
      for (const stray of recorded) await this.unidentifiedAlert(trx, profile, stray);
      if (headers.length > 0) {
        await trx
          .insertInto('watch_blocks')
          .values(headers.map((h) => ({ profile, chain: this.chain, number: Number(h.number), hash: h.hash, parent_hash: h.parentHash })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await trx
        .deleteFrom('watch_blocks')
        .where('profile', '=', profile)
        .where('chain', '=', this.chain)
        .where('number', '<', head - keep + 1)
        .execute();
      await trx
        .updateTable('watch_cursors')
        .set({ next_block: to + 1, updated_at: now() })
        .where('profile', '=', profile)
        .where('chain', '=', this.chain)
        .execute();
      return rows;
    });
    // Raised once per run of the watcher, not on every tick: the cause is a property of the endpoint.
    if (strays.tracingUnavailable && !this.tracingAlerted) {
      this.tracingAlerted = true;
      await db.transaction().execute((trx) => this.alert(
        trx,
        profile,
        'tracing_unavailable',
        `chain:${this.chain}`,
        `${CHAIN_LABELS[this.chain]}: the node does not trace calls, so native coin sent to deposit addresses by contracts is not detected. Use an endpoint with debug tracing to see it.`,
        {},
      ));
    }
    for (const row of announced) {
      if (row.wallet_id) {
        this.deps.events.publish({ type: 'deposit.seen', depositId: row.id, walletId: row.wallet_id, assetId: row.asset_id, amount: row.amount, txHash: row.tx_hash });
      }
    }
    return { from: next, to, head, seen: announced.length, strays: strayCount, tracingUnavailable: strays.tracingUnavailable === true, reorgedTo, nodeBehindBy: 0 };
  }

  /**
   * Records new deposits as seen (or revives one a reorg had orphaned and the chain included again). Sweep and
   * gas-funding transactions of our own are not deposits: their hashes are on record before they are broadcast.
   */
  private async record(trx: Db, profile: string, found: ObservedTransfer[], book: AddressBook): Promise<DepositRow[]> {
    if (found.length === 0) return [];
    const { audit } = this.deps;
    const ownTxs = await this.ownTxs(trx, found.map((t) => t.txHash));
    const announced: DepositRow[] = [];
    {
      const entries: AuditEntry[] = [];
      for (const transfer of found) {
        if (ownTxs.has(transfer.txHash.toLowerCase())) continue;
        const toKey = this.key(transfer.to);
        const walletId = book.wallets.get(toKey) ?? null;
        const isHolding = walletId === null && toKey === book.holding;
        if (!walletId && !isHolding) {
          const foreignWallet = book.foreign.get(toKey);
          if (foreignWallet) await this.wrongChainDeposit(trx, profile, transfer, foreignWallet);
          continue;
        }
        // Value moving between our own addresses (a sweep into holding) is not the company topping up.
        if (isHolding && book.wallets.has(this.key(transfer.from))) continue;
        const existing = await trx
          .selectFrom('deposits')
          .selectAll()
          .where('profile', '=', profile)
          .where('chain', '=', this.chain)
          .where('tx_hash', '=', transfer.txHash)
          .where('log_index', '=', transfer.logIndex)
          .executeTakeFirst();
        if (existing && existing.state !== 'orphaned') continue;
        let row: DepositRow;
        if (existing) {
          // A credit the reorg could not reverse (the client had spent it) still stands: the transaction coming
          // back settles it, it is never credited a second time. A reversed credit is made again, under a new round.
          const creditKept = existing.credit_transfer_id !== null && existing.reversal_transfer_id === null;
          const reversed = existing.credit_transfer_id !== null && !creditKept;
          row = {
            ...existing,
            state: 'seen',
            block_number: Number(transfer.blockNumber),
            block_hash: transfer.blockHash,
            credit_round: reversed ? existing.credit_round + 1 : existing.credit_round,
            credit_transfer_id: creditKept ? existing.credit_transfer_id : null,
            reversal_transfer_id: null,
            below_minimum: creditKept ? existing.below_minimum : 0,
            confirmed_at: null,
            updated_at: now(),
          };
          await trx
            .updateTable('deposits')
            .set({
              state: row.state,
              block_number: row.block_number,
              block_hash: row.block_hash,
              credit_round: row.credit_round,
              credit_transfer_id: row.credit_transfer_id,
              reversal_transfer_id: null,
              below_minimum: row.below_minimum,
              confirmed_at: null,
              updated_at: row.updated_at,
            })
            .where('id', '=', existing.id)
            .execute();
        } else {
          row = {
            id: randomUUID(),
            profile,
            chain: this.chain,
            kind: walletId ? 'client' : 'reserve',
            wallet_id: walletId,
            asset_id: transfer.assetId,
            address: transfer.to,
            from_address: transfer.from,
            amount: transfer.amount.toString(),
            tx_hash: transfer.txHash,
            log_index: transfer.logIndex,
            block_number: Number(transfer.blockNumber),
            block_hash: transfer.blockHash,
            state: 'seen',
            confirmations: 0,
            credit_round: 0,
            credit_transfer_id: null,
            reversal_transfer_id: null,
            below_minimum: 0,
            manual_credit_transfer_id: null,
            manual_credit_by: null,
            sweep_id: null,
            seen_at: now(),
            confirmed_at: null,
            updated_at: now(),
          };
          await trx.insertInto('deposits').values(row).execute();
        }
        announced.push(row);
        entries.push({
          operator: 'watcher',
          action: 'deposit.seen',
          entity: { type: 'deposit', id: row.id },
          change: {
            chain: this.chain,
            kind: row.kind,
            walletId: row.wallet_id,
            assetId: row.asset_id,
            amount: row.amount,
            txHash: row.tx_hash,
            logIndex: row.log_index,
            blockNumber: row.block_number,
            round: row.credit_round,
            ...(row.credit_transfer_id !== null ? { creditKept: row.credit_transfer_id } : {}),
          },
        });
      }
      await audit.recordMany(entries, trx);
    }
    return announced;
  }

  /** Which of these hashes are sweep or gas-funding transactions of our own (lower-case). */
  private async ownTxs(trx: Db, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await trx.selectFrom('sweep_txs').select('tx_hash').where('chain', '=', this.chain).where('tx_hash', 'in', [...new Set(hashes)]).execute();
    return new Set(rows.map((r) => r.tx_hash.toLowerCase()));
  }

  /**
   * Compares the highest stored block the node's head covers with the chain. Only a different hash at a height
   * both reads have is a reorg, and only when a second read shows it too (one answer from a backend mid-import
   * or on a stale fork is not). Then walks back over the stored hashes to the common ancestor, orphans the
   * deposits above it, reverses their credits and rewinds the cursor. Returns the new cursor, or null.
   */
  private async walkBackIfReorged(adapter: ChainAdapter, profile: string, head: number, depth: number): Promise<number | null> {
    const { db } = this.deps;
    const stored = await db
      .selectFrom('watch_blocks')
      .select(['number', 'hash'])
      .where('profile', '=', profile)
      .where('chain', '=', this.chain)
      .orderBy('number', 'desc')
      .execute();
    const comparable = stored.filter((b) => b.number <= head);
    const latest = comparable[0];
    if (!latest) return null;
    const hashAt = async (n: number): Promise<string> => (await this.call(`block ${n}`, () => adapter.block(BigInt(n)))).hash.toLowerCase();
    const same = latest.hash.toLowerCase();
    if ((await hashAt(latest.number)) === same) return null;
    if ((await hashAt(latest.number)) === same) return null;

    let ancestor: number | null = null;
    for (const block of comparable.slice(1)) {
      if ((await hashAt(block.number)) === block.hash.toLowerCase()) {
        ancestor = block.number;
        break;
      }
    }
    const beyondHistory = ancestor === null;
    const forkPoint = ancestor ?? stored[stored.length - 1]!.number - 1;
    const replaced = stored[0]!.number - forkPoint;
    const reversed = await this.orphanAbove(profile, forkPoint, replaced, depth, beyondHistory);
    await db.transaction().execute(async (trx) => {
      await orphanStraysAbove(trx, profile, this.chain, forkPoint);
      await trx.deleteFrom('watch_blocks').where('profile', '=', profile).where('chain', '=', this.chain).where('number', '>', forkPoint).execute();
      await trx
        .updateTable('watch_cursors')
        .set({ next_block: forkPoint + 1, updated_at: now() })
        .where('profile', '=', profile)
        .where('chain', '=', this.chain)
        .execute();
      await this.deps.audit.record(
        {
          operator: 'watcher',
          action: 'watch.reorg',
          entity: { type: 'chain', id: `${profile}:${this.chain}` },
          change: { forkPoint, replacedBlocks: replaced, reversedCredits: reversed, beyondHistory },
        },
        trx,
      );
    });
    return forkPoint + 1;
  }

  private async orphanAbove(profile: string, forkPoint: number, replaced: number, depth: number, beyondHistory: boolean): Promise<number> {
    const { db, ledger, audit } = this.deps;
    const affected = await db
      .selectFrom('deposits')
      .selectAll()
      .where('profile', '=', profile)
      .where('chain', '=', this.chain)
      .where('block_number', '>', forkPoint)
      .where('state', '!=', 'orphaned')
      .execute();
    let reversed = 0;
    const unreversed: string[] = [];
    const touchedWallets: Array<{ walletId: string; assetId: string }> = [];
    // Our own payments in the replaced blocks, read before the write (the tracker and sweep runner unbook them).
    const ours = await ownTransactionsAbove(db, this.deps.assets, profile, this.chain, forkPoint);
    await db.transaction().execute(async (trx) => {
      for (const deposit of affected) {
        let reversal: number | null = null;
        if (deposit.credit_transfer_id !== null) {
          try {
            const outcome = await ledger.reverse(
              deposit.credit_transfer_id,
              {
                idempotencyKey: `reversal:${depositKey(this.chain as Chain, deposit.tx_hash, deposit.log_index)}:${deposit.credit_round}`,
                code: 'deposit_reversal',
                memo: `Block ${deposit.block_number} was orphaned by a reorg`,
                cause: { type: 'deposit', id: deposit.id },
              },
              trx,
            );
            reversal = outcome.transfer.id;
            reversed++;
            if (deposit.wallet_id) touchedWallets.push({ walletId: deposit.wallet_id, assetId: deposit.asset_id });
          } catch (error) {
            // The ledger checks limits before writing, so a refused reversal leaves nothing behind in this transaction.
            if (!(error instanceof DomainError) || error.code !== 'insufficient_funds') throw error;
            unreversed.push(deposit.id);
            await this.creditKeptAlert(trx, profile, deposit);
          }
        }
        await trx.updateTable('deposits').set({ state: 'orphaned', reversal_transfer_id: reversal, updated_at: now() }).where('id', '=', deposit.id).execute();
        await audit.record(
          {
            operator: 'watcher',
            action: 'deposit.orphaned',
            entity: { type: 'deposit', id: deposit.id },
            change: { from: deposit.state, block: deposit.block_number, reversalTransferId: reversal, creditKept: reversal === null && deposit.credit_transfer_id !== null },
          },
          trx,
        );
      }
      const credited = affected.some((d) => d.credit_transfer_id !== null);
      const oursWords = ours.length > 0 ? ` Our transactions in those blocks, tracked again until mined anew: ${ours.map((o) => `${o.words} (transaction ${o.txHash}, block ${o.block})`).join('; ')}.` : '';
      if (replaced >= depth || credited || beyondHistory || ours.length > 0) {
        await this.alert(
          trx,
          profile,
          beyondHistory ? 'reorg_beyond_history' : 'deep_reorg',
          `chain:${this.chain}:fork:${forkPoint}`,
          beyondHistory
            ? `${CHAIN_LABELS[this.chain]}: the chain changed below the ${replaced} blocks whose hashes were kept; deposits above block ${forkPoint} were re-checked.`
            : `${CHAIN_LABELS[this.chain]}: a reorg replaced ${replaced} blocks (confirmation depth ${depth}); ${reversed} credited deposit(s) were reversed.${oursWords}`,
          { forkPoint, replacedBlocks: replaced, depth, reversedCredits: reversed, notReversedBecauseSpent: unreversed, ourTransactions: ours.map(({ words: _words, ...o }) => o) },
        );
      }
    });
    for (const { walletId, assetId } of touchedWallets) await this.announceBalance(walletId, assetId);
    return reversed;
  }

  /**
   * The client spent a credit whose transaction the chain no longer has: the credit stays (a client balance
   * never goes below zero) and the company carries the exposure until the transaction is included again. One
   * alert per deposit and credit round, however often the reorg is re-read.
   */
  private async creditKeptAlert(trx: Db, profile: string, deposit: DepositRow): Promise<void> {
    const asset = await this.deps.assets.get(deposit.asset_id);
    await this.alert(
      trx,
      profile,
      'reorg_credit_kept',
      `deposit:${deposit.id}:${deposit.credit_round}`,
      `A reorg removed a deposit of ${formatAmount(BigInt(deposit.amount), asset.decimals)} ${asset.symbol} the client had already spent: the credit was kept, and is not backed on chain until the transaction is included again.`,
      { depositId: deposit.id, walletId: deposit.wallet_id, assetId: deposit.asset_id, amount: deposit.amount, txHash: deposit.tx_hash, logIndex: deposit.log_index },
    );
  }

  /** Raises an alert about this chain in the step's transaction; announced when the step's writes stand. */
  private async alert(trx: Db, profile: string, kind: AlertKind, subject: string, message: string, details: Record<string, unknown>): Promise<void> {
    const raised = await this.deps.alerts.raiseIn(trx, { profile, kind, chain: this.chain, subject, message, details });
    if (raised) this.raised.push(raised);
  }

  /** Funds at one of our deposit addresses that nobody was credited with: the officer looks at the queue. */
  private async unidentifiedAlert(trx: Db, profile: string, stray: RecordedStray): Promise<void> {
    const wallet = await trx.selectFrom('wallets').select('label').where('id', '=', stray.walletId).executeTakeFirst();
    const amount = stray.decimals !== null && stray.symbol !== null ? `${formatAmount(stray.amount, stray.decimals)} ${stray.symbol}` : 'An unnamed token';
    const why = UNIDENTIFIED_REASONS[stray.kind];
    await this.alert(
      trx,
      profile,
      'unidentified_funds',
      `unidentified:${stray.id}`,
      `${amount} arrived at the address of wallet "${wallet?.label ?? 'unknown'}" on ${CHAIN_LABELS[this.chain]} and was not credited: ${why}. See Unidentified funds on the Wallets page.`,
      { unidentifiedFundsId: stray.id, kind: stray.kind, walletId: stray.walletId, amount: stray.amount.toString() },
    );
  }

  /** A client's deposit under its asset's minimum was booked to the company: the officer decides whether to credit it by hand. */
  private async belowMinimumAlert(trx: Db, profile: string, deposit: DepositRow, minimum: bigint): Promise<void> {
    const asset = await this.deps.assets.get(deposit.asset_id);
    const wallet = deposit.wallet_id ? await trx.selectFrom('wallets').select('label').where('id', '=', deposit.wallet_id).executeTakeFirst() : undefined;
    const units = (value: bigint) => `${formatAmount(value, asset.decimals)} ${asset.symbol}`;
    await this.alert(
      trx,
      profile,
      'deposit_below_minimum',
      `deposit:${deposit.id}`,
      `A deposit of ${units(BigInt(deposit.amount))} to wallet "${wallet?.label ?? 'unknown'}" on ${CHAIN_LABELS[this.chain]} is below the minimum of ${units(minimum)}: it was not credited. Credit it by hand from the wallet's deposits if it belongs to the client.`,
      { depositId: deposit.id, walletId: deposit.wallet_id, assetId: deposit.asset_id, amount: deposit.amount, minimum: minimum.toString(), txHash: deposit.tx_hash },
    );
  }

  /**
   * A deposit credited to a suspended client's wallet: the chain cannot be refused, so the credit stands (we owe it),
   * but the wallet is frozen both ways by the KYC gate until the client is reinstated. The officer is told, once.
   */
  private async frozenDepositAlert(trx: Db, profile: string, deposit: DepositRow, amount: bigint): Promise<void> {
    if (!deposit.wallet_id) return;
    const owner = await trx
      .selectFrom('wallets')
      .leftJoin('clients', 'clients.id', 'wallets.client_id')
      .select(['wallets.label as label', 'clients.kyc_status as kycStatus'])
      .where('wallets.id', '=', deposit.wallet_id)
      .executeTakeFirst();
    if (owner?.kycStatus !== 'suspended') return;
    const asset = await this.deps.assets.get(deposit.asset_id);
    await this.alert(
      trx,
      profile,
      'deposit_frozen',
      `deposit:${deposit.id}`,
      `A deposit of ${formatAmount(amount, asset.decimals)} ${asset.symbol} reached wallet "${owner.label}" on ${CHAIN_LABELS[this.chain]}, whose client is suspended: it is credited but frozen, and nothing leaves the wallet until the client is reinstated.`,
      { depositId: deposit.id, walletId: deposit.wallet_id, assetId: deposit.asset_id, amount: amount.toString(), txHash: deposit.tx_hash },
    );
  }

  /**
   * A client paid their Polygon address on BNB Chain (or the other way round): the coins are at an address
   * whose key we hold, but on a chain where the wallet has no balance. Not credited; the officer is told, once.
   */
  private async wrongChainDeposit(trx: Db, profile: string, transfer: ObservedTransfer, walletId: string): Promise<void> {
    // In the asset's own units: the officer reads this message as it is.
    const asset = await this.deps.assets.get(transfer.assetId).catch(() => null);
    const amount = asset ? `${formatAmount(transfer.amount, asset.decimals)} ${asset.symbol}` : `an amount of ${transfer.assetId}`;
    await this.alert(
      trx,
      profile,
      'wrong_chain_deposit',
      `tx:${transfer.txHash.toLowerCase()}:${transfer.logIndex}`,
      `${amount} arrived on ${CHAIN_LABELS[this.chain]} at ${transfer.to}, the deposit address of a wallet on another chain; it was not credited.`,
      { walletId, assetId: transfer.assetId, amount: transfer.amount.toString(), txHash: transfer.txHash, logIndex: transfer.logIndex, blockNumber: Number(transfer.blockNumber) },
    );
  }

  /**
   * Credits every seen deposit at or past the confirmation depth of the blocks scanned so far, once: a deposit
   * whose credit was kept through a reorg is settled without a second credit, and one below its asset's minimum
   * is booked to the company reserve (its coins stay at the address and ride along with the next sweep).
   */
  confirm(): Promise<number> {
    return this.announcing(() => this.confirmOnce());
  }

  private async confirmOnce(): Promise<number> {
    const { db, transfers, ledger, audit, events, minimums, assets } = this.deps;
    const { profile, depth } = await this.settings();
    const next = await this.cursor();
    if (next === null) return 0;
    const scannedTo = next - 1;
    const ready = await db
      .selectFrom('deposits')
      .selectAll()
      .where('profile', '=', profile)
      .where('chain', '=', this.chain)
      .where('state', '=', 'seen')
      .where('block_number', '<=', scannedTo - depth + 1)
      .orderBy('block_number')
      .execute();
    // Unidentified funds two operators booked as company funds stay company funds when a reorg brings them back.
    const companyFunds = ready.length === 0 ? new Set<string>() : new Set(
      (
        await db
          .selectFrom('unidentified_funds')
          .select('deposit_id')
          .where('deposit_id', 'in', ready.map((d) => d.id))
          .where('recovery_action', '=', 'company_funds')
          .execute()
      ).map((r) => r.deposit_id!),
    );
    let credited = 0;
    for (const deposit of ready) {
      const amount = BigInt(deposit.amount);
      const cause = { type: 'deposit', id: deposit.id };
      const key = depositKey(this.chain, deposit.tx_hash, deposit.log_index);
      const suffix = deposit.credit_round > 0 ? `:${deposit.credit_round}` : '';
      const kept = deposit.credit_transfer_id;
      const minimum = kept === null && deposit.kind === 'client' ? await minimums.of(await assets.get(deposit.asset_id)) : 0n;
      // An officer already paid a below-minimum deposit by hand: back after a reorg, it is booked to the reserve
      // again, never credited a second time, whatever the minimum is now.
      const belowMinimum = kept === null && deposit.kind === 'client' && (deposit.manual_credit_transfer_id !== null || amount < minimum || companyFunds.has(deposit.id));
      const confirmedAt = now();
      const done = await db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('deposits').select('state').where('id', '=', deposit.id).executeTakeFirstOrThrow();
        if (current.state !== 'seen') return false;
        let transferId: number;
        if (kept !== null) {
          // Back in the chain after a reorg that could not reverse its credit: the credit it already has is backed again.
          transferId = kept;
        } else if (deposit.kind === 'reserve') {
          // The company topping up its own holding wallet from outside: its equity, not a client's balance.
          const outcome = await ledger.transfer(
            {
              idempotencyKey: `reserve:${key}${suffix}`,
              debit: { kind: 'holding', assetId: deposit.asset_id },
              credit: { kind: 'company_reserve', assetId: deposit.asset_id },
              amount,
              code: 'reserve_topup',
              cause,
            },
            trx,
          );
          transferId = outcome.transfer.id;
        } else if (belowMinimum) {
          // Not credited to the client: the coins at the address are booked as company funds until an officer credits them.
          const outcome = await ledger.transfer(
            {
              idempotencyKey: `below-minimum:${key}${suffix}`,
              debit: { kind: 'deposit_in_transit', assetId: deposit.asset_id, walletId: deposit.wallet_id! },
              credit: { kind: 'company_reserve', assetId: deposit.asset_id },
              amount,
              code: 'reserve_topup',
              cause,
              memo: companyFunds.has(deposit.id)
                ? 'Unidentified funds booked as company funds; included again after a reorg'
                : deposit.manual_credit_transfer_id !== null
                  ? 'Deposit credited by hand before a reorg; included again'
                  : 'Deposit below the minimum; not credited to the client',
            },
            trx,
          );
          transferId = outcome.transfer.id;
          if (amount < minimum && deposit.manual_credit_transfer_id === null && !companyFunds.has(deposit.id)) await this.belowMinimumAlert(trx, profile, deposit, minimum);
        } else if (deposit.credit_round === 0) {
          const outcome = await transfers.creditDeposit(
            { chain: this.chain, txHash: deposit.tx_hash, logIndex: deposit.log_index, walletId: deposit.wallet_id!, assetId: deposit.asset_id, amount, depositId: deposit.id },
            trx,
          );
          transferId = outcome.transfer.id;
          await this.frozenDepositAlert(trx, profile, deposit, amount);
        } else {
          // The same transaction came back after a reorg reversed its first credit: a new credit, a new key.
          const outcome = await ledger.transfer(
            {
              idempotencyKey: `${key}${suffix}`,
              debit: { kind: 'deposit_in_transit', assetId: deposit.asset_id, walletId: deposit.wallet_id! },
              credit: { kind: 'client_wallet', assetId: deposit.asset_id, walletId: deposit.wallet_id! },
              amount,
              code: 'deposit',
              cause,
            },
            trx,
          );
          transferId = outcome.transfer.id;
        }
        // A kept credit may have been swept before the reorg; its sweep still stands.
        const swept = kept !== null && deposit.sweep_id !== null
          ? (await trx.selectFrom('sweeps').select('state').where('id', '=', deposit.sweep_id).executeTakeFirst())?.state === 'confirmed'
          : false;
        await trx
          .updateTable('deposits')
          .set({
            state: swept ? 'swept' : 'confirmed',
            credit_transfer_id: transferId,
            below_minimum: kept !== null ? deposit.below_minimum : belowMinimum ? 1 : 0,
            confirmations: scannedTo - deposit.block_number + 1,
            confirmed_at: confirmedAt,
            updated_at: confirmedAt,
          })
          .where('id', '=', deposit.id)
          .execute();
        await audit.record(
          {
            operator: 'watcher',
            action: 'deposit.confirmed',
            entity: { type: 'deposit', id: deposit.id },
            change: {
              transferId,
              confirmations: scannedTo - deposit.block_number + 1,
              depth,
              ...(kept !== null ? { creditKept: true } : {}),
              ...(belowMinimum ? { belowMinimum: minimum.toString() } : {}),
            },
          },
          trx,
        );
        return true;
      });
      if (!done) continue;
      if (kept === null && !belowMinimum) credited++;
      if (deposit.wallet_id) {
        events.publish({
          type: 'deposit.confirmed',
          depositId: deposit.id,
          walletId: deposit.wallet_id,
          assetId: deposit.asset_id,
          amount: deposit.amount,
          txHash: deposit.tx_hash,
        });
        await this.announceBalance(deposit.wallet_id, deposit.asset_id);
      }
    }
    return credited;
  }

  /** Ledger writes inside our own transaction do not announce balances; we do, after the commit. */
  private async announceBalance(walletId: string, assetId: string): Promise<void> {
    const balance = await this.deps.ledger.balance({ kind: 'client_wallet', assetId, walletId });
    this.deps.events.publish({ type: 'balance.changed', walletId, ...balance });
  }

  /** Assets this watcher looks for, for display. */
  async assets(): Promise<Asset[]> {
    return this.deps.assets.list(this.chain);
  }
}

function now(): string {
  return new Date().toISOString();
}
