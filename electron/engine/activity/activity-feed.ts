import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ACTIVITY_TYPES, type ActivityFilter, type ActivityItem, type ActivityType } from '@shared/domain/activity';
import type { Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

interface FeedRow {
  id: string;
  created_at: string;
  type: ActivityType;
  source_id: string;
  wallet_id: string | null;
  to_wallet_id: string | null;
  asset_id: string;
  amount: string | null;
  status: string;
  tx_hash: string | null;
  wallet_label: string | null;
  client_id: string | null;
  to_wallet_label: string | null;
}

/**
 * Each movement kind as one SELECT of the same columns; the feed is their UNION ALL. Off-ramps' crypto legs are
 * withdrawals of kind 'offramp' and show as the off-ramp itself, so they are left out of the withdrawals.
 */
const SOURCES: Record<ActivityType, RawBuilder<unknown>> = {
  deposit: sql`select 'deposit' as type, id as source_id, seen_at as created_at, wallet_id, null as to_wallet_id, asset_id, amount, state as status, tx_hash
    from deposits where wallet_id is not null`,
  sweep: sql`select 'sweep' as type, id as source_id, created_at, wallet_id, null as to_wallet_id, asset_id, amount, state as status,
    (select t.tx_hash from sweep_txs t where t.sweep_id = sweeps.id and t.purpose = 'sweep' order by t.created_at desc, t.id desc limit 1) as tx_hash
    from sweeps`,
  withdrawal: sql`select 'withdrawal' as type, id as source_id, created_at, wallet_id, null as to_wallet_id, asset_id, amount, state as status, tx_hash
    from withdrawals where kind <> 'offramp'`,
  internal_transfer: sql`select 'internal_transfer' as type, cast(t.id as text) as source_id, t.created_at, d.wallet_id, c.wallet_id as to_wallet_id, t.asset_id, t.amount,
    'posted' as status, null as tx_hash
    from ledger_transfers t join ledger_accounts d on d.id = t.debit_account_id join ledger_accounts c on c.id = t.credit_account_id
    where t.code = 'internal_transfer' and t.reverses_id is null`,
  onramp: sql`select 'onramp' as type, id as source_id, created_at, wallet_id, null as to_wallet_id, asset_id, crypto_amount as amount, state as status, null as tx_hash
    from onramps`,
  offramp: sql`select 'offramp' as type, id as source_id, created_at, wallet_id, null as to_wallet_id, asset_id, crypto_amount as amount, state as status, tx_hash
    from offramps`,
  credit: sql`select 'credit' as type, id as source_id, created_at, wallet_id, null as to_wallet_id, asset_id, amount, state as status, null as tx_hash
    from company_credits`,
};

/** A day means the whole (UTC) day: from its start, to the start of the next. */
function bound(value: string, end: boolean): string {
  if (value.includes('T')) return new Date(value).toISOString();
  const day = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime())) throw new DomainError('validation', 'The date is not valid.', { field: end ? 'to' : 'from' });
  if (end) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

/**
 * One feed of every money movement across the wallets, newest first, filtered and keyset-paged by
 * (created_at, id) as the other lists are (db/keyset-page.ts), so a deep page costs what the first does.
 */
export class ActivityFeed {
  constructor(
    private readonly db: Db,
    /** The client's legal name (sealed at rest, opened by the client service); null when it cannot be read. */
    private readonly clientName: (clientId: string) => Promise<string | null>,
  ) {}

  async page(filter: ActivityFilter & { cursor?: string; limit: number }): Promise<Page<ActivityItem>> {
    const rows = await this.query(filter, filter.cursor, filter.limit + 1);
    const page = rows.slice(0, filter.limit);
    const names = await this.names(page);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => item(row, names)),
      nextCursor: rows.length > filter.limit && last ? `${last.created_at}|${last.id}` : null,
    };
  }

  /** Every row of the filtered view, page by page (the same query the window pages through). */
  async *all(filter: ActivityFilter, pageSize = 500): AsyncGenerator<ActivityItem> {
    let cursor: string | undefined;
    do {
      const page = await this.page({ ...filter, cursor, limit: pageSize });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private async query(filter: ActivityFilter, cursor: string | undefined, limit: number): Promise<FeedRow[]> {
    const types = filter.types?.length ? ACTIVITY_TYPES.filter((t) => filter.types!.includes(t)) : ACTIVITY_TYPES;
    const union = sql.join(
      types.map((t) => sql`select type || ':' || source_id as id, type, source_id, created_at, wallet_id, to_wallet_id, asset_id, amount, status, tx_hash from (${SOURCES[t]}) s`),
      sql` union all `,
    );
    const where: RawBuilder<unknown>[] = [sql`1 = 1`];
    if (filter.from) where.push(sql`f.created_at >= ${bound(filter.from, false)}`);
    if (filter.to) where.push(sql`f.created_at < ${bound(filter.to, true)}`);
    if (filter.assetId) where.push(sql`f.asset_id = ${filter.assetId}`);
    if (filter.chain) where.push(sql`f.asset_id like ${`${filter.chain}:%`}`);
    if (filter.walletId) where.push(sql`(f.wallet_id = ${filter.walletId} or f.to_wallet_id = ${filter.walletId})`);
    if (filter.clientId) where.push(sql`(w.client_id = ${filter.clientId} or w2.client_id = ${filter.clientId})`);
    if (cursor) {
      const [createdAt, id] = cursor.split('|');
      if (!createdAt || !id) throw new DomainError('validation', 'The page cursor is not valid.');
      where.push(sql`(f.created_at < ${createdAt} or (f.created_at = ${createdAt} and f.id < ${id}))`);
    }
    const result = await sql<FeedRow>`
      select f.*, w.label as wallet_label, w.client_id as client_id, w2.label as to_wallet_label
      from (${union}) f
      left join wallets w on w.id = f.wallet_id
      left join wallets w2 on w2.id = f.to_wallet_id
      where ${sql.join(where, sql` and `)}
      order by f.created_at desc, f.id desc
      limit ${limit}`.execute(this.db);
    return result.rows;
  }

  private async names(rows: FeedRow[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(rows.map((r) => r.client_id).filter((id): id is string => id !== null))];
    return new Map(await Promise.all(ids.map(async (id) => [id, await this.clientName(id)] as const)));
  }
}

function item(row: FeedRow, names: Map<string, string | null>): ActivityItem {
  return {
    id: row.id,
    type: row.type,
    sourceId: row.source_id,
    at: row.created_at,
    walletId: row.wallet_id,
    walletLabel: row.wallet_label,
    clientId: row.client_id,
    clientName: row.client_id ? (names.get(row.client_id) ?? null) : null,
    counterpartyWalletId: row.to_wallet_id,
    counterpartyWalletLabel: row.to_wallet_label,
    chain: row.asset_id.split(':')[0] as Chain,
    assetId: row.asset_id,
    amount: row.amount,
    status: row.status,
    txHash: row.tx_hash,
  };
}
