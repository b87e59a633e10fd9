import type { Kysely } from 'kysely';

// Frozen in time. A client withdrawal's fee to the company (base units of the withdrawn asset) and how it is
// paid: on top of the amount, or deducted from it (the destination receives the net amount). `requested_amount`
// is what the officer asked for, so a retry with the same idempotency key is recognised whatever the fee.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').addColumn('client_fee', 'text', (c) => c.notNull().defaultTo('0')).execute();
  await db.schema.alterTable('withdrawals').addColumn('client_fee_mode', 'text').execute();
  await db.schema.alterTable('withdrawals').addColumn('requested_amount', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('withdrawals').dropColumn('requested_amount').execute();
  await db.schema.alterTable('withdrawals').dropColumn('client_fee_mode').execute();
  await db.schema.alterTable('withdrawals').dropColumn('client_fee').execute();
}
