import { sql, type Kysely } from 'kysely';
import { amountType } from '../dialect';

// Frozen in time. Chain watchers (cursor, recent block hashes, deposits, alerts) and sweeps (rules, the
// persisted sweep state machine and every transaction it signed). Amounts are canonical decimal TEXT.
export async function up(db: Kysely<any>): Promise<void> {
  const amount = amountType(db);
  await db.schema
    .createTable('watch_cursors')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('next_block', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_cursors_pk', ['profile', 'chain'])
    .execute();

  await db.schema
    .createTable('watch_blocks')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('parent_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_blocks_pk', ['profile', 'chain', 'number'])
    .execute();

  await db.schema
    .createTable('deposits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('client', 'reserve')`))
    .addColumn('wallet_id', 'text', (c) => c.references('wallets.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('amount', amount, (c) => c.notNull())
    .addColumn('tx_hash', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addColumn('block_number', 'integer', (c) => c.notNull())
    .addColumn('block_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('seen', 'confirmed', 'swept', 'orphaned')`))
    .addColumn('confirmations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credit_round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credit_transfer_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .addColumn('sweep_id', 'text')
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deposits_chain_identity', ['profile', 'chain', 'tx_hash', 'log_index'])
    .execute();
  await db.schema.createIndex('deposits_state').on('deposits').columns(['profile', 'chain', 'state']).execute();
  await db.schema.createIndex('deposits_wallet').on('deposits').columns(['wallet_id', 'asset_id', 'state']).execute();

  await db.schema
    .createTable('chain_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sweep_rules')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('min_amount', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('on_confirmation', 'schedule', 'manual')`))
    .addColumn('interval_minutes', 'integer', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sweep_rules_pk', ['profile', 'asset_id'])
    .execute();

  await db.schema
    .createTable('sweeps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('wallet_id', 'text', (c) => c.notNull().references('wallets.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text')
    .addColumn('amount', amount, (c) => c.notNull())
    .addColumn('excess', amount, (c) => c.notNull().defaultTo('0'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('wait_reason', 'text')
    .addColumn('top_up_amount', amount)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('operator', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .execute();
  await db.schema.createIndex('sweeps_state').on('sweeps').columns(['profile', 'state']).execute();
  await db.schema.createIndex('sweeps_wallet').on('sweeps').columns(['wallet_id', 'state']).execute();

  await db.schema
    .createTable('sweep_txs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sweep_id', 'text', (c) => c.notNull().references('sweeps.id'))
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('gas', 'sweep')`))
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('nonce', 'integer')
    .addColumn('value', amount, (c) => c.notNull())
    .addColumn('max_fee', amount, (c) => c.notNull())
    .addColumn('fee_bump_percent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tx_hash', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('signed', 'broadcast', 'mined', 'reverted', 'replaced', 'dropped')`))
    .addColumn('fee_paid', amount)
    .addColumn('block_number', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sweep_txs_hash', ['chain', 'tx_hash'])
    .execute();
  await db.schema.createIndex('sweep_txs_sender').on('sweep_txs').columns(['profile', 'chain', 'from_address', 'state']).execute();
  await db.schema.createIndex('sweep_txs_sweep').on('sweep_txs').columns(['sweep_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sweep_txs', 'sweeps', 'sweep_rules', 'chain_alerts', 'deposits', 'watch_blocks', 'watch_cursors']) {
    await db.schema.dropTable(table).execute();
  }
}
