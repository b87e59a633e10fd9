import { sql, type Kysely } from 'kysely';
import { addSerialId, amountType, makeAppendOnly } from '../dialect';

// Frozen in time. Amounts are canonical decimal TEXT: an 18-decimal token overflows a 64-bit INTEGER at 9.22 units.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wallets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('derivation_index', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended', 'closed')`))
    .addColumn('client_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('wallets_chain_address', ['chain', 'address'])
    .addUniqueConstraint('wallets_chain_index', ['chain', 'derivation_index'])
    .execute();

  const amount = amountType(db);
  await addSerialId(db, db.schema.createTable('ledger_accounts'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('wallet_id', 'text', (c) => c.references('wallets.id'))
    .addColumn('debits_posted', amount, (c) => c.notNull().defaultTo('0'))
    .addColumn('credits_posted', amount, (c) => c.notNull().defaultTo('0'))
    .addColumn('debits_pending', amount, (c) => c.notNull().defaultTo('0'))
    .addColumn('credits_pending', amount, (c) => c.notNull().defaultTo('0'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_accounts_wallet').on('ledger_accounts').columns(['wallet_id', 'asset_id']).execute();

  await addSerialId(db, db.schema.createTable('ledger_transfers'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('posted', 'pending', 'post_pending', 'void_pending')`))
    .addColumn('debit_account_id', 'integer', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'integer', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('amount', amount, (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('pending_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .addColumn('reverses_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .addColumn('cause_type', 'text')
    .addColumn('cause_id', 'text')
    .addColumn('memo', 'text')
    .addColumn('operator', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('ledger_transfers_two_accounts', sql`debit_account_id <> credit_account_id`)
    .execute();
  await db.schema.createIndex('ledger_transfers_debit').on('ledger_transfers').columns(['debit_account_id', 'id']).execute();
  await db.schema.createIndex('ledger_transfers_credit').on('ledger_transfers').columns(['credit_account_id', 'id']).execute();
  // Exactly one post or void per pending transfer; at most one reversal per transfer. Partial, because
  // almost every row has neither, and an index entry per row would tax every insert for nothing.
  await db.schema
    .createIndex('ledger_transfers_one_resolution')
    .on('ledger_transfers')
    .column('pending_id')
    .unique()
    .where(sql.ref('pending_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('ledger_transfers_one_reversal')
    .on('ledger_transfers')
    .column('reverses_id')
    .unique()
    .where(sql.ref('reverses_id'), 'is not', null)
    .execute();

  // Posted rows never change: the database refuses it even if a bug or a hand-edit tries.
  await makeAppendOnly(db, 'ledger_transfers', { update: 'ledger transfers are immutable', delete: 'ledger transfers cannot be deleted' });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ledger_transfers').execute();
  await db.schema.dropTable('ledger_accounts').execute();
  await db.schema.dropTable('wallets').execute();
}
