import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { KycFileView } from '@shared/domain/clients';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';
import { isSealedFile, type ClientDataKeys } from './data-keys';

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

/**
 * A checked file ready to be written and recorded for one client: sealed under its own file key, which goes on
 * record wrapped under the client's key. `sealed` is null when the folder (or the shared database) already
 * holds the file's sealed bytes and the file key was opened from another client's record.
 */
export interface SealedFile extends CheckedFile {
  clientId: string;
  sealed: Buffer | null;
  sealedSha256: string;
  wrappedKey: string;
}

export type KycFileState = 'intact' | 'missing' | 'altered' | 'erased';

/**
 * KYC files live in <data folder>/kyc/<sha256>, named by the scan's hash so the same scan is stored once; the
 * bytes there are sealed (AES-256-GCM) under a key of the file's own, wrapped under the data key of every client
 * whose documents name it (kyc_file_keys), and their own SHA-256 is on record (kyc_file_seals), so the integrity
 * check verifies every file without any key. Erasing a client removes its wrapped copies; a file no remaining
 * client can open is removed. Files are accepted as content, never as a path the renderer names; `checkPath`
 * is for the Electron main process.
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

  /**
   * Seals a checked file for a client. A file already on record keeps its sealed bytes when they are intact and
   * some client's copy of its key still opens; otherwise it is sealed afresh.
   */
  async seal(file: CheckedFile, clientId: string, clientKey: Buffer, ex: Kysely<Database> = this.db): Promise<SealedFile> {
    const keys = this.requireKeys();
    const seal = await ex.selectFrom('kyc_file_seals').select('sealed_sha256').where('sha256', '=', file.sha256).executeTakeFirst();
    let fileKey = seal ? await this.fileKey(file.sha256, ex) : null;
    const kept = seal && fileKey ? await this.storedSealed(file.sha256, seal.sealed_sha256, ex) : null;
    fileKey ??= randomBytes(32);
    const sealed = kept ? null : keys.sealFile(fileKey, file.sha256, file.content);
    const wrappedKey = keys.sealText(clientKey, clientId, `kyc_file_key:${file.sha256}`, fileKey.toString('base64'));
    fileKey.fill(0);
    return { ...file, clientId, sealed, sealedSha256: sealed ? sha256Of(sealed) : seal!.sealed_sha256, wrappedKey };
  }

  /** Writes the sealed file (atomically) when it is new or re-sealed; call before the row is written. */
  async write(file: SealedFile): Promise<void> {
    if (file.sealed) {
      writeAtomically(this.folder, file.sha256, file.sealed);
      return;
    }
    // Kept bytes that only the shared database holds come into this folder.
    const target = join(this.folder, file.sha256);
    if (existsSync(target) && this.hashOf(target) === file.sealedSha256) return;
    const row = await this.db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', file.sha256).executeTakeFirst();
    if (row && sha256Of(row.content) === file.sealedSha256) writeAtomically(this.folder, file.sha256, Buffer.from(row.content));
  }

  /** Records the file and the client's copy of its key in the caller's transaction. */
  async record(file: SealedFile, trx: Kysely<Database>, now: string): Promise<void> {
    await trx
      .insertInto('kyc_files')
      .values({ sha256: file.sha256, size: file.size, media_type: file.mediaType, stored_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    if (file.sealed) {
      await trx
        .insertInto('kyc_file_seals')
        .values({ sha256: file.sha256, sealed_sha256: file.sealedSha256, sealed_at: now })
        .onConflict((oc) => oc.column('sha256').doUpdateSet({ sealed_sha256: file.sealedSha256, sealed_at: now }))
        .execute();
      // Re-sealed: the other clients' copies wrap a key that no longer opens these bytes.
      await trx.deleteFrom('kyc_file_keys').where('sha256', '=', file.sha256).where('client_id', '!=', file.clientId).execute();
    }
    await trx
      .insertInto('kyc_file_keys')
      .values({ sha256: file.sha256, client_id: file.clientId, wrapped: file.wrappedKey })
      .onConflict((oc) => oc.columns(['sha256', 'client_id']).doNothing())
      .execute();
    if (!this.shared || !file.sealed) return;
    await trx
      .insertInto('kyc_file_contents')
      .values({ sha256: file.sha256, content: file.sealed })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  /** The scan itself, opened with a key some client still holds (null once no client can open it). */
  async read(sha256: string): Promise<Buffer | null> {
    const path = join(this.folder, sha256);
    if (!existsSync(path)) return null;
    const stored = readFileSync(path);
    if (!isSealedFile(stored)) return stored;
    const fileKey = await this.fileKey(sha256);
    return fileKey ? this.requireKeys().openFile(fileKey, sha256, stored) : null;
  }

  /** After an erasure: removes from this folder the files no remaining client's key opens. */
  async removeUnreadable(): Promise<number> {
    let removed = 0;
    for (const [sha256, { erased }] of await this.expectedHashes()) {
      if (!erased || !existsSync(join(this.folder, sha256))) continue;
      rmSync(join(this.folder, sha256), { force: true });
      removed += 1;
    }
    return removed;
  }

  /** The file's own key, from the first client record whose client key still opens. */
  async fileKey(sha256: string, ex: Kysely<Database> = this.db): Promise<Buffer | null> {
    const keys = this.requireKeys();
    const rows = await ex.selectFrom('kyc_file_keys').select(['client_id', 'wrapped']).where('sha256', '=', sha256).orderBy('client_id').execute();
    for (const row of rows) {
      const clientKey = await keys.keyOf(row.client_id, ex);
      if (!clientKey) continue;
      const opened = keys.openText(clientKey, row.client_id, `kyc_file_key:${sha256}`, row.wrapped);
      if (opened) return Buffer.from(opened, 'base64');
    }
    return null;
  }

  /** Whether the sealed bytes on record are intact here or in the shared database. */
  private async storedSealed(sha256: string, sealedSha256: string, ex: Kysely<Database>): Promise<boolean> {
    const path = join(this.folder, sha256);
    if (existsSync(path) && this.hashOf(path) === sealedSha256) return true;
    if (!this.shared) return false;
    const row = await ex.selectFrom('kyc_file_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
    return row !== undefined && sha256Of(row.content) === sealedSha256;
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
      if (record?.erased) {
        // Erased at another workstation: the sealed bytes can no longer be opened; they leave this folder too.
        rmSync(join(this.folder, sha256), { force: true });
        continue;
      }
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

  /**
   * Per recorded file: the hash its stored bytes must have (sealed copy, or the scan before sealing) and whether
   * it is erased (sealed, and no client's copy of its key is left).
   */
  async expectedHashes(): Promise<Map<string, { hash: string; erased: boolean }>> {
    const rows = await this.db
      .selectFrom('kyc_files as f')
      .leftJoin('kyc_file_seals as s', 's.sha256', 'f.sha256')
      .select((eb) => [
        'f.sha256',
        's.sealed_sha256',
        eb.exists(eb.selectFrom('kyc_file_keys as k').innerJoin('client_keys as ck', 'ck.client_id', 'k.client_id').select('k.sha256').whereRef('k.sha256', '=', 'f.sha256').where('ck.wrapped', 'is not', null)).as('readable'),
      ])
      .orderBy('f.sha256')
      .execute();
    return new Map(rows.map((r) => [r.sha256, { hash: r.sealed_sha256 ?? r.sha256, erased: r.sealed_sha256 !== null && !r.readable }]));
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

export function writeAtomically(folder: string, name: string, content: Buffer): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, name);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, target);
}
