import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { KycFileView } from '@shared/domain/clients';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';
import type { ClientDataKeys } from './data-keys';

/** Scans and photos of documents; larger files are refused rather than truncated. */
export const MAX_KYC_FILE_BYTES = 10 * 1024 * 1024;

type MediaType = KycFileView['mediaType'];

const MAGIC: Array<{ mediaType: MediaType; bytes: number[] }> = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The type is read from the content itself: a name or a declared type is whatever the sender says. */
export function sniffMediaType(content: Uint8Array): MediaType | null {
  for (const { mediaType, bytes } of MAGIC) {
    if (content.length >= bytes.length && bytes.every((b, i) => content[i] === b)) return mediaType;
  }
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a base64 file from a request, refusing anything that is not strict base64. */
export function decodeBase64File(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new DomainError('validation', 'The file content is not valid base64.');
  }
  return Buffer.from(compact, 'base64');
}

export interface CheckedFile {
  content: Buffer;
  sha256: string;
  size: number;
  mediaType: MediaType;
}

/** A checked file sealed under its client's key, ready to be written and recorded. */
export interface SealedFile extends CheckedFile {
  clientId: string;
  sealed: Buffer;
  sealedSha256: string;
}

export type KycFileState = 'intact' | 'missing' | 'altered' | 'erased';

/**
 * KYC files live in <data folder>/kyc/<sha256>, named by the scan's hash so the same scan is stored once;
 * the bytes there are sealed under the client's data key (clients/data-keys.ts), and their own SHA-256 is on
 * record (kyc_file_seals), so the integrity check verifies every file without any key. Files are accepted as
 * content, never as a path the renderer names; `checkPath` is for the Electron main process.
 *
 * On a database several workstations share, each file's sealed bytes are also recorded in the database with its
 * row, and a workstation writes into its folder the files others uploaded (`fetchShared`) before anything
 * reads the folder: only bytes that hash to their record are ever written.
 */
export class KycFileStore {
  readonly folder: string;

  constructor(
    home: string,
    private readonly db: Kysely<Database>,
    /** Whether other workstations share this database (PostgreSQL). */
    private readonly shared = false,
    private readonly keys?: ClientDataKeys,
  ) {
    this.folder = join(home, 'kyc');
  }

  /** Refuses an empty, oversized or unrecognized file; writes nothing. */
  check(content: Buffer): CheckedFile {
    if (content.length === 0) throw new DomainError('unsupported_file_type', 'The file is empty.');
    if (content.length > MAX_KYC_FILE_BYTES) {
      throw new DomainError('file_too_large', `The file has ${content.length} bytes; the limit is ${MAX_KYC_FILE_BYTES} (10 MiB).`, {
        size: content.length,
        limit: MAX_KYC_FILE_BYTES,
      });
    }
    const mediaType = sniffMediaType(content);
    if (!mediaType) throw new DomainError('unsupported_file_type', 'Only PDF, JPEG and PNG files are accepted.');
    return { content, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, mediaType };
  }

  checkPath(path: string): CheckedFile {
    return this.check(readFileSync(path));
  }

  /** Seals a checked file under its client's key; the same scan on record for another client is refused. */
  async seal(file: CheckedFile, clientId: string, key: Buffer): Promise<SealedFile> {
    const owner = await this.db.selectFrom('kyc_file_seals').select('client_id').where('sha256', '=', file.sha256).executeTakeFirst();
    if (owner && owner.client_id !== clientId) {
      throw new DomainError('conflict', 'This very file is already on record for another client.', { sha256: file.sha256 });
    }
    const sealed = this.requireKeys().sealFile(key, file.sha256, file.content);
    return { ...file, clientId, sealed, sealedSha256: sha256Of(sealed) };
  }

  /** Writes the sealed file (atomically) unless its sealed copy is already on record; call before the row is written. */
  async write(file: SealedFile): Promise<void> {
    const recorded = await this.db.selectFrom('kyc_file_seals').select('sealed_sha256').where('sha256', '=', file.sha256).executeTakeFirst();
    const target = join(this.folder, file.sha256);
    if (recorded && existsSync(target) && this.hashOf(target) === recorded.sealed_sha256) return;
    writeAtomically(this.folder, file.sha256, file.sealed);
  }

  /** Records the file in the caller's transaction (once per hash). */
  async record(file: SealedFile, trx: Kysely<Database>, now: string): Promise<void> {
    await trx
      .insertInto('kyc_files')
      .values({ sha256: file.sha256, size: file.size, media_type: file.mediaType, stored_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    const recorded = await trx.selectFrom('kyc_file_seals').select('sealed_sha256').where('sha256', '=', file.sha256).executeTakeFirst();
    if (recorded) return;
    await trx.insertInto('kyc_file_seals').values({ sha256: file.sha256, client_id: file.clientId, sealed_sha256: file.sealedSha256, sealed_at: now }).execute();
    if (!this.shared) return;
    await trx
      .insertInto('kyc_file_contents')
      .values({ sha256: file.sha256, content: file.sealed })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  /** The scan itself, opened with its client's key (null once the client is erased). */
  async read(sha256: string): Promise<Buffer | null> {
    const seal = await this.db.selectFrom('kyc_file_seals').select('client_id').where('sha256', '=', sha256).executeTakeFirst();
    const path = join(this.folder, sha256);
    if (!existsSync(path)) return null;
    const stored = readFileSync(path);
    if (!seal) return stored;
    const key = await this.requireKeys().keyOf(seal.client_id);
    return key ? this.requireKeys().openFile(key, sha256, stored) : null;
  }

  /** Removes an erased client's files from this folder (their key is gone: the bytes could not be read anyway). */
  async removeFilesOf(clientId: string): Promise<void> {
    const rows = await this.db.selectFrom('kyc_file_seals').select('sha256').where('client_id', '=', clientId).execute();
    for (const { sha256 } of rows) rmSync(join(this.folder, sha256), { force: true });
  }

  /**
   * On a shared database: writes into this workstation's folder every file another one uploaded and this one
   * lacks. Bytes whose hash differs from their record are left out (the check then reports the file).
   */
  async fetchShared(): Promise<number> {
    if (!this.shared) return 0;
    const expected = await this.expectedHashes();
    const known = await this.db.selectFrom('kyc_file_contents').select('sha256').execute();
    let fetched = 0;
    for (const { sha256 } of known) {
      const record = expected.get(sha256);
      if (record?.erased) continue;
      // A copy this workstation kept from before sealing (plaintext) is replaced by the sealed bytes.
      const local = join(this.folder, sha256);
      if (existsSync(local) && !(record && record.hash !== sha256 && this.hashOf(local) === sha256)) continue;
      const row = await this.db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
      if (!row || sha256Of(row.content) !== (record?.hash ?? sha256)) continue;
      writeAtomically(this.folder, sha256, Buffer.from(row.content));
      fetched += 1;
    }
    return fetched;
  }

  /** What an auditor runs: each stored file is re-hashed and compared with its record; needs no key. */
  async verifyAll(): Promise<Array<{ sha256: string; state: KycFileState }>> {
    await this.fetchShared();
    const expected = await this.expectedHashes();
    return [...expected.entries()].map(([sha256, { hash, erased }]) => {
      if (erased) return { sha256, state: 'erased' as const };
      const path = join(this.folder, sha256);
      if (!existsSync(path)) return { sha256, state: 'missing' as const };
      return { sha256, state: this.hashOf(path) === hash ? ('intact' as const) : ('altered' as const) };
    });
  }

  async view(sha256: string, ex: Kysely<Database> = this.db): Promise<KycFileView> {
    const row = await ex.selectFrom('kyc_files').selectAll().where('sha256', '=', sha256).executeTakeFirstOrThrow();
    return { sha256: row.sha256, size: row.size, mediaType: row.media_type as MediaType };
  }

  /** Per recorded file: the hash its stored bytes must have (sealed copy, or the scan before sealing) and whether its client is erased. */
  private async expectedHashes(): Promise<Map<string, { hash: string; erased: boolean }>> {
    const rows = await this.db
      .selectFrom('kyc_files as f')
      .leftJoin('kyc_file_seals as s', 's.sha256', 'f.sha256')
      .leftJoin('clients as c', 'c.id', 's.client_id')
      .select(['f.sha256', 's.sealed_sha256', 'c.erased_at'])
      .orderBy('f.sha256')
      .execute();
    return new Map(rows.map((r) => [r.sha256, { hash: r.sealed_sha256 ?? r.sha256, erased: r.erased_at !== null && r.erased_at !== undefined }]));
  }

  private requireKeys(): ClientDataKeys {
    if (!this.keys) throw new DomainError('internal', 'KYC files cannot be sealed without the client data keys.');
    return this.keys;
  }

  private hashOf(path: string): string {
    return sha256Of(readFileSync(path));
  }
}

function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function writeAtomically(folder: string, name: string, content: Buffer): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, name);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, target);
}
