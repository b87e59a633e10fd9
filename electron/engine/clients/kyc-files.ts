import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { KycFileView } from '@shared/domain/clients';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';

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
 * KYC files live in <data folder>/kyc/<sha256>, named by their hash so a swapped file is detectable
 * and the same scan uploaded twice is stored once. Files are accepted as content, never as a path the
 * renderer names; `checkPath` is for the Electron main process, which reads a file the officer picked.
 *
 * On a database several workstations share, each file's bytes are also recorded in the database with its
 * row, and a workstation writes into its folder the files others uploaded (`fetchShared`) before anything
 * reads the folder: only bytes that hash to their recorded sha256 are ever written.
 */
export class KycFileStore {
  readonly folder: string;

  constructor(
    home: string,
    private readonly db: Kysely<Database>,
    /** Whether other workstations share this database (PostgreSQL). */
    private readonly shared = false,
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

  /** Copies the file into the folder (atomically) unless it is already there; call before the row is written. */
  write(file: CheckedFile): void {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const target = join(this.folder, file.sha256);
    if (existsSync(target) && this.hashOf(target) === file.sha256) return;
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, file.content, { mode: 0o600 });
    renameSync(temporary, target);
  }

  /** Records the file in the caller's transaction (once per hash). */
  async record(file: CheckedFile, trx: Kysely<Database>, now: string): Promise<void> {
    await trx
      .insertInto('kyc_files')
      .values({ sha256: file.sha256, size: file.size, media_type: file.mediaType, stored_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    if (!this.shared) return;
    await trx
      .insertInto('kyc_file_contents')
      .values({ sha256: file.sha256, content: file.content })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  /**
   * On a shared database: writes into this workstation's folder every file another one uploaded and this one
   * lacks. Bytes whose hash differs from their record are left out (the check then reports the file).
   */
  async fetchShared(): Promise<number> {
    if (!this.shared) return 0;
    const known = await this.db.selectFrom('kyc_file_contents').select('sha256').execute();
    let fetched = 0;
    for (const { sha256 } of known) {
      if (existsSync(join(this.folder, sha256))) continue;
      const row = await this.db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', sha256).executeTakeFirst();
      if (!row || createHash('sha256').update(row.content).digest('hex') !== sha256) continue;
      this.write({ content: Buffer.from(row.content), sha256, size: row.content.length, mediaType: sniffMediaType(row.content) ?? 'application/pdf' });
      fetched += 1;
    }
    return fetched;
  }

  /** What an auditor runs: each stored file is re-hashed and compared with its record. */
  async verifyAll(): Promise<Array<{ sha256: string; state: 'intact' | 'missing' | 'altered' }>> {
    await this.fetchShared();
    const rows = await this.db.selectFrom('kyc_files').select(['sha256']).orderBy('sha256').execute();
    return rows.map(({ sha256 }) => {
      const path = join(this.folder, sha256);
      if (!existsSync(path)) return { sha256, state: 'missing' as const };
      return { sha256, state: this.hashOf(path) === sha256 ? ('intact' as const) : ('altered' as const) };
    });
  }

  async view(sha256: string, ex: Kysely<Database> = this.db): Promise<KycFileView> {
    const row = await ex.selectFrom('kyc_files').selectAll().where('sha256', '=', sha256).executeTakeFirstOrThrow();
    return { sha256: row.sha256, size: row.size, mediaType: row.media_type as MediaType };
  }

  private hashOf(path: string): string {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  }
}
