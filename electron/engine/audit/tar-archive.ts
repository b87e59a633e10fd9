import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * A plain POSIX ustar archive, written and read here so an auditor can open a bundle with any `tar`
 * and check each part with `sha256sum`. Entries are streamed: the header is written as a placeholder
 * and filled in once the size is known, so no part is ever held in memory whole.
 */
const BLOCK = 512;
const FLUSH_AT = 1 << 20;

export interface WrittenPart {
  name: string;
  bytes: number;
  sha256: string;
}

export class TarWriter {
  private readonly fd: number;
  private position = 0;
  private current: { name: string; headerAt: number; bytes: number; hash: Hash; buffered: Buffer[]; bufferedBytes: number } | null = null;
  private readonly mtime = Math.floor(Date.now() / 1000);

  constructor(path: string) {
    // 'wx': never overwrite an existing bundle.
    this.fd = openSync(path, 'wx', 0o600);
  }

  begin(name: string): void {
    if (this.current) throw new Error(`tar entry ${this.current.name} is still open`);
    if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
    this.current = { name, headerAt: this.position, bytes: 0, hash: createHash('sha256'), buffered: [], bufferedBytes: 0 };
    this.raw(Buffer.alloc(BLOCK));
  }

  write(chunk: string | Buffer): void {
    const entry = this.current;
    if (!entry) throw new Error('no open tar entry');
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    entry.hash.update(buffer);
    entry.bytes += buffer.length;
    entry.buffered.push(buffer);
    entry.bufferedBytes += buffer.length;
    if (entry.bufferedBytes >= FLUSH_AT) this.flush();
  }

  end(): WrittenPart {
    const entry = this.current;
    if (!entry) throw new Error('no open tar entry');
    this.flush();
    const padding = (BLOCK - (entry.bytes % BLOCK)) % BLOCK;
    if (padding > 0) this.raw(Buffer.alloc(padding));
    writeSync(this.fd, header(entry.name, entry.bytes, this.mtime), 0, BLOCK, entry.headerAt);
    this.current = null;
    return { name: entry.name, bytes: entry.bytes, sha256: entry.hash.digest('hex') };
  }

  /** One whole part at once, for the small ones. */
  add(name: string, content: string | Buffer): WrittenPart {
    this.begin(name);
    this.write(content);
    return this.end();
  }

  close(): number {
    if (this.current) throw new Error(`tar entry ${this.current.name} is still open`);
    this.raw(Buffer.alloc(BLOCK * 2));
    closeSync(this.fd);
    return this.position;
  }

  /** Gives up on a half-written archive (the caller removes the file). */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private flush(): void {
    const entry = this.current!;
    if (entry.bufferedBytes === 0) return;
    this.raw(Buffer.concat(entry.buffered, entry.bufferedBytes));
    entry.buffered = [];
    entry.bufferedBytes = 0;
  }

  private raw(buffer: Buffer): void {
    writeSync(this.fd, buffer, 0, buffer.length, this.position);
    this.position += buffer.length;
  }
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 8, 'ascii');
  h.write('0000000\0', 108, 8, 'ascii');
  h.write('0000000\0', 116, 8, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  h.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

export interface TarEntry {
  name: string;
  /** Where the entry's bytes start in the archive. */
  offset: number;
  bytes: number;
}

export class TarFormatError extends Error {}

/** The entries of an archive, read from their headers only (each header's checksum checked). */
export function listTarEntries(path: string): TarEntry[] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let at = 0;
    while (at + BLOCK <= size) {
      readSync(fd, h, 0, BLOCK, at);
      if (h.every((b) => b === 0)) break;
      const stored = Number.parseInt(h.toString('ascii', 148, 156).replace(/[\0 ]+$/g, '').trim(), 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (stored !== sum) throw new TarFormatError(`The archive header at byte ${at} is damaged.`);
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const prefix = h.toString('utf8', 345, 500).replace(/\0.*$/s, '');
      const bytes = Number.parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
      const type = h.toString('ascii', 156, 157);
      if (!Number.isSafeInteger(bytes) || at + BLOCK + bytes > size) throw new TarFormatError(`The archive entry ${name} runs past the end of the file.`);
      if (type === '0' || type === '\0') entries.push({ name: prefix ? `${prefix}/${name}` : name, offset: at + BLOCK, bytes });
      at += BLOCK + Math.ceil(bytes / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** An entry's bytes in chunks, hashed as they pass: `digest()` answers once the loop has finished. */
export async function* readEntryChunks(path: string, entry: TarEntry, hash?: Hash, chunkBytes = 4 << 20): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    let done = 0;
    while (done < entry.bytes) {
      const length = Math.min(chunkBytes, entry.bytes - done);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, entry.offset + done);
      if (bytesRead === 0) throw new TarFormatError(`The archive ends inside ${entry.name}.`);
      const chunk = bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
      hash?.update(chunk);
      done += bytesRead;
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}

/** An entry's lines (UTF-8, '\n'-separated, the last one without its newline if it has none). */
export async function* readEntryLines(path: string, entry: TarEntry, hash?: Hash): AsyncGenerator<string> {
  for await (const batch of readEntryLineBatches(path, entry, hash)) for (const line of batch) yield line;
}

/** The same lines a read chunk at a time: one await per few megabytes, not per line. */
export async function* readEntryLineBatches(path: string, entry: TarEntry, hash?: Hash): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of readEntryChunks(path, entry, hash)) {
    // A chunk may end inside a multi-byte character: the decoder keeps the incomplete tail for the next one.
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield lines;
  }
  rest += decoder.decode();
  if (rest.length > 0) yield [rest];
}

export async function readEntryText(path: string, entry: TarEntry, hash?: Hash): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of readEntryChunks(path, entry, hash)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
