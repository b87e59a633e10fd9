import type { Kysely } from 'kysely';

// Frozen in time. Tron energy the gas tank delegates to a deposit address for one sweep (Stake 2.0), each step
// saved with its signed transaction: planned (stake reserved) -> delegating -> delegated -> reclaiming -> reclaimed. A crash between the
// delegation and its reclaim resumes from the row and still reclaims.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sweep_energy')
    .addColumn('sweep_id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('sun', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('tx_hash', 'text')
    .addColumn('raw', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sweep_energy').execute();
}
