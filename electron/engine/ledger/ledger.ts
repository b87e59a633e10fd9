import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountKind, BalanceView, Page, TransferCode, TransferView } from '@shared/domain/ledger';
import { MAX_AMOUNT } from '@shared/money';
import { DomainError } from '@shared/result';
import { dialectOf } from '../db/dialect';
import type { Database, GuardedWalletRow, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer, TransferKind } from '../db/schema';
import { accountCode, debitsMustNotExceedCredits, type AccountSpec } from './accounts';
import { balanceOf, balanceView, type Totals } from './balance';
import { GroupCommit } from './group-commit';
import type { Journal } from './journal';
import type { LedgerStatements, Lookup } from './ledger-statements';
import { runAsync, runSync, step, type Steps } from './steps';

export interface TransferRequest {
  /** Made by the caller and saved before submitting: a retry with the same key returns the first result. */
  idempotencyKey: string;
  /** 'pending' reserves the amount until exactly one post or void. */
  kind?: 'posted' | 'pending';
  debit: AccountSpec;
  credit: AccountSpec;
  amount: bigint;
  code: TransferCode;
  cause?: { type: string; id: string };
  memo?: string;
  operator?: string;
}

export interface TransferOutcome {
  transfer: LedgerTransferRow;
  /** True when the key had been used with the same content: nothing was written. */
  replayed: boolean;
}

/** An account's totals after a write, so callers can announce balances without reading them again. */
export interface TouchedAccount {
  /** The last transfer of the write that left these totals. */
  transferId?: number;
  code: string;
  kind: AccountKind;
  assetId: string;
  walletId: string | null;
  totals: Totals;
}

/** Wallets a transfer needs, read in its own transaction before it is applied, and what must hold of them. */
export interface WalletGuard {
  walletIds: string[];
  /** Throws to refuse the transfer; the rows are those that exist, in any order. */
  check(rows: GuardedWalletRow[]): void;
}

type Db = Kysely<Database>;

type ReversalRequest = { idempotencyKey: string; code: TransferCode; memo: string; operator?: string; cause?: { type: string; id: string } };

interface Working {
  row: LedgerAccountRow;
  totals: Totals;
  dirty: boolean;
}

/** What makes two submissions "the same transfer" for idempotency. */
interface TransferContent {
  kind: TransferKind;
  debit: string;
  credit: string;
  assetId: string;
  amount: string;
  code: string;
  pendingId: number | null;
  reversesId: number | null;
  cause: string | null;
  memo: string | null;
}

/**
 * The one lookup a batch of transfers starts with: the guard's wallets, what the keys already wrote, and the
 * accounts every request names (a request whose accounts cannot be named is refused in applyAll, in its turn).
 */
function lookupOf(requests: TransferRequest[], guard?: WalletGuard): Lookup {
  const codes = new Set<string>();
  for (const request of requests) {
    try {
      codes.add(accountCode(request.debit)).add(accountCode(request.credit));
    } catch {
      // validateRequest and accountCode throw for it in applyAll
    }
  }
  const keys = [...new Set(requests.map((r) => r.idempotencyKey))];
  return { walletIds: guard?.walletIds ?? [], keys, codes: [...codes], reserve: requests.length };
}

function contentHash(content: TransferContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export function totalsOf(row: LedgerAccountRow): Totals {
  return {
    debitsPosted: BigInt(row.debits_posted),
    creditsPosted: BigInt(row.credits_posted),
    debitsPending: BigInt(row.debits_pending),
    creditsPending: BigInt(row.credits_pending),
  };
}

/**
 * The double-entry ledger, after TigerBeetle's model: immutable transfers between two accounts of one
 * asset, two-phase holds, reversals instead of edits, and balances materialized in the same database
 * transaction as each transfer so a read is one row however long the history.
 */
export class Ledger {
  private readonly listeners = new Set<(accounts: TouchedAccount[]) => void>();

  /** Group commit of the ledger's own transactions (stats for benchmarks and tests). */
  readonly group: GroupCommit;

  constructor(
    private readonly db: Db,
    private readonly statements: LedgerStatements,
    /** Called in the same transaction with every transfer written, for the audit trail. */
    private readonly journal: Journal = function* () {},
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.group = new GroupCommit(db, statements, (touched) => this.announce(touched));
  }

  /** Called after each write with the accounts it changed (inside the transaction: announce after commit). */
  onWrite(listener: (accounts: TouchedAccount[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` (see ./steps) in the caller's transaction if it has one, else in a new one: at once, as one
   * synchronous transaction, when the statements can (SQLite, connection idle), else a Kysely transaction.
   * `touched` collects the accounts the work changed, announced once the transaction is over.
   */
  private async inTransaction<T>(ex: Db | undefined, work: (trx: Db, touched: TouchedAccount[]) => Steps<T>, lookup?: Lookup): Promise<T> {
    const touched: TouchedAccount[] = [];
    if (ex?.isTransaction) {
      const result = await runAsync(work(ex, touched));
      // The caller commits, not us: announce once its transaction is over, and only if it committed.
      if (touched.length > 0) {
        // What the statements left to travel with a later statement goes now: the accounts' row locks must be held before the announcement waits on them.
        await this.statements.flush?.(ex);
        this.announceIfCommitted(touched);
      }
      return result;
    }
    // The ledger's own transaction: concurrent writes share one (group commit, each in its own savepoint).
    if (ex === undefined || ex === this.db) return this.group.submit(work, lookup);
    const now = this.statements.runNow?.(() => runSync(work(ex, touched)));
    const result = now ? now.value : await ex.transaction().execute((trx) => runAsync(work(trx, touched)));
    // Only after the commit: a rolled-back write announces nothing.
    if (touched.length > 0) this.announce(touched);
    return result;
  }

  private announce(touched: TouchedAccount[]): void {
    for (const listener of this.listeners) listener(touched);
  }

  /** Announcements of writes made in callers' transactions, in the order those writes happened. */
  private announcements: Promise<void> = Promise.resolve();

  /**
   * Waits for the caller's transaction to end, then announces the totals this write left if it committed
   * (a later write announces its own). On SQLite's single connection any read queues behind the open
   * transaction; on PostgreSQL FOR SHARE waits for the row locks the caller's updates hold. Whether it
   * committed: the last transfer it wrote exists.
   */
  private announceIfCommitted(touched: TouchedAccount[]): void {
    const lastTransfer = Math.max(...touched.map((t) => t.transferId ?? 0));
    const codes = [...new Set(touched.map((t) => t.code))];
    const committed = async () => {
      if (this.statements.committed) return this.statements.committed(this.db, codes, lastTransfer);
      if (dialectOf(this.db) === 'postgres') {
        await this.db.selectFrom('ledger_accounts').select('id').where('code', 'in', codes).forShare().execute();
      }
      return (await this.db.selectFrom('ledger_transfers').select('id').where('id', '=', lastTransfer).executeTakeFirst()) !== undefined;
    };
    this.announcements = this.announcements.then(async () => {
      try {
        if (await committed()) this.announce(touched);
      } catch {
        // Announcements are hints for screens; a failed read must not surface as an error of the write.
      }
    });
  }


  /** One transfer; with a guard, the wallets it names are read and checked in the same transaction first. */
  async transfer(request: TransferRequest, ex?: Db, guard?: WalletGuard): Promise<TransferOutcome> {
    const [outcome] = await this.inTransaction(ex, (trx, touched) => this.applyAll(trx, touched, [request], guard), lookupOf([request], guard));
    return outcome!;
  }

  /** Many transfers in one database transaction: all of them or none. */
  async transferBatch(requests: TransferRequest[], ex?: Db): Promise<TransferOutcome[]> {
    return this.inTransaction(ex, (trx, touched) => this.applyAll(trx, touched, requests), lookupOf(requests));
  }

  /** Settles a hold: the reserved amount becomes posted. */
  async post(pendingId: number, idempotencyKey: string, ex?: Db, operator?: string): Promise<TransferOutcome> {
    return this.inTransaction(ex, (trx, touched) => this.resolvePending(trx, touched, pendingId, idempotencyKey, 'post_pending', operator));
  }

  /** Releases a hold: the reserved amount returns to available. */
  async void(pendingId: number, idempotencyKey: string, ex?: Db, operator?: string): Promise<TransferOutcome> {
    return this.inTransaction(ex, (trx, touched) => this.resolvePending(trx, touched, pendingId, idempotencyKey, 'void_pending', operator));
  }

  /** Corrects a posted transfer with its mirror image; the original stays as it was. */
  async reverse(transferId: number, request: ReversalRequest, ex?: Db): Promise<TransferOutcome> {
    return this.inTransaction(ex, (trx, touched) => this.reversal(trx, touched, transferId, request));
  }

  private *reversal(trx: Db, touched: TouchedAccount[], transferId: number, request: ReversalRequest): Steps<TransferOutcome> {
    const original = yield* step(this.statements.transferById(trx, transferId));
    if (!original) throw new DomainError('not_found', `Transfer ${transferId} does not exist.`);
    if (original.kind === 'pending' || original.kind === 'void_pending') {
      throw new DomainError('conflict', 'Only posted transfers can be reversed; void the hold instead.');
    }
    let debitId = original.debit_account_id;
    let creditId = original.credit_account_id;
    if (original.kind === 'post_pending') {
      const pending = yield* step(this.statements.transferById(trx, original.pending_id!));
      debitId = pending!.debit_account_id;
      creditId = pending!.credit_account_id;
    }
    const accounts = yield* this.loadAccounts(trx, [debitId, creditId]);
    // The mirror image: what was credited is now debited.
    const debit = accounts.get(creditId)!;
    const credit = accounts.get(debitId)!;
    const content: TransferContent = {
      kind: 'posted',
      debit: debit.row.code,
      credit: credit.row.code,
      assetId: original.asset_id,
      amount: original.amount,
      code: request.code,
      pendingId: null,
      reversesId: original.id,
      cause: request.cause ? `${request.cause.type}:${request.cause.id}` : null,
      memo: request.memo,
    };
    const replay = yield* this.replayed(trx, request.idempotencyKey, content);
    if (replay) return replay;
    const existing = yield* step(this.statements.resolutionOf(trx, 'reverses_id', original.id));
    if (existing) throw new DomainError('conflict', `Transfer ${original.id} was already reversed by transfer ${existing.id}.`);
    const amount = BigInt(original.amount);
    debit.totals.debitsPosted += amount;
    credit.totals.creditsPosted += amount;
    this.checkLimits(debit);
    debit.dirty = credit.dirty = true;
    const [outcome] = yield* this.write(trx, touched, [{ content, key: request.idempotencyKey, operator: request.operator, cause: request.cause }], [debit, credit]);
    return outcome!;
  }

  private *applyAll(trx: Db, touched: TouchedAccount[], requests: TransferRequest[], guard?: WalletGuard): Steps<TransferOutcome[]> {
    const found = yield* step(this.statements.lookup(trx, lookupOf(requests, guard)));
    if (guard) guard.check(found.wallets);
    const prepared = requests.map((request) => {
      this.validateRequest(request);
      const content: TransferContent = {
        kind: request.kind ?? 'posted',
        debit: accountCode(request.debit),
        credit: accountCode(request.credit),
        assetId: request.debit.assetId,
        amount: request.amount.toString(),
        code: request.code,
        pendingId: null,
        reversesId: null,
        cause: request.cause ? `${request.cause.type}:${request.cause.id}` : null,
        memo: request.memo ?? null,
      };
      return { request, content, hash: contentHash(content) };
    });

    const existing = new Map<string, LedgerTransferRow>();
    for (const row of found.transfers) existing.set(row.idempotency_key, row);
    const firstInBatch = new Map<string, number>();
    const fresh: Array<{ index: number; request: TransferRequest; content: TransferContent; hash: string }> = [];
    for (const [index, { request, content, hash }] of prepared.entries()) {
      const prior = existing.get(request.idempotencyKey);
      const first = firstInBatch.get(request.idempotencyKey);
      const knownHash = prior?.content_hash ?? (first !== undefined ? prepared[first]!.hash : undefined);
      if (knownHash !== undefined && knownHash !== hash) throw idempotencyConflict(request.idempotencyKey);
      if (prior || first !== undefined) continue;
      firstInBatch.set(request.idempotencyKey, index);
      fresh.push({ index, request, content, hash });
    }

    const working = yield* this.accountsFor(
      trx,
      fresh.flatMap(({ request }) => [request.debit, request.credit]),
      found.accounts,
    );
    for (const { request, content } of fresh) {
      const debit = working.get(content.debit)!;
      const credit = working.get(content.credit)!;
      if (content.kind === 'pending') {
        debit.totals.debitsPending += request.amount;
        credit.totals.creditsPending += request.amount;
      } else {
        debit.totals.debitsPosted += request.amount;
        credit.totals.creditsPosted += request.amount;
      }
      this.checkLimits(debit);
      debit.dirty = credit.dirty = true;
    }
    const written = yield* this.write(
      trx,
      touched,
      fresh.map(({ request, content, hash }) => ({ content, hash, key: request.idempotencyKey, operator: request.operator, cause: request.cause })),
      [...working.values()],
      found.ids,
    );

    const outcomes: TransferOutcome[] = new Array(requests.length);
    for (const [i, { index }] of fresh.entries()) outcomes[index] = written[i]!;
    for (const [index, request] of requests.entries()) {
      if (outcomes[index]) continue;
      const prior = existing.get(request.idempotencyKey);
      outcomes[index] = { transfer: prior ?? outcomes[firstInBatch.get(request.idempotencyKey)!]!.transfer, replayed: true };
    }
    return outcomes;
  }

  private validateRequest(request: TransferRequest): void {
    if (request.amount <= 0n) throw new DomainError('invalid_amount', 'A transfer moves a positive amount.');
    if (request.amount > MAX_AMOUNT) throw new DomainError('invalid_amount', 'Amount is larger than any chain can hold.');
    if (request.debit.assetId !== request.credit.assetId) {
      throw new DomainError('asset_mismatch', `Cannot move ${request.debit.assetId} into a ${request.credit.assetId} account.`);
    }
    if (accountCode(request.debit) === accountCode(request.credit)) {
      throw new DomainError('validation', 'A transfer needs two different accounts.');
    }
  }

  private checkLimits(debit: Working): void {
    if (!debitsMustNotExceedCredits(debit.row.kind as AccountKind)) return;
    const t = debit.totals;
    if (t.debitsPosted + t.debitsPending > t.creditsPosted) {
      const available = t.creditsPosted - t.debitsPosted - t.debitsPending;
      throw new DomainError('insufficient_funds', 'The wallet does not have enough available balance.', {
        account: debit.row.code,
        shortBy: (-available).toString(),
      });
    }
  }

  private *resolvePending(
    trx: Db,
    touched: TouchedAccount[],
    pendingId: number,
    idempotencyKey: string,
    kind: 'post_pending' | 'void_pending',
    operator?: string,
  ): Steps<TransferOutcome> {
    const pending = yield* step(this.statements.transferById(trx, pendingId));
    if (!pending || pending.kind !== 'pending') throw new DomainError('not_found', `No pending transfer ${pendingId}.`);
    const accounts = yield* this.loadAccounts(trx, [pending.debit_account_id, pending.credit_account_id]);
    const debit = accounts.get(pending.debit_account_id)!;
    const credit = accounts.get(pending.credit_account_id)!;
    const content: TransferContent = {
      kind,
      debit: debit.row.code,
      credit: credit.row.code,
      assetId: pending.asset_id,
      amount: pending.amount,
      code: pending.code,
      pendingId: pending.id,
      reversesId: null,
      cause: pending.cause_type ? `${pending.cause_type}:${pending.cause_id}` : null,
      memo: null,
    };
    const replay = yield* this.replayed(trx, idempotencyKey, content);
    if (replay) return replay;
    const resolved = yield* step(this.statements.resolutionOf(trx, 'pending_id', pending.id));
    if (resolved) {
      throw new DomainError('conflict', `Hold ${pending.id} was already ${resolved.kind === 'post_pending' ? 'posted' : 'voided'}.`);
    }
    const amount = BigInt(pending.amount);
    debit.totals.debitsPending -= amount;
    credit.totals.creditsPending -= amount;
    if (kind === 'post_pending') {
      debit.totals.debitsPosted += amount;
      credit.totals.creditsPosted += amount;
    }
    debit.dirty = credit.dirty = true;
    const cause = pending.cause_type && pending.cause_id ? { type: pending.cause_type, id: pending.cause_id } : undefined;
    const [outcome] = yield* this.write(trx, touched, [{ content, key: idempotencyKey, operator, cause }], [debit, credit]);
    return outcome!;
  }

  private *replayed(trx: Db, key: string, content: TransferContent): Steps<TransferOutcome | null> {
    const [prior] = yield* step(this.statements.transfersByKeys(trx, [key]));
    if (!prior) return null;
    if (prior.content_hash !== contentHash(content)) throw idempotencyConflict(key);
    return { transfer: prior, replayed: true };
  }

  /** Inserts the transfers and writes back every account they changed, in the caller's transaction. */
  private *write(
    trx: Db,
    touched: TouchedAccount[],
    inserts: Array<{ content: TransferContent; key: string; operator?: string; cause?: { type: string; id: string }; hash?: string }>,
    accounts: Working[],
    ids?: number[],
  ): Steps<TransferOutcome[]> {
    const idByCode = new Map(accounts.map((w) => [w.row.code, w.row.id]));
    const createdAt = this.now();
    const rows: NewLedgerTransfer[] = inserts.map(({ content, key, operator, cause, hash }) => ({
      idempotency_key: key,
      kind: content.kind,
      debit_account_id: idByCode.get(content.debit)!,
      credit_account_id: idByCode.get(content.credit)!,
      asset_id: content.assetId,
      amount: content.amount,
      code: content.code,
      pending_id: content.pendingId,
      reverses_id: content.reversesId,
      cause_type: cause?.type ?? null,
      cause_id: cause?.id ?? null,
      memo: content.memo,
      operator: operator ?? null,
      content_hash: hash ?? contentHash(content),
      created_at: createdAt,
    }));
    const written = yield* step(this.statements.insertTransfers(trx, rows, ids));
    yield* this.journal(trx, written, new Map(accounts.map((w) => [w.row.id, w.row.code])));
    const dirty = accounts.filter((w) => w.dirty);
    yield* step(this.statements.updateTotals(trx, dirty.map((w) => ({ accountId: w.row.id, totals: w.totals }))));
    for (const w of dirty) {
      w.dirty = false;
      touched.push({
        transferId: written[written.length - 1]!.id,
        code: w.row.code,
        kind: w.row.kind as AccountKind,
        assetId: w.row.asset_id,
        walletId: w.row.wallet_id,
        totals: { ...w.totals },
      });
    }
    return written.map((transfer) => ({ transfer, replayed: false }));
  }

  /** Every account the specs name, keyed by code: from the rows looked up, else created (on first use). */
  private *accountsFor(trx: Db, specs: AccountSpec[], rows: LedgerAccountRow[]): Steps<Map<string, Working>> {
    const byCode = new Map<string, AccountSpec>();
    for (const spec of specs) byCode.set(accountCode(spec), spec);
    const working = new Map<string, Working>();
    for (const row of rows) {
      if (byCode.has(row.code)) working.set(row.code, { row, totals: totalsOf(row), dirty: false });
    }
    for (const [code, spec] of byCode) {
      if (working.has(code)) continue;
      const row = yield* step(this.statements.insertAccount(trx, {
        code,
        kind: spec.kind,
        asset_id: spec.assetId,
        wallet_id: spec.walletId ?? null,
        created_at: this.now(),
      }));
      working.set(code, { row, totals: totalsOf(row), dirty: false });
    }
    return working;
  }

  private *loadAccounts(trx: Db, ids: number[]): Steps<Map<number, Working>> {
    const rows = yield* step(this.statements.accountsByIds(trx, [...new Set(ids)]));
    const map = new Map<number, Working>();
    for (const row of rows) map.set(row.id, { row, totals: totalsOf(row), dirty: false });
    if (map.size !== new Set(ids).size) throw new DomainError('internal', 'A ledger account referenced by a transfer is missing.');
    return map;
  }

  // ---- reads ----

  async balance(spec: AccountSpec): Promise<BalanceView> {
    const row = await this.db.selectFrom('ledger_accounts').selectAll().where('code', '=', accountCode(spec)).executeTakeFirst();
    if (!row) return { assetId: spec.assetId, posted: '0', pending: '0', available: '0' };
    return balanceView(spec.kind, spec.assetId, totalsOf(row));
  }

  async available(spec: AccountSpec, ex: Db = this.db): Promise<bigint> {
    const row = await ex.selectFrom('ledger_accounts').selectAll().where('code', '=', accountCode(spec)).executeTakeFirst();
    return row ? balanceOf(spec.kind, totalsOf(row)).available : 0n;
  }

  async walletBalances(walletId: string): Promise<BalanceView[]> {
    const rows = await this.db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where('wallet_id', '=', walletId)
      .where('kind', '=', 'client_wallet')
      .orderBy('asset_id')
      .execute();
    return rows.map((row) => balanceView('client_wallet', row.asset_id, totalsOf(row)));
  }

  /** Newest first; the cursor is the last transfer id seen. */
  async history(spec: AccountSpec, cursor: string | undefined, limit: number): Promise<Page<TransferView>> {
    const account = await this.db.selectFrom('ledger_accounts').selectAll().where('code', '=', accountCode(spec)).executeTakeFirst();
    if (!account) return { items: [], nextCursor: null };
    const before = cursor ? Number.parseInt(cursor, 10) : undefined;
    if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) throw new DomainError('validation', 'The page cursor is not valid.');
    const rows = await this.db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id')
      .innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id')
      .selectAll('t')
      .select(['d.code as debit_code', 'c.code as credit_code'])
      .where((eb) => eb.or([eb('t.debit_account_id', '=', account.id), eb('t.credit_account_id', '=', account.id)]))
      .$if(before !== undefined, (q) => q.where('t.id', '<', before!))
      .orderBy('t.id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((row) => toView(row, account.id, row.debit_code, row.credit_code));
    return { items, nextCursor: rows.length > limit ? String(rows[limit - 1]!.id) : null };
  }

  /** Per asset and account kind, the signed sum debits - credits (posted and pending), for invariants and reconciliation. */
  async totalsByKind(ex: Kysely<Database> = this.db, assetId?: string): Promise<Array<{ assetId: string; kind: AccountKind; totals: Totals }>> {
    let query = ex.selectFrom('ledger_accounts').selectAll();
    if (assetId) query = query.where('asset_id', '=', assetId);
    const rows = await query.execute();
    const byKey = new Map<string, { assetId: string; kind: AccountKind; totals: Totals }>();
    for (const row of rows) {
      const key = `${row.asset_id}|${row.kind}`;
      const entry = byKey.get(key) ?? {
        assetId: row.asset_id,
        kind: row.kind as AccountKind,
        totals: { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n },
      };
      const t = totalsOf(row);
      entry.totals.debitsPosted += t.debitsPosted;
      entry.totals.creditsPosted += t.creditsPosted;
      entry.totals.debitsPending += t.debitsPending;
      entry.totals.creditsPending += t.creditsPending;
      byKey.set(key, entry);
    }
    return [...byKey.values()];
  }
}

function idempotencyConflict(key: string): DomainError {
  return new DomainError('idempotency_conflict', `The key ${key} was already used for a different transfer.`, { idempotencyKey: key });
}

function toView(row: LedgerTransferRow, accountId: number, debitCode: string, creditCode: string): TransferView {
  const outgoing = row.debit_account_id === accountId;
  return {
    id: String(row.id),
    kind: row.kind,
    code: row.code,
    assetId: row.asset_id,
    amount: row.amount,
    direction: outgoing ? 'out' : 'in',
    counterparty: outgoing ? creditCode : debitCode,
    pendingId: row.pending_id === null ? null : String(row.pending_id),
    reversesId: row.reverses_id === null ? null : String(row.reverses_id),
    cause: row.cause_type && row.cause_id ? { type: row.cause_type, id: row.cause_id } : null,
    memo: row.memo,
    operator: row.operator,
    createdAt: row.created_at,
  };
}
