import { sql, type Kysely } from 'kysely';
import { amountType } from '../dialect';

// Frozen in time. Withdrawals from the holding wallet (client, company, off-ramp), their destinations'
// address book. Amounts are canonical decimal text (18-decimal tokens overflow INTEGER).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('amount', amountType(db), (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('wallet_id', 'text')
    .addColumn('needs_approval', 'integer', (c) => c.notNull())
    .addColumn('approval_reasons', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('signed_by', 'text')
    .addColumn('hold_transfer_id', 'integer', (c) => c.notNull())
    .addColumn('settle_transfer_id', 'integer')
    .addColumn('nonce', 'integer')
    .addColumn('unsigned_tx', 'text')
    .addColumn('signed_raw', 'text')
    .addColumn('tx_hash', 'text')
    .addColumn('tx_hashes', 'text', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('memo', 'text')
    .addColumn('cause_type', 'text')
    .addColumn('cause_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('withdrawals_state').on('withdrawals').columns(['state', 'chain']).execute();
  await db.schema.createIndex('withdrawals_asset_day').on('withdrawals').columns(['asset_id', 'created_at']).execute();
  // A holding nonce belongs to one live withdrawal at a time: the database refuses a second reservation.
  await sql`create unique index withdrawals_live_nonce on withdrawals (profile, chain, source, nonce)
    where nonce is not null and state in ('approved', 'signed', 'broadcast')`.execute(db);

  await db.schema
    .createTable('withdrawal_address_book')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('whitelisted', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('withdrawal_address_book_unique', ['profile', 'chain', 'address'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('withdrawal_address_book').execute();
  await db.schema.dropTable('withdrawals').execute();
}
