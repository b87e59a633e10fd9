import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPassphrase, hashPassphrase, unwrapKey, wrapKey } from '@engine/operators/passphrase-hash';
import { SignInBackoff } from '@engine/operators/sign-in-backoff';
import { TEST_SCRYPT } from '@test/engine';

describe('operator passphrase hashes', () => {
  it('store scrypt with its parameters and salt, never the passphrase', async () => {
    const { hash, kek } = await hashPassphrase('correct horse battery staple', TEST_SCRYPT);
    expect(hash).toMatch(/^scrypt\$1\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('horse');
    expect(kek).toHaveLength(32);
  });

  it('accept the passphrase and give back the same key-encryption key; refuse any other', async () => {
    const { hash, kek } = await hashPassphrase('correct horse battery staple', TEST_SCRYPT);
    const right = await checkPassphrase('correct horse battery staple', hash);
    expect(right.matches).toBe(true);
    expect(right.kek?.equals(kek)).toBe(true);
    for (const wrong of ['correct horse battery stapl', 'Correct horse battery staple', '']) {
      expect(await checkPassphrase(wrong, hash)).toEqual({ matches: false, kek: null });
    }
  });

  it('salt each hash, so one passphrase hashed twice differs', async () => {
    const a = await hashPassphrase('same passphrase here', TEST_SCRYPT);
    const b = await hashPassphrase('same passphrase here', TEST_SCRYPT);
    expect(a.hash).not.toBe(b.hash);
    expect(a.kek.equals(b.kek)).toBe(false);
  });

  it.each([
    ['not a hash', 'plain'],
    ['another algorithm', 'bcrypt$1$1024$8$1$AAAA$AAAA'],
    ['a cost past the ceiling', `scrypt$1$${2 ** 24}$8$1$AAAA$AAAA`],
  ])('refuse a stored hash that is %s', async (_case, stored) => {
    expect((await checkPassphrase('whatever passphrase', stored)).matches).toBe(false);
  });
});

describe('the seed key wrapped per operator', () => {
  const kek = randomBytes(32);
  const secret = randomBytes(32);

  it('unwraps with the same key and operator', () => {
    expect(unwrapKey(wrapKey(secret, kek, 'op-1'), kek, 'op-1')?.equals(secret)).toBe(true);
  });

  it.each([
    ['another operator', (w: string) => w, 'op-2', kek],
    ['another key', (w: string) => w, 'op-1', randomBytes(32)],
    ['an altered ciphertext', (w: string) => w.slice(0, -4) + (w.endsWith('AAA=') ? 'BBB=' : 'AAA='), 'op-1', kek],
    ['garbage', () => 'v1.x.y.z', 'op-1', kek],
  ])('refuses %s', (_case, alter, operatorId, key) => {
    expect(unwrapKey(alter(wrapKey(secret, kek, 'op-1')), key, operatorId)).toBeNull();
  });
});

describe('sign-in backoff', () => {
  it('lets three wrong passphrases through, then doubles the wait up to the cap', () => {
    let now = 0;
    const backoff = new SignInBackoff(() => now);
    const waits: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      backoff.failed('ana');
      waits.push(backoff.waitFor('ana'));
    }
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits.slice(3, 7)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(5 * 60_000);
    now += 5 * 60_000;
    expect(backoff.waitFor('ana')).toBe(0);
  });

  it('counts a name in any case as the same name, and a success clears it', () => {
    const backoff = new SignInBackoff(() => 0);
    for (let i = 0; i < 4; i += 1) backoff.failed(i % 2 ? 'ANA' : 'ana');
    expect(backoff.waitFor('Ana')).toBeGreaterThan(0);
    backoff.succeeded('ana');
    expect(backoff.waitFor('ana')).toBe(0);
  });

  it('slows guessing spread over many names', () => {
    const backoff = new SignInBackoff(() => 0);
    for (let i = 0; i < 16; i += 1) backoff.failed(`name-${i}`);
    expect(backoff.waitFor('someone-new')).toBeGreaterThan(0);
  });
});
