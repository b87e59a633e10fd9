import type { Kysely } from 'kysely';

// Frozen in time. An on-ramp credit that needs a checker (uncovered, or covered above the threshold) waits
// at `quoted` with who asked for it (credit_requested_by); its approvals are item_approvals rows ('onramp_credit').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('onramps').addColumn('credit_requested_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('onramps').dropColumn('credit_requested_by').execute();
}
