import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { BackupManifest } from '@shared/domain/backups';
import { NETWORK_PROFILES } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import { fileKeyFor, fileKeyFrom, type BackupPrivateKey } from './backup-key';

/**
 * One backup file: a line of JSON in clear (the manifest and how it is encrypted), then the database image
 * under AES-256-GCM, then the 16-byte tag. The clear line is the cipher's associated data, so changing any
 * field of the manifest (its network, its audit head) makes the file fail to decrypt.
 */
export const BACKUP_EXTENSION = '.tbak';
export const MANIFEST_SUFFIX = '.manifest.json';
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 1 << 20;

const manifestSchema = z.object({
  format: z.literal('treasury-books-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  network: z.enum(NETWORK_PROFILES),
  trigger: z.enum(['scheduled', 'manual', 'pre-migration', 'withdrawal']),
  schemaVersion: z.string(),
  auditHead: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  databaseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  databaseBytes: z.number().int().nonnegative(),
  seedFingerprint: z.string().nullable(),
  keyId: z.string(),
  cursors: z.record(z.string(), z.number().int().nonnegative()),
});

const headerSchema = z.object({
  manifest: manifestSchema,
  encryption: z.object({ alg: z.literal('x25519-hkdf-sha256-aes-256-gcm'), ephemeralPublicKey: z.string(), iv: z.string() }),
});
type Header = z.infer<typeof headerSchema>;

/** The file beside each backup: its manifest plus the backup file's own SHA-256 (checkable with sha256sum). */
export interface ManifestSidecar {
  file: string;
  fileSha256: string;
  bytes: number;
  manifest: BackupManifest;
}

/** Encrypts the database image at `source` to `target` (written under a temporary name, then renamed). Returns the file's SHA-256. */
export async function writeBackupFile(source: string, target: string, manifest: BackupManifest, recipientPublicKey: string): Promise<{ fileSha256: string; bytes: number }> {
  const { fileKey, ephemeralPublicKey } = fileKeyFor(recipientPublicKey);
  const iv = randomBytes(12);
  const header: Header = { manifest, encryption: { alg: 'x25519-hkdf-sha256-aes-256-gcm', ephemeralPublicKey, iv: iv.toString('base64') } };
  const headerLine = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  fileKey.fill(0);
  cipher.setAAD(headerLine);
  const hash = createHash('sha256').update(headerLine);
  let bytes = headerLine.length;
  const temporary = `${target}.${process.pid}.partial`;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const tag = cipher.getAuthTag();
      hash.update(tag);
      bytes += tag.length;
      done(null, tag);
    },
  });
  const out = createWriteStream(temporary, { mode: 0o600 });
  try {
    out.write(headerLine);
    await pipeline(createReadStream(source), cipher, counted, out);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { fileSha256: hash.digest('hex'), bytes };
}

export async function writeSidecar(target: string, sidecar: ManifestSidecar): Promise<void> {
  const path = `${target.slice(0, -BACKUP_EXTENSION.length)}${MANIFEST_SUFFIX}`;
  await writeFile(`${path}.tmp`, `${JSON.stringify(sidecar, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** The clear header of a backup file; anything else is refused in words. */
export async function readBackupHeader(file: string): Promise<{ manifest: BackupManifest; header: Header; headerBytes: number; size: number }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw invalid(`The backup file ${file} cannot be read.`, 'unreadable');
  }
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await handle.read(buffer, 0, buffer.length, 0);
    const end = buffer.indexOf(0x0a);
    if (end < 0) throw invalid('This file is not a Treasury backup of the books.', 'not_a_backup');
    let header: Header;
    try {
      header = headerSchema.parse(JSON.parse(buffer.subarray(0, end).toString('utf8')));
    } catch {
      throw invalid('This file is not a Treasury backup of the books, or a version this app does not read.', 'not_a_backup');
    }
    if (size < end + 1 + TAG_BYTES) throw invalid('The backup file is cut short.', 'truncated');
    return { manifest: header.manifest as BackupManifest, header, headerBytes: end + 1, size };
  } finally {
    await handle.close();
  }
}

/**
 * Decrypts a backup to `target` and checks the image against the manifest's SHA-256. A wrong key, an edited
 * manifest or a damaged file are refused and leave nothing at `target`.
 */
export async function decryptBackupFile(file: string, target: string, privateKey: BackupPrivateKey): Promise<BackupManifest> {
  const { manifest, header, headerBytes, size } = await readBackupHeader(file);
  const handle = await open(file, 'r');
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const fileKey = fileKeyFrom(privateKey, header.encryption.ephemeralPublicKey);
  const decipher = createDecipheriv('aes-256-gcm', fileKey, Buffer.from(header.encryption.iv, 'base64'));
  fileKey.fill(0);
  const headerLine = Buffer.alloc(headerBytes);
  const reader = await open(file, 'r');
  try {
    await reader.read(headerLine, 0, headerBytes, 0);
  } finally {
    await reader.close();
  }
  decipher.setAAD(headerLine);
  decipher.setAuthTag(tag);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(file, { start: headerBytes, end: size - TAG_BYTES - 1 }), decipher, hashing, createWriteStream(target, { mode: 0o600 }));
  } catch {
    await rm(target, { force: true });
    throw invalid('The backup could not be decrypted: it was made for other recovery words, or the file was altered or damaged.', 'decryption_failed');
  }
  if (hash.digest('hex') !== manifest.databaseSha256 || (await stat(target)).size !== manifest.databaseBytes) {
    await rm(target, { force: true });
    throw invalid('The database inside the backup does not match its manifest (SHA-256).', 'hash_mismatch');
  }
  return manifest;
}

function invalid(message: string, reason: string): DomainError {
  return new DomainError('validation', message, { reason });
}
