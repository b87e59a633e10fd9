import type { Kysely } from 'kysely';

// Frozen in time. Per asset "sweep when the fee is at most X % of the amount" (max_fee_percent, a decimal percent
// string) and, for tokens, the value of one native coin in the token's units (native_price) to compare the two.
// Each sweep keeps the fee it expects to pay (native base units), shown beside its amount.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweep_rules').addColumn('max_fee_percent', 'text').execute();
  await db.schema.alterTable('sweep_rules').addColumn('native_price', 'text').execute();
  await db.schema.alterTable('sweeps').addColumn('expected_fee', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweeps').dropColumn('expected_fee').execute();
  await db.schema.alterTable('sweep_rules').dropColumn('native_price').execute();
  await db.schema.alterTable('sweep_rules').dropColumn('max_fee_percent').execute();
}
