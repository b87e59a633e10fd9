import type { Kysely } from 'kysely';

// Frozen in time. Our own transactions follow reorgs: the block hash of the receipt a sweep or withdrawal was
// booked on (a re-check finds it gone or moved), and a booking round so a re-confirmation after a reorg
// books under new idempotency keys instead of replaying the reversed ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sweep_txs').addColumn('block_hash', 'text').execute();
  await db.schema.alterTable('sweeps').addColumn('booking_round', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('withdrawals').addColumn('block_hash', 'text').execute();
  await db.schema.alterTable('withdrawals').addColumn('block_number', 'integer').execute();
  await db.schema.alterTable('withdrawals').addColumn('booking_round', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The hold a reorged withdrawal is back under while it waits to be mined again (the first one was posted).
  await db.schema.alterTable('withdrawals').addColumn('rehold_transfer_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['rehold_transfer_id', 'booking_round', 'block_number', 'block_hash']) await db.schema.alterTable('withdrawals').dropColumn(column).execute();
  await db.schema.alterTable('sweeps').dropColumn('booking_round').execute();
  await db.schema.alterTable('sweep_txs').dropColumn('block_hash').execute();
}
