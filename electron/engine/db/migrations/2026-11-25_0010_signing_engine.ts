import type { Kysely } from 'kysely';

// Frozen in time. Which running engine reserved a withdrawal's nonce for a signing (system/presence.ts): another
// workstation on a shared database gives the nonce back only once that engine is gone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').addColumn('signing_engine', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').dropColumn('signing_engine').execute();
}
