import { sql, type Kysely } from 'kysely';
import { addSerialId, amountType, makeAppendOnly } from '../dialect';

// Frozen in time. Valuation: every price the books ever used (entered by an officer or read from the price feed),
// kept as exact decimal text and never changed, so a past day's value can be told again; and one snapshot of
// the books per day and asset (what clients are owed, what the company holds), the assets-under-custody series.
export async function up(db: Kysely<any>): Promise<void> {
  await addSerialId(db, db.schema.createTable('price_rates'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual', 'feed')`))
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('price_rates_latest').on('price_rates').columns(['asset_id', 'currency', 'entered_at']).execute();
  await makeAppendOnly(db, 'price_rates', { update: 'recorded prices are immutable', delete: 'recorded prices cannot be deleted' });

  const amount = amountType(db);
  await db.schema
    .createTable('custody_snapshots')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('client_liabilities', amount, (c) => c.notNull())
    .addColumn('holdings', amount, (c) => c.notNull())
    .addColumn('company_reserve', amount, (c) => c.notNull())
    .addColumn('uncovered_credit', amount, (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('custody_snapshots_pk', ['day', 'asset_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('custody_snapshots').execute();
  await db.schema.dropTable('price_rates').execute();
}
