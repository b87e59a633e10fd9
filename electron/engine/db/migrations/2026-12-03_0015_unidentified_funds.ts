import type { Kysely } from 'kysely';
import { amountType } from '../dialect';

// Frozen in time. Funds that reached one of our deposit addresses but are no deposit the watcher can credit:
// a token outside the asset registry, native coin sent by a contract (an internal transaction), or coins sent
// to an EVM address on the other EVM chain. One row per chain event (tx hash + event index); symbol and
// decimals are read from the token contract when the row is first recorded. An officer proposes what becomes
// of it and a second operator approves; the approved recovery names the deposit it was adopted as.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('unidentified_funds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_contract', 'text')
    .addColumn('symbol', 'text')
    .addColumn('decimals', 'integer')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('wallet_id', 'text', (c) => c.references('wallets.id'))
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('amount', amountType(db), (c) => c.notNull())
    .addColumn('tx_hash', 'text', (c) => c.notNull())
    .addColumn('event_index', 'integer', (c) => c.notNull())
    .addColumn('block_number', 'integer', (c) => c.notNull())
    .addColumn('block_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('recovery_action', 'text')
    .addColumn('recovery_state', 'text')
    .addColumn('proposed_by', 'text')
    .addColumn('proposed_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('deposit_id', 'text', (c) => c.references('deposits.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('unidentified_funds_event', ['profile', 'chain', 'tx_hash', 'event_index'])
    .execute();
  await db.schema.createIndex('unidentified_funds_by_state').on('unidentified_funds').columns(['profile', 'state', 'seen_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unidentified_funds').execute();
}
