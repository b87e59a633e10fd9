import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { compactIdentifier, isSealedFile, isSealedText, nameTokens, type ClientDataKeys, type SearchKind } from './data-keys';
import { PERSONAL_FIELDS } from './client-service';
import type { KycFileStore } from './kyc-files';

type Db = Kysely<Database>;

export interface SealingResult {
  clients: number;
  documents: number;
  bankAccounts: number;
  files: number;
  /** Files recorded but neither in the folder nor in the database: left for the integrity check to name. */
  filesMissing: number;
}

const sha256Of = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * Seals what was written before client data was sealed: personal columns, document numbers, bank account
 * details and KYC files. Needs the open seed. Each row (and each file) is sealed in its own transaction and
 * skipped once sealed, so the pass may stop anywhere (a crash, a lock) and run again: it finishes the rest.
 * A file is rewritten atomically before its seal is recorded; a sealed file found without its record (a crash
 * between the two) is opened, checked against the scan's hash and recorded.
 */
export async function sealPlaintext(db: Db, keys: ClientDataKeys, files: KycFileStore, afterEach: () => void = () => {}): Promise<SealingResult> {
  const result: SealingResult = { clients: 0, documents: 0, bankAccounts: 0, files: 0, filesMissing: 0 };

  for (const row of await db.selectFrom('clients').selectAll().where('erased_at', 'is', null).execute()) {
    const plain = PERSONAL_FIELDS.filter((f) => row[f] !== null && !isSealedText(row[f]));
    if (plain.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      const key = await keys.ensureKey(trx, row.id);
      const set: Record<string, string | null> = {};
      for (const field of plain) set[field] = keys.sealText(key, row.id, field, row[field]);
      const taxIdHash = row.tax_id && !isSealedText(row.tax_id) ? keys.searchHash('tax_id_unique', `${row.tax_country}:${row.tax_kind}:${row.tax_id}`) : undefined;
      await trx.updateTable('clients').set({ ...set, ...(taxIdHash ? { tax_id_hash: taxIdHash } : {}) }).where('id', '=', row.id).execute();
      const entries: Array<{ kind: SearchKind; value: string }> = [];
      if (plain.includes('legal_name')) for (const t of nameTokens(row.legal_name)) entries.push({ kind: 'name', value: t });
      if (plain.includes('email')) entries.push({ kind: 'email', value: row.email!.toLowerCase() });
      if (plain.includes('tax_id')) entries.push({ kind: 'tax_id', value: compactIdentifier(row.tax_id!) });
      await keys.index(trx, row.id, entries);
    });
    result.clients += 1;
    afterEach();
  }

  const documents = await db.selectFrom('kyc_documents').select(['id', 'client_id', 'number']).where('number', 'is not', null).where('number', 'not like', 'sealed:%').execute();
  for (const doc of documents) {
    await db.transaction().execute(async (trx) => {
      const key = await keys.ensureKey(trx, doc.client_id);
      // The only update the append-only table lets through (migration 0024): plaintext number to its sealed form.
      await sql`update kyc_documents set number = ${keys.sealText(key, doc.client_id, 'document_number', doc.number)} where id = ${doc.id}`.execute(trx);
      await keys.index(trx, doc.client_id, [{ kind: 'document', value: compactIdentifier(doc.number!) }], false);
    });
    result.documents += 1;
    afterEach();
  }

  for (const row of await db.selectFrom('bank_accounts').selectAll().where('identifier', 'not like', 'sealed:%').execute()) {
    await db.transaction().execute(async (trx) => {
      const key = await keys.ensureKey(trx, row.client_id);
      const seal = (field: string, value: string) => keys.sealText(key, row.client_id, `bank_account.${field}`, value);
      await trx
        .updateTable('bank_accounts')
        .set({
          holder_name: seal('holder_name', row.holder_name),
          identifier: seal('identifier', row.identifier),
          fields: seal('fields', row.fields),
          identifier_hash: keys.searchHash('bank_account', `${row.client_id}:${row.rail}:${row.identifier}`),
        } as never)
        .where('id', '=', row.id)
        .execute();
    });
    result.bankAccounts += 1;
    afterEach();
  }

  // Files: owned by the client of the first document that names them.
  const unsealed = await sql<{ sha256: string; size: number; media_type: string; client_id: string }>`
    select f.sha256, f.size, f.media_type,
      (select d.client_id from kyc_documents d where d.front_sha256 = f.sha256 or d.back_sha256 = f.sha256 order by d.uploaded_at, d.id limit 1) as client_id
    from kyc_files f where f.sha256 not in (select sha256 from kyc_file_seals) order by f.sha256`.execute(db);
  for (const file of unsealed.rows) {
    if (!file.client_id) continue;
    const key = await keys.ensureKey(db, file.client_id);
    const path = join(files.folder, file.sha256);
    const inDatabase = await db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', file.sha256).executeTakeFirst();
    const stored = existsSync(path) ? readFileSync(path) : inDatabase ? Buffer.from(inDatabase.content) : null;
    if (!stored) {
      result.filesMissing += 1;
      continue;
    }
    const plaintext = isSealedFile(stored) ? keys.openFile(key, file.sha256, stored) : stored;
    if (sha256Of(plaintext) !== file.sha256) {
      result.filesMissing += 1; // altered: left as it is, for the integrity check to report
      continue;
    }
    const sealed = isSealedFile(stored) ? stored : keys.sealFile(key, file.sha256, plaintext);
    const sealedFile = { content: plaintext, sha256: file.sha256, size: file.size, mediaType: file.media_type as never, clientId: file.client_id, sealed, sealedSha256: sha256Of(sealed) };
    await files.write(sealedFile);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('kyc_file_seals').values({ sha256: file.sha256, client_id: file.client_id, sealed_sha256: sealedFile.sealedSha256, sealed_at: new Date().toISOString() }).execute();
      // The append-only table lets exactly this through (migration 0024): plaintext bytes to their sealed form.
      if (inDatabase) await sql`update kyc_file_contents set content = ${sealed} where sha256 = ${file.sha256}`.execute(trx);
    });
    result.files += 1;
    afterEach();
  }
  return result;
}
