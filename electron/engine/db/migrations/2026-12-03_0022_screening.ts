import type { Kysely } from 'kysely';

// Frozen in time. Destination screening: each deny list import is a version (its file's hash, row count,
// who and when) with its entries keyed by chain family and canonical address; withdrawals and address book
// entries record the version they were screened against (null: before screening existed). Clients get a
// risk level, medium until an officer assesses them, which the policy maps to where they may withdraw.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deny_lists')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('deny_list_entries')
    .addColumn('version', 'integer', (c) => c.notNull().references('deny_lists.version'))
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deny_list_entries_pk', ['version', 'family', 'address_key'])
    .execute();
  await db.schema.alterTable('withdrawals').addColumn('screening_list_version', 'integer').execute();
  await db.schema.alterTable('withdrawals').addColumn('screened_at', 'text').execute();
  await db.schema.alterTable('withdrawal_address_book').addColumn('screening_list_version', 'integer').execute();
  await db.schema.alterTable('clients').addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('medium')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').dropColumn('risk_level').execute();
  await db.schema.alterTable('withdrawal_address_book').dropColumn('screening_list_version').execute();
  await db.schema.alterTable('withdrawals').dropColumn('screened_at').execute();
  await db.schema.alterTable('withdrawals').dropColumn('screening_list_version').execute();
  await db.schema.dropTable('deny_list_entries').execute();
  await db.schema.dropTable('deny_lists').execute();
}
