import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientDataKeys, compactIdentifier, isSealedFile, isSealedText, nameTokens } from '@engine/clients/data-keys';

// The sealing primitives without a database: keys are given, never looked up.
const secret = randomBytes(32);
const keys = new ClientDataKeys(null as never, () => Buffer.from(secret));
const key = randomBytes(32);

describe('sealed text', () => {
  it('opens to what was sealed, and never shows it', () => {
    const sealed = keys.sealText(key, 'client-1', 'email', 'ana@example.com');
    expect(isSealedText(sealed)).toBe(true);
    expect(sealed).not.toContain('ana');
    expect(keys.openText(key, 'client-1', 'email', sealed)).toBe('ana@example.com');
    expect(keys.sealText(key, 'client-1', 'email', 'ana@example.com')).not.toBe(sealed); // a fresh IV each time
  });

  it.each([
    ['another client', randomBytes(32), 'client-2', 'email'],
    ['another field', null, 'client-1', 'phone'],
    ['another key', randomBytes(32), 'client-1', 'email'],
  ])('refuses a value moved to %s', (_what, otherKey, clientId, field) => {
    const sealed = keys.sealText(key, 'client-1', 'email', 'ana@example.com');
    expect(() => keys.openText((otherKey as Buffer | null) ?? key, clientId, field, sealed)).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it('refuses a value altered by one character', () => {
    const sealed = keys.sealText(key, 'client-1', 'email', 'ana@example.com');
    const body = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    body[body.length - 1]! ^= 1;
    expect(() => keys.openText(key, 'client-1', 'email', `sealed:v1:${body.toString('base64')}`)).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it('passes plaintext from before sealing through, and reads a sealed value without its key (erased) as nothing', () => {
    expect(keys.openText(key, 'client-1', 'email', 'old@example.com')).toBe('old@example.com');
    expect(keys.openText(null, 'client-1', 'email', keys.sealText(key, 'client-1', 'email', 'ana@example.com'))).toBeNull();
  });
});

describe('sealed files', () => {
  it('round-trips, starts with the magic the database triggers test, and is bound to its hash', () => {
    const scan = Buffer.from('%PDF-1.7 bill');
    const sealed = keys.sealFile(key, 'a'.repeat(64), scan);
    expect(isSealedFile(sealed)).toBe(true);
    expect(sealed.includes(scan)).toBe(false);
    expect(keys.openFile(key, 'a'.repeat(64), sealed).equals(scan)).toBe(true);
    expect(() => keys.openFile(key, 'b'.repeat(64), sealed)).toThrow();
  });
});

describe('keyed hashes for search', () => {
  it('are stable per kind and value, differ across kinds, and depend on the workspace secret', () => {
    expect(keys.searchHash('email', 'ana@example.com')).toBe(keys.searchHash('email', 'ana@example.com'));
    expect(keys.searchHash('email', 'ana@example.com')).not.toBe(keys.searchHash('name', 'ana@example.com'));
    const other = new ClientDataKeys(null as never, () => randomBytes(32));
    expect(other.searchHash('email', 'ana@example.com')).not.toBe(keys.searchHash('email', 'ana@example.com'));
  });

  it.each([
    ['Juan Carlos García-Pérez', ['juan', 'carlos', 'garcia', 'perez']],
    ["  O'Brien, Seán ", ['brien', 'sean']],
    ['Ñandú X', ['nandu']],
  ])('name %j gives the tokens %j', (name, tokens) => {
    expect(nameTokens(name)).toEqual(tokens);
  });

  it.each([
    ['20-12345678-6', '20123456786'],
    ['aab 998.877', 'AAB998877'],
    ['DE89 3704/0044', 'DE8937040044'],
  ])('identifier %j compacts to %j', (text, compact) => {
    expect(compactIdentifier(text)).toBe(compact);
  });
});
