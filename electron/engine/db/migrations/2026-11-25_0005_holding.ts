import type { Kysely } from 'kysely';

// Frozen in time. The company's holding address per profile and chain: a Ledger account, never a key we hold.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holding_wallets')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('derivation_path', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('holding_wallets_pk', ['profile', 'chain'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('holding_wallets').execute();
}
