import type { Kysely } from 'kysely';
import { makeAppendOnly } from '../dialect';

// Frozen in time. Every transaction ever signed for a withdrawal, with its bytes: the tracker reads receipts
// for all of them, a replacement prices itself off them, and a hash belongs to one withdrawal only (two
// identical Tron intents built in one block once shared a txID: paid once, booked twice).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('withdrawal_txs')
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('tx_hash', 'text', (c) => c.notNull())
    .addColumn('withdrawal_id', 'text', (c) => c.notNull().references('withdrawals.id'))
    .addColumn('nonce', 'integer')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('withdrawal_txs_pk', ['chain', 'tx_hash'])
    .execute();
  await db.schema.createIndex('withdrawal_txs_by_withdrawal').on('withdrawal_txs').columns(['withdrawal_id', 'created_at']).execute();
  await makeAppendOnly(db, 'withdrawal_txs', { update: 'withdrawal_txs rows are immutable', delete: 'withdrawal_txs rows cannot be deleted' });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('withdrawal_txs').execute();
}
