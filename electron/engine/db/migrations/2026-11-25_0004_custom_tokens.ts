import type { Kysely } from 'kysely';

// Frozen in time. Tokens an admin registered, per network profile; symbol and decimals were read from the contract.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_tokens')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('contract', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('decimals', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_tokens_pk', ['profile', 'chain', 'contract'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('custom_tokens').execute();
}
