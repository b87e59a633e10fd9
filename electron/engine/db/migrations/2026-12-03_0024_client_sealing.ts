import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// Frozen in time. Client data sealed at rest (clients/data-keys.ts): one data key per client, wrapped by the
// workspace's client-data key; keyed hashes for exact search and for the one-client-per-tax-id rule; the sealed
// copy of each KYC file; erasure requests (four eyes) and when a relationship ended. The sealing of rows written
// before this version runs once the seed is open (clients/sealing-pass.ts): these triggers let exactly that one
// change through on the append-only KYC tables (a plaintext value replaced by its sealed form) and nothing else.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('client_keys')
    .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id'))
    // AES-256-GCM of the client's 32-byte key under the workspace key; null once erased (crypto-shredded).
    .addColumn('wrapped', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text')
    .execute();

  await db.schema
    .createTable('client_search')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_search_pk', ['client_id', 'kind', 'hash'])
    .execute();
  await db.schema.createIndex('client_search_hash').on('client_search').columns(['hash', 'kind']).execute();

  // A KYC file is sealed once under a key of its own, and that key is wrapped under the key of every client whose
  // documents name the file (two clients may share a utility bill): erasing one client leaves the other's access.
  await db.schema
    .createTable('kyc_file_seals')
    .addColumn('sha256', 'text', (c) => c.primaryKey().references('kyc_files.sha256'))
    // SHA-256 of the sealed bytes on disk: the integrity check verifies them without any key.
    .addColumn('sealed_sha256', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('kyc_file_keys')
    .addColumn('sha256', 'text', (c) => c.notNull().references('kyc_files.sha256'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kyc_file_keys_pk', ['sha256', 'client_id'])
    .execute();

  await db.schema
    .createTable('erasure_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('requested', 'approved', 'rejected')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('erasure_requests_client').on('erasure_requests').columns(['client_id', 'state']).execute();

  await db.schema.alterTable('clients').addColumn('tax_id_hash', 'text').execute();
  await db.schema.alterTable('clients').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('clients').addColumn('erased_at', 'text').execute();
  // Sealed tax ids never repeat as text: one client per tax id is kept on their keyed hash instead.
  await db.schema.dropIndex('clients_tax_id').execute();
  await db.schema.createIndex('clients_tax_id_hash').on('clients').column('tax_id_hash').unique().where(sql.ref('tax_id_hash'), 'is not', null).execute();
  await db.schema.alterTable('bank_accounts').addColumn('identifier_hash', 'text').execute();

  const documentColumns = ['id', 'client_id', 'kind', 'document_type', 'issuing_country', 'expires_on', 'issued_on', 'front_sha256', 'back_sha256', 'uploaded_by', 'uploaded_at'];
  await allowOnlySealing(db, 'kyc_documents', 'kyc_documents rows are immutable', {
    sqlite: `old.number is not null and old.number not like 'sealed:%' and new.number like 'sealed:%'`,
    postgres: `old.number is not null and old.number not like 'sealed:%' and new.number like 'sealed:%'`,
    unchanged: documentColumns,
  });
  await allowOnlySealing(db, 'kyc_file_contents', 'kyc_file_contents rows are immutable', {
    sqlite: `substr(old.content, 1, 5) <> x'544b594301' and substr(new.content, 1, 5) = x'544b594301'`,
    postgres: `substring(old.content from 1 for 5) <> '\\x544b594301'::bytea and substring(new.content from 1 for 5) = '\\x544b594301'::bytea`,
    unchanged: ['sha256'],
  });
}

/** Replaces the table's refuse-every-update trigger by one that lets through only the sealing of a plaintext value. */
async function allowOnlySealing(db: Kysely<any>, table: string, message: string, rule: { sqlite: string; postgres: string; unchanged: string[] }): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    const same = rule.unchanged.map((c) => `new.${c} is not distinct from old.${c}`).join(' and ');
    const body = `begin if ${rule.postgres} and ${same} then return new; end if; raise exception '%', '${message}'; end`;
    await sql`create or replace function ${sql.raw(`${table}_refuse_update`)}() returns trigger language plpgsql as ${sql.lit(body)}`.execute(db);
    return;
  }
  const same = rule.unchanged.map((c) => `new.${c} is old.${c}`).join(' and ');
  await sql`drop trigger ${sql.raw(`${table}_immutable`)}`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_immutable`)} before update on ${sql.raw(table)}
    when not (${sql.raw(rule.sqlite)} and ${sql.raw(same)})
    begin select raise(abort, ${sql.lit(message)}); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['erasure_requests', 'kyc_file_keys', 'kyc_file_seals', 'client_search', 'client_keys']) await db.schema.dropTable(table).execute();
}
