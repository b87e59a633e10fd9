import type { Kysely } from 'kysely';

// Frozen in time. What the confirming transaction paid in network fees (native base units), shown on the
// withdrawal's timeline; cleared when a reorg undoes the settlement.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').addColumn('fee_paid', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').dropColumn('fee_paid').execute();
}
