import type { Kysely } from 'kysely';
import type { Database, GuardedWalletRow, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../db/schema';
import type { Totals } from './balance';
import type { MaybePromise } from './steps';

type Db = Kysely<Database>;

/** What a batch of transfers reads before it decides anything: the guard's wallets, the keys' transfers, the accounts. */
export interface Lookup {
  walletIds: string[];
  keys: string[];
  codes: string[];
  /** How many transfers the batch may write: a dialect may reserve their ids now (LookedUp.ids). */
  reserve: number;
}

export interface LookedUp {
  /** Any order, missing ones left out (as every list here). */
  wallets: GuardedWalletRow[];
  transfers: LedgerTransferRow[];
  accounts: LedgerAccountRow[];
  /** Ids reserved for the batch's new transfers, ascending, where the dialect reserves them; pass them to insertTransfers. */
  ids?: number[];
}

export interface TotalsUpdate {
  accountId: number;
  totals: Totals;
}

export interface NewAccount {
  code: string;
  kind: string;
  asset_id: string;
  wallet_id: string | null;
  created_at: string;
}

/**
 * The few statements on the ledger's write path. They always run inside a transaction the Ledger opened
 * (or joined): a Kysely one, where a dialect may answer them with its own prepared statements on that same
 * connection where Kysely's per-query cost would dominate (SQLite), or with Kysely itself (any dialect); or,
 * where the dialect offers `runNow`, one synchronous transaction on its connection, where every statement
 * answers with a value rather than a promise.
 */
export interface LedgerStatements {
  /** The three reads a batch starts with; where the dialect can, in one round trip. */
  lookup(trx: Db, lookup: Lookup): MaybePromise<LookedUp>;
  transfersByKeys(trx: Db, keys: string[]): MaybePromise<LedgerTransferRow[]>;
  transferById(trx: Db, id: number): MaybePromise<LedgerTransferRow | undefined>;
  /** The post, void or reversal that already answers a transfer, if any. */
  resolutionOf(trx: Db, column: 'pending_id' | 'reverses_id', id: number): MaybePromise<LedgerTransferRow | undefined>;
  accountsByIds(trx: Db, ids: number[]): MaybePromise<LedgerAccountRow[]>;
  insertAccount(trx: Db, account: NewAccount): MaybePromise<LedgerAccountRow>;
  /** With `ids` from a lookup, the rows take them (a dialect may then send the insert with a later statement). */
  insertTransfers(trx: Db, rows: NewLedgerTransfer[], ids?: number[]): MaybePromise<LedgerTransferRow[]>;
  /** Writes back the totals of the accounts a write changed (a dialect may send it with the transaction's next statement). */
  updateTotals(trx: Db, updates: TotalsUpdate[]): MaybePromise<void>;
  /**
   * Writes what `updateTotals` (or the journal) left to go with the next statement now, in a caller's
   * transaction, so its row locks are held before the ledger waits on them to announce (see Ledger).
   */
  flush?(trx: Db): Promise<void>;
  /**
   * Outside any transaction, once the caller's transaction that wrote `transferId` (changing the accounts
   * `codes`) has ended: whether it committed. Without it the Ledger reads that itself (see announceIfCommitted).
   */
  committed?(db: Db, codes: string[], transferId: number): Promise<boolean>;
  /**
   * Reads what several writes of one transaction will look up, in one round trip; each later `lookup` in that
   * transaction that asks only for what was read is answered from it, as the transaction's own writes since
   * (transfers inserted, totals written back, accounts created) left it. Where the dialect pays a round trip
   * per lookup (PostgreSQL): the writes of a group commit.
   */
  prefetch?(trx: Db, lookups: Lookup[]): Promise<void>;
  /** Drops what `prefetch` read (a write rolled back to its savepoint). */
  forgetPrefetch?(trx: Db): void;
  /**
   * Runs `work` at once as one synchronous transaction on the dialect's connection, committed when it returns
   * and rolled back when it throws; undefined (nothing ran) when the dialect cannot or a transaction already
   * holds the connection, and the Ledger then opens a Kysely transaction instead.
   */
  runNow?<T>(work: () => T): { value: T } | undefined;
  /**
   * Runs each of `works` in a savepoint of one synchronous transaction (group commit): a work that throws is
   * rolled back to its savepoint alone and answered with its error; undefined as for runNow.
   */
  runGroupNow?<T>(works: Array<() => T>): Array<Settled<T>> | undefined;
}

/** One request's own result in a group commit. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A new transfer as the database stores it, absent columns null: what an insert returns, but its id. */
export function storedTransfer(row: NewLedgerTransfer): Omit<LedgerTransferRow, 'id'> {
  const { id: _id, pending_id = null, reverses_id = null, cause_type = null, cause_id = null, memo = null, operator = null, ...rest } = row;
  return { ...rest, pending_id, reverses_id, cause_type, cause_id, memo, operator };
}

const IN_LIST_CHUNK = 500;
/** 15 columns a row; SQLite allows 32,766 bound values per statement, PostgreSQL 65,535. */
const INSERT_CHUNK = 1000;

async function chunked<T, R>(items: T[], size: number, run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += size) out.push(...(await run(items.slice(start, start + size))));
  return out;
}

/** The portable implementation: plain Kysely, for PostgreSQL and as the reference on SQLite. */
export class KyselyLedgerStatements implements LedgerStatements {
  async lookup(trx: Db, { walletIds, keys, codes }: Lookup): Promise<LookedUp> {
    return {
      wallets: await this.walletsByIds(trx, walletIds),
      transfers: await this.transfersByKeys(trx, keys),
      accounts: await this.accountsByCodes(trx, codes),
    };
  }

  transfersByKeys(trx: Db, keys: string[]): Promise<LedgerTransferRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return chunked(keys, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', chunk).execute());
  }

  transferById(trx: Db, id: number): Promise<LedgerTransferRow | undefined> {
    return trx.selectFrom('ledger_transfers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  resolutionOf(trx: Db, column: 'pending_id' | 'reverses_id', id: number): Promise<LedgerTransferRow | undefined> {
    return trx.selectFrom('ledger_transfers').selectAll().where(column, '=', id).executeTakeFirst();
  }

  accountsByCodes(trx: Db, codes: string[]): Promise<LedgerAccountRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return chunked(codes, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_accounts').selectAll().where('code', 'in', chunk).execute());
  }

  accountsByIds(trx: Db, ids: number[]): Promise<LedgerAccountRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return chunked(ids, IN_LIST_CHUNK, (chunk) => trx.selectFrom('ledger_accounts').selectAll().where('id', 'in', chunk).execute());
  }

  insertAccount(trx: Db, account: NewAccount): Promise<LedgerAccountRow> {
    return trx.insertInto('ledger_accounts').values(account).returningAll().executeTakeFirstOrThrow();
  }

  insertTransfers(trx: Db, rows: NewLedgerTransfer[]): Promise<LedgerTransferRow[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return chunked(rows, INSERT_CHUNK, (chunk) => trx.insertInto('ledger_transfers').values(chunk).returningAll().execute());
  }

  walletsByIds(trx: Db, ids: string[]): Promise<GuardedWalletRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return guardedWallets(trx, ids).execute();
  }

  async updateTotals(trx: Db, updates: TotalsUpdate[]): Promise<void> {
    for (const { accountId, totals: t } of updates) {
      await trx
        .updateTable('ledger_accounts')
        .set({
          debits_posted: t.debitsPosted.toString(),
          credits_posted: t.creditsPosted.toString(),
          debits_pending: t.debitsPending.toString(),
          credits_pending: t.creditsPending.toString(),
        })
        .where('id', '=', accountId)
        .execute();
    }
  }
}

/** Wallets with their client's KYC status, read in the transfer's own transaction (the KYC gates check both). */
export function guardedWallets(trx: Db, ids: string[]) {
  return trx
    .selectFrom('wallets')
    .leftJoin('clients', 'clients.id', 'wallets.client_id')
    .selectAll('wallets')
    .select('clients.kyc_status as client_kyc_status')
    .where('wallets.id', 'in', ids);
}
