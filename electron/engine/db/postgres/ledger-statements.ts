import { sql, type Kysely } from 'kysely';
import { guardedWallets, KyselyLedgerStatements, storedTransfer, type LookedUp, type Lookup, type NewAccount, type TotalsUpdate } from '../../ledger/ledger-statements';
import type { Database, GuardedWalletRow, LedgerAccountRow, LedgerTransferRow, NewLedgerTransfer } from '../schema';
import { deferred, flushDeferred, pipelined } from './pipeline';
import { auditHeadQuery } from '../../audit/audit-log';

type Db = Kysely<Database>;

const IN_LIST_CHUNK = 500;
/** 16 bound values a row. */
const INSERT_CHUNK = 1000;
/** Five bound values a row; PostgreSQL allows 65,535 per statement. */
const UPDATE_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The ledger's write path on PostgreSQL, where each round trip is paid with the writer lock held
 * (connect.ts): the opening reads and the new transfers' ids go in one pipelined round trip; the transfers,
 * and the totals in one statement, are written with the transaction's next statement, at the latest its
 * COMMIT (./pipeline). A group commit's writes read ahead together (prefetch): one round trip with its
 * BEGIN for the whole group, so a write in a group costs none of its own. The statements themselves are
 * Kysely's, as in the portable implementation it extends.
 */
export class PostgresLedgerStatements extends KyselyLedgerStatements {
  /** What a group's writes read ahead, per transaction (see LedgerStatements.prefetch). */
  private readonly ahead = new WeakMap<Db, ReadAhead>();

  async prefetch(trx: Db, lookups: Lookup[]): Promise<void> {
    const asked = { walletIds: new Set<string>(), keys: new Set<string>(), codes: new Set<string>() };
    let reserve = 0;
    for (const lookup of lookups) {
      for (const id of lookup.walletIds) asked.walletIds.add(id);
      for (const key of lookup.keys) asked.keys.add(key);
      for (const code of lookup.codes) asked.codes.add(code);
      reserve += lookup.reserve;
    }
    const found = await this.read(trx, { walletIds: [...asked.walletIds], keys: [...asked.keys], codes: [...asked.codes], reserve });
    this.ahead.set(trx, {
      asked,
      wallets: new Map(found.wallets.map((w) => [w.id, w])),
      transfers: new Map(found.transfers.map((t) => [t.idempotency_key, t])),
      accounts: new Map(found.accounts.map((a) => [a.code, a])),
      ids: found.ids ?? [],
    });
  }

  forgetPrefetch(trx: Db): void {
    this.ahead.delete(trx);
  }

  override lookup(trx: Db, lookup: Lookup): Promise<LookedUp> {
    const ahead = this.ahead.get(trx);
    if (!ahead || !covers(ahead, lookup)) return this.read(trx, lookup);
    const pick = <K, R>(keys: K[], rows: Map<K, R>) => keys.flatMap((key) => (rows.has(key) ? [rows.get(key)!] : []));
    return Promise.resolve({
      wallets: pick(lookup.walletIds, ahead.wallets),
      transfers: pick(lookup.keys, ahead.transfers),
      accounts: pick(lookup.codes, ahead.accounts),
      ids: ahead.ids.splice(0, lookup.reserve),
    });
  }

  override async insertAccount(trx: Db, account: NewAccount): Promise<LedgerAccountRow> {
    const row = await super.insertAccount(trx, account);
    this.ahead.get(trx)?.accounts.set(row.code, row);
    return row;
  }

  private async read(trx: Db, { walletIds, keys, codes, reserve }: Lookup): Promise<LookedUp> {
    const walletQueries = chunks(walletIds, IN_LIST_CHUNK).map((c) => guardedWallets(trx, c).compile());
    const keyQueries = chunks(keys, IN_LIST_CHUNK).map((c) => trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', c).compile());
    const codeQueries = chunks(codes, IN_LIST_CHUNK).map((c) => trx.selectFrom('ledger_accounts').selectAll().where('code', 'in', c).compile());
    // The ids of the transfers it may write, so their insert need not wait for an answer (unused ones are
    // gaps, as a rolled-back insert leaves on PostgreSQL anyway).
    const idQuery = sql<{ id: number }>`select nextval(pg_get_serial_sequence('ledger_transfers', 'id')) as id from generate_series(1, ${reserve}::integer)`.compile(trx);
    // And the audit head, for the journal's records (remembered for the transaction: pipeline.ts).
    const headQuery = auditHeadQuery(trx).compile();
    const queries = [...walletQueries, ...keyQueries, ...codeQueries, ...(reserve > 0 ? [idQuery] : [])];
    const results = await pipelined(trx, [...queries, headQuery], queries.length);
    const rows = <R>(from: number, count: number) => results.slice(from, from + count).flatMap((r) => r.rows as R[]);
    const reads = walletQueries.length + keyQueries.length + codeQueries.length;
    return {
      wallets: rows<GuardedWalletRow>(0, walletQueries.length),
      transfers: rows<LedgerTransferRow>(walletQueries.length, keyQueries.length),
      accounts: rows<LedgerAccountRow>(walletQueries.length + keyQueries.length, codeQueries.length),
      ids: reserve > 0 ? rows<{ id: number }>(reads, 1).map((r) => Number(r.id)).sort((a, b) => a - b) : undefined,
    };
  }

  /** With reserved ids the rows are known without asking: the insert travels with the transaction's next statement. */
  override insertTransfers(trx: Db, rows: NewLedgerTransfer[], ids?: number[]): Promise<LedgerTransferRow[]> {
    if (!ids || ids.length < rows.length) {
      return super.insertTransfers(trx, rows).then((written) => {
        const ahead = this.ahead.get(trx);
        for (const transfer of written) ahead?.transfers.set(transfer.idempotency_key, transfer);
        return written;
      });
    }
    const full = rows.map((row, i): LedgerTransferRow => ({ ...storedTransfer(row), id: ids[i]! }));
    const ahead = this.ahead.get(trx);
    for (const transfer of full) ahead?.transfers.set(transfer.idempotency_key, transfer);
    const statements = chunks(full, INSERT_CHUNK).map((chunk) => trx.insertInto('ledger_transfers').values(chunk).compile());
    return deferred(trx, statements).then(() => full);
  }

  override updateTotals(trx: Db, updates: TotalsUpdate[]): Promise<void> {
    const ahead = this.ahead.get(trx);
    if (ahead) {
      // The rows read ahead, as this write leaves them.
      const byId = new Map([...ahead.accounts.values()].map((a) => [a.id, a]));
      for (const { accountId, totals: t } of updates) {
        const row = byId.get(accountId);
        if (!row) continue;
        ahead.accounts.set(row.code, {
          ...row,
          debits_posted: t.debitsPosted.toString(),
          credits_posted: t.creditsPosted.toString(),
          debits_pending: t.debitsPending.toString(),
          credits_pending: t.creditsPending.toString(),
        });
      }
    }
    const statements = chunks(updates, UPDATE_CHUNK).map((chunk) => {
      const values = chunk.map(
        ({ accountId, totals: t }) =>
          sql`(${accountId}::integer, ${t.debitsPosted.toString()}::numeric, ${t.creditsPosted.toString()}::numeric, ${t.debitsPending.toString()}::numeric, ${t.creditsPending.toString()}::numeric)`,
      );
      return sql`update ledger_accounts as a
        set debits_posted = v.debits_posted, credits_posted = v.credits_posted, debits_pending = v.debits_pending, credits_pending = v.credits_pending
        from (values ${sql.join(values)}) as v (id, debits_posted, credits_posted, debits_pending, credits_pending)
        where a.id = v.id`.compile(trx);
    });
    return deferred(trx, statements);
  }

  flush(trx: Db): Promise<void> {
    return flushDeferred(trx);
  }

  /**
   * FOR SHARE waits for the row locks the caller's transaction holds on the accounts; the transfer read,
   * a statement of its own and so a later snapshot, then sees it only if that transaction committed. Both
   * in one round trip.
   */
  async committed(db: Db, codes: string[], transferId: number): Promise<boolean> {
    const [, found] = await pipelined(db, [
      db.selectFrom('ledger_accounts').select('id').where('code', 'in', codes).forShare().compile(),
      db.selectFrom('ledger_transfers').select('id').where('id', '=', transferId).compile(),
    ]);
    return found!.rows.length > 0;
  }
}

/** A group's opening reads, kept up to date with its writes in the transaction (only ever grows more current). */
interface ReadAhead {
  asked: { walletIds: Set<string>; keys: Set<string>; codes: Set<string> };
  wallets: Map<string, GuardedWalletRow>;
  transfers: Map<string, LedgerTransferRow>;
  accounts: Map<string, LedgerAccountRow>;
  /** Reserved transfer ids not yet handed out, ascending. */
  ids: number[];
}

/** Whether everything the lookup asks for was read ahead (then an absent row is absent in the database too). */
function covers(ahead: ReadAhead, lookup: Lookup): boolean {
  return (
    lookup.walletIds.every((id) => ahead.asked.walletIds.has(id)) &&
    lookup.keys.every((key) => ahead.asked.keys.has(key)) &&
    lookup.codes.every((code) => ahead.asked.codes.has(code) || ahead.accounts.has(code)) &&
    lookup.reserve <= ahead.ids.length
  );
}
