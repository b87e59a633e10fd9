import { sql, type Kysely } from 'kysely';
import { makeAppendOnly } from '../dialect';

// Frozen in time. Business clients (KYB): a client is an individual (every client so far) or a business.
// A business keeps its company data in columns of its own (its registered address in `address`, its tax
// id in the tax_* columns, as an individual's); its documents are records like KYC documents
// (append-only, files by hash in kyc_files); its ultimate beneficial owners are individual clients with
// their own KYC, linked with their share of the company in basis points (25% = 2500).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('client_kind', 'text', (c) => c.notNull().defaultTo('individual').check(sql`client_kind in ('individual', 'business')`))
    .execute();
  for (const column of ['business_trade_name', 'business_type', 'business_registration_number', 'business_incorporation_country', 'business_incorporation_date']) {
    await db.schema.alterTable('clients').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('clients_kind').on('clients').columns(['client_kind', 'created_at']).execute();

  await db.schema
    .createTable('company_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull().references('kyc_files.sha256'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('company_documents_client').on('company_documents').columns(['client_id', 'document_type', 'uploaded_at']).execute();
  await makeAppendOnly(db, 'company_documents', { update: 'company_documents rows are immutable', delete: 'company_documents rows cannot be deleted' });

  await db.schema
    .createTable('beneficial_owners')
    .addColumn('business_client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('person_client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('ownership_bp', 'integer', (c) => c.notNull().check(sql`ownership_bp > 0 and ownership_bp <= 10000`))
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('beneficial_owners_pk', ['business_client_id', 'person_client_id'])
    .execute();
  await db.schema.createIndex('beneficial_owners_person').on('beneficial_owners').column('person_client_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('beneficial_owners').execute();
  await db.schema.dropTable('company_documents').execute();
  await db.schema.dropIndex('clients_kind').execute();
  for (const column of ['business_incorporation_date', 'business_incorporation_country', 'business_registration_number', 'business_type', 'business_trade_name', 'client_kind']) {
    await db.schema.alterTable('clients').dropColumn(column).execute();
  }
}
