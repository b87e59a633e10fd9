import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import { dialectOf } from '@engine/db/dialect';
import { sealPlaintext, type SealingResult } from '@engine/clients/sealing-pass';
import { scrubberFor } from '@engine/db/sqlite/scrub';
import { BACKENDS } from '@test/backends';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { JPEG, PDF, PNG } from './kyc-fixtures';
import { readableIn } from './readable-at-rest';

/** A client written by a version that did not seal: plaintext columns, plaintext scans in the folder (and the shared table). */
const LEGACY = {
  name: 'Lucía Fernández Ortega',
  email: 'lucia.fernandez@example.org',
  taxId: '27287546326',
  passport: 'PX4455667',
  iban: 'ES9121000418450200051332',
};
const SECRETS = ['Lucía', 'Fernández', LEGACY.email, LEGACY.taxId, LEGACY.passport, LEGACY.iban, 'Gran Vía'];
const FILE_RUNS = [PNG.subarray(8), JPEG.subarray(4), PDF.subarray(0, 30)];
const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');


async function insertLegacy(t: TestEngine): Promise<string> {
  const db = t.engine.database.db;
  const shared = dialectOf(db) === 'postgres';
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('clients')
    .values({
      id,
      client_kind: 'individual',
      legal_name: LEGACY.name,
      date_of_birth: '1979-02-03',
      nationality: 'ES',
      address: JSON.stringify({ line1: 'Gran Vía 12', city: 'Madrid', country: 'ES' }),
      email: LEGACY.email,
      phone: '+34911234567',
      tax_country: 'AR',
      tax_kind: 'cuil',
      tax_id: LEGACY.taxId,
      tax_id_hash: null,
      kyc_status: 'draft',
      rejection_reason: null,
      created_by: 'old-version',
      created_at: now,
      updated_at: now,
    })
    .execute();
  mkdirSync(join(t.home, 'kyc'), { recursive: true });
  for (const [content, type] of [[PNG, 'image/png'], [PDF, 'application/pdf']] as const) {
    writeFileSync(join(t.home, 'kyc', sha(content)), content);
    await db.insertInto('kyc_files').values({ sha256: sha(content), size: content.length, media_type: type, stored_at: now }).execute();
    if (shared) await db.insertInto('kyc_file_contents').values({ sha256: sha(content), content }).execute();
  }
  await db
    .insertInto('kyc_documents')
    .values({ id: randomUUID(), client_id: id, kind: 'identity', document_type: 'passport', number: LEGACY.passport, issuing_country: 'ES', expires_on: '2031-01-01', issued_on: null, front_sha256: sha(PNG), back_sha256: null, uploaded_by: 'old-version', uploaded_at: now })
    .execute();
  await db
    .insertInto('kyc_documents')
    .values({ id: randomUUID(), client_id: id, kind: 'proof_of_address', document_type: null, number: null, issuing_country: null, expires_on: null, issued_on: now.slice(0, 10), front_sha256: sha(PDF), back_sha256: null, uploaded_by: 'old-version', uploaded_at: now })
    .execute();
  await db
    .insertInto('bank_accounts')
    .values({ id: randomUUID(), client_id: id, rail: 'sepa', holder_name: LEGACY.name, identifier: LEGACY.iban, identifier_hash: null, fields: JSON.stringify({ iban: LEGACY.iban }), status: 'unverified', verified_by: null, verified_at: null, verification_note: null, created_by: 'old-version', created_at: now, updated_at: now })
    .execute();
  return id;
}

const total = (results: SealingResult[]) =>
  results.reduce((sum, r) => ({ clients: sum.clients + r.clients, documents: sum.documents + r.documents, bankAccounts: sum.bankAccounts + r.bankAccounts, files: sum.files + r.files, filesMissing: sum.filesMissing + r.filesMissing }));

describe.each(BACKENDS)('sealing rows written before sealing (%s)', (backend) => {
  let t: TestEngine;
  let clientId: string;
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
  // As the engine runs it: in a scrub scope, so the plaintext it replaces does not linger in the SQLite file.
  const pass = (afterEach?: () => void) =>
    scrubberFor(t.engine.database.sqlite)(() => sealPlaintext(t.engine.database.db, t.engine.services.clients.keys, t.engine.services.clients.files, afterEach));

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    clientId = await insertLegacy(t);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it.runIf(backend === 'sqlite')('the old rows and scans are readable in the data folder before the pass', () => {
    t.engine.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    expect(readableIn(t.home, SECRETS, FILE_RUNS).length).toBeGreaterThan(SECRETS.length);
  });

  it('reads the old rows as they are while they wait for the pass', async () => {
    const client = await t.engine.services.clients.clients.get(clientId);
    expect(client).toMatchObject({ legalName: LEGACY.name, email: LEGACY.email, identityDocument: { number: LEGACY.passport } });
  });

  it('stops part way (a crash) and finishes the rest when run again, each row once', async () => {
    let sealed = 0;
    const crash = () => {
      if (++sealed === 3) throw new Error('power cut');
    };
    await expect(pass(crash)).rejects.toThrow('power cut');
    const rest = await pass();
    expect(total([{ clients: 1, documents: 1, bankAccounts: 1, files: 0, filesMissing: 0 }, rest])).toEqual({ clients: 1, documents: 1, bankAccounts: 1, files: 2, filesMissing: 0 });
    expect(rest).toMatchObject({ clients: 0, documents: 0, bankAccounts: 0, files: 2 });
    expect(await pass()).toEqual({ clients: 0, documents: 0, bankAccounts: 0, files: 0, filesMissing: 0 });
  });

  it('completes a file whose record committed but whose plaintext was never replaced', async () => {
    // As if the process died between the record's commit and the folder's rename.
    writeFileSync(join(t.home, 'kyc', sha(PDF)), PDF);
    if (backend === 'sqlite') {
      expect((await ok<Array<{ sha256: string; state: string }>>('clients:kyc:verifyFiles', {})).find((f) => f.sha256 === sha(PDF))?.state).toBe('altered');
      expect(await pass()).toMatchObject({ files: 1, filesMissing: 0 });
    } else {
      // On a shared database the sealed copy committed with the record: the pass writes it over the plaintext.
      expect(await pass()).toMatchObject({ files: 1, filesMissing: 0 });
      expect(readFileSync(join(t.home, 'kyc', sha(PDF))).includes(PDF.subarray(0, 30))).toBe(false);
    }
    expect(await pass()).toEqual({ clients: 0, documents: 0, bankAccounts: 0, files: 0, filesMissing: 0 });
    expect((await t.engine.services.clients.files.read(sha(PDF)))!.equals(PDF)).toBe(true);
    expect((await ok<Array<{ state: string }>>('clients:kyc:verifyFiles', {})).map((f) => f.state)).toEqual(['intact', 'intact']);
  });

  it('reads the sealed client back the same, and search finds it', async () => {
    const client = await ok<ClientView>('clients:get', { clientId });
    expect(client).toMatchObject({ legalName: LEGACY.name, email: LEGACY.email, taxId: { value: LEGACY.taxId }, identityDocument: { number: LEGACY.passport }, address: { line1: 'Gran Vía 12' } });
    expect((await ok<BankAccountView[]>('clients:bankAccounts:list', { clientId }))[0]).toMatchObject({ identifier: LEGACY.iban, holderName: LEGACY.name });
    for (const search of [LEGACY.email, 'lucia fernandez', LEGACY.taxId, LEGACY.passport]) {
      expect((await ok<{ items: ClientView[] }>('clients:list', { search })).items.map((c) => c.id)).toEqual([clientId]);
    }
    const row = await t.engine.database.db.selectFrom('clients').select(['legal_name', 'email', 'tax_id_hash']).where('id', '=', clientId).executeTakeFirstOrThrow();
    expect(row.legal_name).toMatch(/^sealed:v1:/);
    expect(row.tax_id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await ok<{ ok: boolean; findings: unknown[] }>('audit:integrity', {})).toMatchObject({ ok: true, findings: [] });
  });

  it('still refuses any other change to a document or a stored scan', async () => {
    const db = t.engine.database.db;
    await expect(sql`update kyc_documents set number = 'sealed:v1:forged' where client_id = ${clientId}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`update kyc_documents set issuing_country = 'FR' where client_id = ${clientId}`.execute(db)).rejects.toThrow(/immutable/);
    if (backend === 'postgres') {
      await expect(sql`update kyc_file_contents set content = ${Buffer.from('x')}`.execute(db)).rejects.toThrow(/immutable/);
    }
  });

  it.runIf(backend === 'sqlite')('leaves nothing readable in the database file, its WAL or the data folder after the pass', () => {
    t.engine.database.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    expect(readableIn(t.home, SECRETS, FILE_RUNS)).toEqual([]);
  });

  it.runIf(backend === 'postgres')('leaves no plaintext scan in the shared table', async () => {
    const stored = await t.engine.database.db.selectFrom('kyc_file_contents').select('content').execute();
    for (const { content } of stored) for (const run of FILE_RUNS) expect(Buffer.from(content).includes(run)).toBe(false);
  });
});
