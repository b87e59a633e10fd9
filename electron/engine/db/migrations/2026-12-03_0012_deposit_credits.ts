import type { Kysely } from 'kysely';
import { amountType } from '../dialect';

// Frozen in time. What a deposit's credit became, so it is made once: the reversal that undid it after a
// reorg (none when the client had already spent it: the credit was kept), whether it fell below the asset's
// minimum (booked to the company reserve, not the client) and an officer's later credit of such a deposit.
// Per asset minimums the officer set (the defaults are in code). Company coins placed at a deposit address for
// gas are booked on an account of their own; accounts need no schema change.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deposits')
    .addColumn('reversal_transfer_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .execute();
  await db.schema.alterTable('deposits').addColumn('below_minimum', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .alterTable('deposits')
    .addColumn('manual_credit_transfer_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .execute();
  await db.schema.alterTable('deposits').addColumn('manual_credit_by', 'text').execute();

  await db.schema
    .createTable('deposit_minimums')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('min_amount', amountType(db), (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deposit_minimums_pk', ['profile', 'asset_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deposit_minimums').execute();
  for (const column of ['manual_credit_by', 'manual_credit_transfer_id', 'below_minimum', 'reversal_transfer_id']) {
    await db.schema.alterTable('deposits').dropColumn(column).execute();
  }
}
