import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountKind, BalanceView, Page, TransferCode, TransferView } from '@shared/domain/ledger';
import { MAX_AMOUNT } from '@shared/money';
import { DomainError } from '@shared/result';
import type { Database, LedgerAccountRow, LedgerTransferRow, TransferKind } from '../db/schema';
import { accountCode, debitsMustNotExceedCredits, type AccountSpec } from './accounts';
import { balanceOf, balanceView, type Totals } from './balance';

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

type Db = Kysely<Database>;

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

function contentHash(content: TransferContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function totalsOf(row: LedgerAccountRow): Totals {
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
  /** Account codes never change and accounts are never deleted, so code -> id is safe to cache. */
  private readonly accountIds = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Runs `work` in the caller's transaction if it has one, else in a new one. */
  private async inTransaction<T>(ex: Db | undefined, work: (trx: Db) => Promise<T>): Promise<T> {
    if (ex) return work(ex);
    return this.db.transaction().execute(work);
  }

  async transfer(request: TransferRequest, ex?: Db): Promise<TransferOutcome> {
    const [outcome] = await this.inTransaction(ex, (trx) => this.applyAll(trx, [request]));
    return outcome!;
  }

  /** Many transfers in one database transaction: all of them or none. */
  async transferBatch(requests: TransferRequest[], ex?: Db): Promise<TransferOutcome[]> {
    return this.inTransaction(ex, (trx) => this.applyAll(trx, requests));
  }

  /** Settles a hold: the reserved amount becomes posted. */
  async post(pendingId: number, idempotencyKey: string, ex?: Db, operator?: string): Promise<TransferOutcome> {
    return this.inTransaction(ex, (trx) => this.resolvePending(trx, pendingId, idempotencyKey, 'post_pending', operator));
  }

  /** Releases a hold: the reserved amount returns to available. */
  async void(pendingId: number, idempotencyKey: string, ex?: Db, operator?: string): Promise<TransferOutcome> {
    return this.inTransaction(ex, (trx) => this.resolvePending(trx, pendingId, idempotencyKey, 'void_pending', operator));
  }

  /** Corrects a posted transfer with its mirror image; the original stays as it was. */
  async reverse(
    transferId: number,
    request: { idempotencyKey: string; code: TransferCode; memo: string; operator?: string; cause?: { type: string; id: string } },
    ex?: Db,
  ): Promise<TransferOutcome> {
    return this.inTransaction(ex, async (trx) => {
      const original = await trx.selectFrom('ledger_transfers').selectAll().where('id', '=', transferId).executeTakeFirst();
      if (!original) throw new DomainError('not_found', `Transfer ${transferId} does not exist.`);
      let debitId = original.debit_account_id;
      let creditId = original.credit_account_id;
      if (original.kind === 'pending' || original.kind === 'void_pending') {
        throw new DomainError('conflict', 'Only posted transfers can be reversed; void the hold instead.');
      }
      if (original.kind === 'post_pending') {
        const pending = await trx.selectFrom('ledger_transfers').selectAll().where('id', '=', original.pending_id!).executeTakeFirstOrThrow();
        debitId = pending.debit_account_id;
        creditId = pending.credit_account_id;
      }
      const accounts = await this.loadAccounts(trx, [debitId, creditId]);
      const content: TransferContent = {
        kind: 'posted',
        debit: accounts.get(creditId)!.row.code,
        credit: accounts.get(debitId)!.row.code,
        assetId: original.asset_id,
        amount: original.amount,
        code: request.code,
        pendingId: null,
        reversesId: original.id,
        cause: request.cause ? `${request.cause.type}:${request.cause.id}` : null,
        memo: request.memo,
      };
      const replay = await this.replayed(trx, request.idempotencyKey, content);
      if (replay) return replay;
      const existing = await trx.selectFrom('ledger_transfers').select('id').where('reverses_id', '=', original.id).executeTakeFirst();
      if (existing) throw new DomainError('conflict', `Transfer ${original.id} was already reversed by transfer ${existing.id}.`);
      const amount = BigInt(original.amount);
      const debit = accounts.get(creditId)!;
      const credit = accounts.get(debitId)!;
      debit.totals.debitsPosted += amount;
      credit.totals.creditsPosted += amount;
      this.checkLimits(debit);
      return this.insertTransfer(trx, content, request.idempotencyKey, debit, credit, request.operator, request.cause);
    });
  }

  private async applyAll(trx: Db, requests: TransferRequest[]): Promise<TransferOutcome[]> {
    const working = new Map<number, Working>();
    const outcomes: TransferOutcome[] = [];
    const seenInBatch = new Map<string, string>();
    const existing = await this.existingByKey(trx, requests.map((r) => r.idempotencyKey));
    const pendingInserts: Array<{ content: TransferContent; key: string; operator?: string; cause?: { type: string; id: string }; index: number }> = [];

    for (const [index, request] of requests.entries()) {
      this.validateRequest(request);
      const debitCode = accountCode(request.debit);
      const creditCode = accountCode(request.credit);
      const kind: TransferKind = request.kind ?? 'posted';
      const content: TransferContent = {
        kind,
        debit: debitCode,
        credit: creditCode,
        assetId: request.debit.assetId,
        amount: request.amount.toString(),
        code: request.code,
        pendingId: null,
        reversesId: null,
        cause: request.cause ? `${request.cause.type}:${request.cause.id}` : null,
        memo: request.memo ?? null,
      };
      const hash = contentHash(content);
      const prior = existing.get(request.idempotencyKey);
      if (prior) {
        if (prior.content_hash !== hash) throw idempotencyConflict(request.idempotencyKey);
        outcomes[index] = { transfer: prior, replayed: true };
        continue;
      }
      const inBatch = seenInBatch.get(request.idempotencyKey);
      if (inBatch !== undefined) {
        if (inBatch !== hash) throw idempotencyConflict(request.idempotencyKey);
        continue; // filled from the first occurrence below
      }
      seenInBatch.set(request.idempotencyKey, hash);

      const debitId = await this.accountId(trx, request.debit, debitCode);
      const creditId = await this.accountId(trx, request.credit, creditCode);
      await this.ensureLoaded(trx, working, [debitId, creditId]);
      const debit = working.get(debitId)!;
      const credit = working.get(creditId)!;
      if (kind === 'pending') {
        debit.totals.debitsPending += request.amount;
        credit.totals.creditsPending += request.amount;
      } else {
        debit.totals.debitsPosted += request.amount;
        credit.totals.creditsPosted += request.amount;
      }
      this.checkLimits(debit);
      debit.dirty = credit.dirty = true;
      pendingInserts.push({ content, key: request.idempotencyKey, operator: request.operator, cause: request.cause, index });
    }

    const rows = await this.insertRows(trx, pendingInserts, working);
    for (const [i, insert] of pendingInserts.entries()) outcomes[insert.index] = { transfer: rows[i]!, replayed: false };
    // Duplicates inside one batch answer with the first occurrence's row.
    for (const [index, request] of requests.entries()) {
      if (!outcomes[index]) {
        const first = outcomes.find((o, i) => o && requests[i]!.idempotencyKey === request.idempotencyKey)!;
        outcomes[index] = { transfer: first.transfer, replayed: true };
      }
    }
    await this.flush(trx, working);
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

  private async resolvePending(
    trx: Db,
    pendingId: number,
    idempotencyKey: string,
    kind: 'post_pending' | 'void_pending',
    operator?: string,
  ): Promise<TransferOutcome> {
    const pending = await trx.selectFrom('ledger_transfers').selectAll().where('id', '=', pendingId).executeTakeFirst();
    if (!pending || pending.kind !== 'pending') throw new DomainError('not_found', `No pending transfer ${pendingId}.`);
    const accounts = await this.loadAccounts(trx, [pending.debit_account_id, pending.credit_account_id]);
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
    const replay = await this.replayed(trx, idempotencyKey, content);
    if (replay) return replay;
    const resolved = await trx.selectFrom('ledger_transfers').select(['id', 'kind']).where('pending_id', '=', pending.id).executeTakeFirst();
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
    const cause = pending.cause_type && pending.cause_id ? { type: pending.cause_type, id: pending.cause_id } : undefined;
    return this.insertTransfer(trx, content, idempotencyKey, debit, credit, operator, cause);
  }

  private async replayed(trx: Db, key: string, content: TransferContent): Promise<TransferOutcome | null> {
    const prior = await trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    if (!prior) return null;
    if (prior.content_hash !== contentHash(content)) throw idempotencyConflict(key);
    return { transfer: prior, replayed: true };
  }

  private async insertTransfer(
    trx: Db,
    content: TransferContent,
    key: string,
    debit: Working,
    credit: Working,
    operator?: string,
    cause?: { type: string; id: string },
  ): Promise<TransferOutcome> {
    debit.dirty = credit.dirty = true;
    const working = new Map([
      [debit.row.id, debit],
      [credit.row.id, credit],
    ]);
    const [row] = await this.insertRows(trx, [{ content, key, operator, cause, index: 0 }], working);
    await this.flush(trx, working);
    return { transfer: row!, replayed: false };
  }

  private async insertRows(
    trx: Db,
    inserts: Array<{ content: TransferContent; key: string; operator?: string; cause?: { type: string; id: string }; index?: number }>,
    working: Map<number, Working>,
  ): Promise<LedgerTransferRow[]> {
    if (inserts.length === 0) return [];
    const idByCode = new Map<string, number>();
    for (const w of working.values()) idByCode.set(w.row.code, w.row.id);
    const createdAt = this.now();
    const rows: LedgerTransferRow[] = [];
    // 16 columns a row; SQLite allows 32,766 bound values per statement.
    for (let start = 0; start < inserts.length; start += 1000) {
      const chunk = inserts.slice(start, start + 1000).map(({ content, key, operator, cause }) => ({
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
        content_hash: contentHash(content),
        created_at: createdAt,
      }));
      rows.push(...(await trx.insertInto('ledger_transfers').values(chunk).returningAll().execute()));
    }
    return rows;
  }

  private async flush(trx: Db, working: Map<number, Working>): Promise<void> {
    for (const w of working.values()) {
      if (!w.dirty) continue;
      await trx
        .updateTable('ledger_accounts')
        .set({
          debits_posted: w.totals.debitsPosted.toString(),
          credits_posted: w.totals.creditsPosted.toString(),
          debits_pending: w.totals.debitsPending.toString(),
          credits_pending: w.totals.creditsPending.toString(),
        })
        .where('id', '=', w.row.id)
        .execute();
      w.dirty = false;
    }
  }

  private async existingByKey(trx: Db, keys: string[]): Promise<Map<string, LedgerTransferRow>> {
    const found = new Map<string, LedgerTransferRow>();
    for (let start = 0; start < keys.length; start += 500) {
      const rows = await trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', keys.slice(start, start + 500)).execute();
      for (const row of rows) found.set(row.idempotency_key, row);
    }
    return found;
  }

  private async accountId(trx: Db, spec: AccountSpec, code: string): Promise<number> {
    const cached = this.accountIds.get(code);
    if (cached !== undefined) return cached;
    let row = await trx.selectFrom('ledger_accounts').select('id').where('code', '=', code).executeTakeFirst();
    if (!row) {
      row = await trx
        .insertInto('ledger_accounts')
        .values({ code, kind: spec.kind, asset_id: spec.assetId, wallet_id: spec.walletId ?? null, created_at: this.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    // Cached only after commit would be stricter; a rolled-back insert is re-created under the same code, so
    // the cache is cleared on any failure by the caller's retry path (see forgetAccounts).
    this.accountIds.set(code, row.id);
    return row.id;
  }

  /** Drops cached account ids, after a failed transaction may have rolled back account inserts. */
  forgetAccounts(): void {
    this.accountIds.clear();
  }

  private async ensureLoaded(trx: Db, working: Map<number, Working>, ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !working.has(id));
    if (missing.length === 0) return;
    for (const [id, w] of await this.loadAccounts(trx, missing)) working.set(id, w);
  }

  private async loadAccounts(trx: Db, ids: number[]): Promise<Map<number, Working>> {
    const rows = await trx.selectFrom('ledger_accounts').selectAll().where('id', 'in', [...new Set(ids)]).execute();
    const map = new Map<number, Working>();
    for (const row of rows) map.set(row.id, { row, totals: totalsOf(row), dirty: false });
    if (map.size !== new Set(ids).size) throw new DomainError('not_found', 'A ledger account is missing.');
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
    const before = cursor ? Number.parseInt(cursor, 10) : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(before)) throw new DomainError('validation', 'The page cursor is not valid.');
    const rows = await this.db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id')
      .innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id')
      .selectAll('t')
      .select(['d.code as debit_code', 'c.code as credit_code'])
      .where((eb) => eb.or([eb('t.debit_account_id', '=', account.id), eb('t.credit_account_id', '=', account.id)]))
      .where('t.id', '<', before)
      .orderBy('t.id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((row) => toView(row, account.id, row.debit_code, row.credit_code));
    return { items, nextCursor: rows.length > limit ? String(rows[limit - 1]!.id) : null };
  }

  /** Per asset and account kind, the signed sum debits - credits (posted and pending), for invariants and reconciliation. */
  async totalsByKind(): Promise<Array<{ assetId: string; kind: AccountKind; totals: Totals }>> {
    const rows = await this.db.selectFrom('ledger_accounts').selectAll().execute();
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
