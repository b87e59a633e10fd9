import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTarEntries, readEntryLines, readEntryText, TarWriter } from '@engine/audit/tar-archive';

const folder = mkdtempSync(join(tmpdir(), 'treasury-tar-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the bundle archive (POSIX tar written and read by the engine)', () => {
  const file = join(folder, 'parts.tar');
  const big = Array.from({ length: 50_000 }, (_, i) => `{"line":${i},"text":"ünïcödé ${'x'.repeat(i % 97)}"}\n`).join('');
  const parts = { 'README.txt': 'hello\n', 'tables/big.jsonl': big, 'empty.txt': '', 'exact.bin': 'y'.repeat(1024) };

  it('writes streamed parts whose SHA-256 and size it reports, and reads them back', async () => {
    const writer = new TarWriter(file);
    const written = [];
    for (const [name, content] of Object.entries(parts)) {
      writer.begin(name);
      // In uneven chunks, to cross the flush size and split characters across writes.
      for (let i = 0; i < content.length; i += 70_001) writer.write(content.slice(i, i + 70_001));
      written.push(writer.end());
    }
    writer.close();
    for (const part of written) {
      const content = parts[part.name as keyof typeof parts];
      expect(part.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(part.bytes).toBe(Buffer.byteLength(content));
    }
    const entries = listTarEntries(file);
    expect(entries.map((e) => e.name)).toEqual(Object.keys(parts));
    expect(await readEntryText(file, entries[0]!)).toBe('hello\n');
    const lines: string[] = [];
    for await (const line of readEntryLines(file, entries[1]!)) lines.push(line);
    expect(lines).toHaveLength(50_000);
    expect(lines.join('\n') + '\n').toBe(big);
  });

  it('is read by the system tar as it is, so an auditor needs no Treasury tool to unpack it', () => {
    expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(Object.keys(parts));
    expect(execFileSync('tar', ['-xOf', file, 'tables/big.jsonl'], { encoding: 'utf8', maxBuffer: 1 << 26 })).toBe(big);
  });

  it('refuses to overwrite an existing file, and names a damaged header', () => {
    expect(() => new TarWriter(file)).toThrow();
    const damaged = join(folder, 'damaged.tar');
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(damaged, bytes);
    expect(() => listTarEntries(damaged)).toThrow(/header at byte 0 is damaged/);
  });
});
