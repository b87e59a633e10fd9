import { sql, type Kysely } from 'kysely';

// Frozen in time. Local operator accounts (scrypt passphrase hashes carrying their parameters, and the seed
// vault's key wrapped under each operator's passphrase), and the workstation's security settings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'officer', 'approver', 'auditor')`))
    .addColumn('passphrase_hash', 'text', (c) => c.notNull())
    .addColumn('vault_key', 'text')
    .addColumn('vault_key_os_wrapped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('security_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('idle_timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_settings').execute();
  await db.schema.dropTable('operators').execute();
}
