import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A new file's path in the data folder's exports/, named by what it is and when it was made. */
export function exportPath(home: string, stem: string, extension: string, at = new Date()): string {
  const folder = join(home, 'exports');
  mkdirSync(folder, { recursive: true });
  return join(folder, `${stem}-${at.toISOString().replace(/[:.]/g, '-')}.${extension}`);
}

/** Writes an export once (never over another file), readable by the operator only; answers its size and SHA-256. */
export function writeExport(file: string, content: string | Buffer): { file: string; bytes: number; sha256: string } {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 });
  return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
