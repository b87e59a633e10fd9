import { sql, type Kysely } from 'kysely';
import { addSerialId, amountType, makeAppendOnly } from '../dialect';

// Frozen in time. Clients and their KYC, bank accounts, and the on-ramp / off-ramp state machines.
// Fiat amounts are minor units as canonical decimal TEXT, crypto amounts base units as TEXT.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text')
    .addColumn('nationality', 'text')
    .addColumn('address', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('tax_country', 'text')
    .addColumn('tax_kind', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('kyc_status', 'text', (c) =>
      c.notNull().check(sql`kyc_status in ('draft', 'submitted', 'verified', 'rejected', 'suspended')`),
    )
    .addColumn('rejection_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One client per tax id: a second record for the same person is a mistake or an attempt to split limits.
  await db.schema
    .createIndex('clients_tax_id')
    .on('clients')
    .columns(['tax_country', 'tax_kind', 'tax_id'])
    .unique()
    .where(sql.ref('tax_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('kyc_files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();

  // Append-only: a new document supersedes the previous one of its kind, which stays on record.
  await db.schema
    .createTable('kyc_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('identity', 'proof_of_address')`))
    .addColumn('document_type', 'text')
    .addColumn('number', 'text')
    .addColumn('issuing_country', 'text')
    .addColumn('expires_on', 'text')
    .addColumn('issued_on', 'text')
    .addColumn('front_sha256', 'text', (c) => c.notNull().references('kyc_files.sha256'))
    .addColumn('back_sha256', 'text', (c) => c.references('kyc_files.sha256'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kyc_documents_client').on('kyc_documents').columns(['client_id', 'kind', 'uploaded_at']).execute();

  await db.schema
    .createTable('bank_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('unverified', 'verified', 'disabled')`))
    .addColumn('verified_by', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verification_note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bank_accounts_client_identifier', ['client_id', 'rail', 'identifier'])
    .execute();

  await db.schema
    .createTable('ramp_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('onramps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('wallet_id', 'text', (c) => c.notNull().references('wallets.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('requested_amount', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('requested', 'fiat_received', 'verified', 'quoted', 'credited', 'completed', 'cancelled', 'expired')`),
    )
    .addColumn('received_amount', 'text')
    .addColumn('bank_reference', 'text')
    .addColumn('amount_flag', 'text')
    .addColumn('rate', 'text')
    .addColumn('fee', 'text')
    .addColumn('crypto_amount', amountType(db))
    .addColumn('ledger_transfer_id', 'integer', (c) => c.references('ledger_transfers.id'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('onramps_state').on('onramps').columns(['state', 'expires_at']).execute();
  // A bank's own reference credits at most one on-ramp: the same statement line cannot be used twice.
  await db.schema
    .createIndex('onramps_bank_reference')
    .on('onramps')
    .columns(['rail', 'bank_reference'])
    .unique()
    .where(sql.ref('bank_reference'), 'is not', null)
    .execute();

  await db.schema
    .createTable('offramps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('wallet_id', 'text', (c) => c.notNull().references('wallets.id'))
    .addColumn('bank_account_id', 'text', (c) => c.notNull().references('bank_accounts.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('crypto_amount', amountType(db), (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('held', 'crypto_pending', 'crypto_sent', 'converted', 'fiat_paid', 'completed', 'refunded')`),
    )
    .addColumn('hold_transfer_id', 'integer', (c) => c.notNull().references('ledger_transfers.id'))
    .addColumn('destination_address', 'text')
    .addColumn('payout_id', 'text')
    .addColumn('tx_hash', 'text')
    .addColumn('rate', 'text')
    .addColumn('fee', 'text')
    .addColumn('currency', 'text')
    .addColumn('fiat_amount', 'text')
    .addColumn('payout_reference', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('offramps_state').on('offramps').columns(['state']).execute();

  await addSerialId(db, db.schema.createTable('ramp_events'))
    .addColumn('ramp_kind', 'text', (c) => c.notNull().check(sql`ramp_kind in ('onramp', 'offramp')`))
    .addColumn('ramp_id', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ramp_events_ramp').on('ramp_events').columns(['ramp_kind', 'ramp_id', 'id']).execute();

  // Documents and ramp history are records: the database refuses edits even if a bug tries.
  for (const table of ['kyc_documents', 'kyc_files', 'ramp_events']) {
    await makeAppendOnly(db, table, { update: `${table} rows are immutable`, delete: `${table} rows cannot be deleted` });
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['ramp_events', 'offramps', 'onramps', 'ramp_settings', 'bank_accounts', 'kyc_documents', 'kyc_files', 'clients']) {
    await db.schema.dropTable(table).execute();
  }
}
