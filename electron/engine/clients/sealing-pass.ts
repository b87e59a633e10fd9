import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { compactIdentifier, isSealedFile, isSealedText, nameTokens, type ClientDataKeys, type SearchKind } from './data-keys';
import { PERSONAL_FIELDS } from './client-service';
import { writeAtomically, type KycFileStore } from './kyc-files';

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

  // Files: sealed under a key of their own, wrapped for every client whose documents name them. The record
  // (seal, keys, the shared copy) commits before the folder's file is replaced, so a crash between the two leaves
  // the plaintext file and a record that the next pass completes with the same file key.
  // An erased file (no client's key left) stays gone: its sealed copy in the shared table is never written back.
  for (const [sha256, stored] of await files.expectedHashes()) {
    if (stored.erased) continue;
    const sealedHash = stored.hash === sha256 ? undefined : stored.hash;
    const path = join(files.folder, sha256);
    const onDisk = existsSync(path) ? readFileSync(path) : null;
    const inDatabase = await db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
    const shared = inDatabase ? Buffer.from(inDatabase.content) : null;
    if (sealedHash && onDisk && sha256Of(onDisk) === sealedHash) continue;
    if (sealedHash && shared && sha256Of(shared) === sealedHash) {
      writeAtomically(files.folder, sha256, shared);
      result.files += 1;
      continue;
    }
    const plaintext = ([onDisk, shared].filter((b) => b !== null) as Buffer[]).find((b) => !isSealedFile(b) && sha256Of(b) === sha256);
    if (!plaintext) {
      result.filesMissing += 1; // missing or altered: left as it is, for the integrity check to name
      continue;
    }
    const owners = await sql<{ client_id: string }>`
      select client_id from kyc_documents where front_sha256 = ${sha256} or back_sha256 = ${sha256}
      union select client_id from company_documents where file_sha256 = ${sha256} order by client_id`.execute(db);
    if (owners.rows.length === 0) continue;
    const fileKey = (sealedHash ? await files.fileKey(sha256) : null) ?? randomBytes(32);
    const sealed = keys.sealFile(fileKey, sha256, plaintext);
    await db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      await trx
        .insertInto('kyc_file_seals')
        .values({ sha256, sealed_sha256: sha256Of(sealed), sealed_at: now })
        .onConflict((oc) => oc.column('sha256').doUpdateSet({ sealed_sha256: sha256Of(sealed), sealed_at: now }))
        .execute();
      for (const { client_id } of owners.rows) {
        const clientKey = await keys.ensureKey(trx, client_id);
        const wrapped = keys.sealText(clientKey, client_id, `kyc_file_key:${sha256}`, fileKey.toString('base64'));
        await trx.insertInto('kyc_file_keys').values({ sha256, client_id, wrapped }).onConflict((oc) => oc.columns(['sha256', 'client_id']).doUpdateSet({ wrapped })).execute();
      }
      // The append-only table lets exactly this through (migration 0024): plaintext bytes to their sealed form.
      if (shared && !isSealedFile(shared)) await sql`update kyc_file_contents set content = ${sealed} where sha256 = ${sha256}`.execute(trx);
    });
    fileKey.fill(0);
    writeAtomically(files.folder, sha256, sealed);
    result.files += 1;
    afterEach();
  }
  return result;
}
