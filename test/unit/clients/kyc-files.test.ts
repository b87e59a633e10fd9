import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase64File, KycFileStore, MAX_KYC_FILE_BYTES, sniffMediaType } from '@engine/clients/kyc-files';

const bytes = (...values: number[]) => Buffer.from(values);

describe('KYC file types, read from the content', () => {
  it.each([
    ['a PDF', Buffer.from('%PDF-1.4\n...'), 'application/pdf'],
    ['a JPEG', bytes(0xff, 0xd8, 0xff, 0xdb, 0, 0), 'image/jpeg'],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), 'image/png'],
    ['a GIF', Buffer.from('GIF89a'), null],
    ['a PNG signature cut short', bytes(0x89, 0x50, 0x4e, 0x47), null],
    ['an HTML page named .pdf', Buffer.from('<html>%PDF-'), null],
    ['a ZIP (a .docx)', bytes(0x50, 0x4b, 0x03, 0x04), null],
    ['nothing', Buffer.alloc(0), null],
  ])('%s is %s', (_name, content, mediaType) => {
    expect(sniffMediaType(content)).toBe(mediaType);
  });
});

describe('KycFileStore.check', () => {
  const home = mkdtempSync(join(tmpdir(), 'kyc-files-'));
  const store = new KycFileStore(home, null as never);

  it('hashes and sizes an accepted file', () => {
    const file = store.check(Buffer.from('%PDF-1.7 bill'));
    expect(file).toMatchObject({ size: 13, mediaType: 'application/pdf' });
    expect(file.sha256).toBe(createHash('sha256').update('%PDF-1.7 bill').digest('hex'));
  });

  it('takes exactly 10 MiB and refuses one byte more', () => {
    const atLimit = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX_KYC_FILE_BYTES - 5)]);
    expect(store.check(atLimit).size).toBe(MAX_KYC_FILE_BYTES);
    expect(() => store.check(Buffer.concat([atLimit, bytes(0)]))).toThrow(expect.objectContaining({ code: 'file_too_large' }));
    rmSync(home, { recursive: true, force: true });
  });
});

describe('decodeBase64File', () => {
  it.each(['not base64!', 'abc', '/etc/passwd', 'QUJD=QUJD'])('refuses %j', (text) => {
    expect(() => decodeBase64File(text)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
  it('decodes strict base64, ignoring line breaks', () => {
    expect(decodeBase64File('JVBE\nRi0x').toString()).toBe('%PDF-1');
  });
});
