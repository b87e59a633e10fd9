import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChannels } from '@shared/ipc/contract';
import { ERROR_CODES } from '@shared/result';
import { databaseFileHash, snapshotDatabase, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * Thousands of random and malformed payloads at every channel, as a signed-in admin (whom the role table
 * lets through everywhere, so every payload meets the schema and, past it, the handler): nothing throws
 * across the boundary, every answer is a typed refusal, and the database does not change by a byte.
 */
const RUNS_PER_CHANNEL = 100;
let t: TestEngine;
beforeAll(async () => {
  t = await startUnlockedEngine();
  await t.engine.api.call('wallets:create', { chain: 'polygon', label: 'fuzz target' }, { door: 'test' });
});
afterAll(() => t.dispose());

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'then', 'amount', 'walletId', 'passphrase', 'chain', 'id');
const wild = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withDate: true });
const payloads = fc.oneof(
  wild,
  fc.dictionary(fc.oneof(fc.string(), hostileKeys), wild),
  fc.dictionary(hostileKeys, fc.oneof(fc.string({ maxLength: 5000 }), fc.integer(), fc.double(), fc.constant(null), fc.bigInt())),
  fc.string({ maxLength: 20_000 }),
);

function isMalformed(schema: { safeParse(value: unknown): { success: boolean } }, payload: unknown): boolean {
  try {
    return !schema.safeParse(payload ?? {}).success;
  } catch {
    return true;
  }
}

describe('fuzzing every channel', () => {
  it.each(allChannels().map((c) => [c.name, c.request] as const))('%s: refuses malformed payloads, never throws, changes nothing', async (name, schema) => {
    const rows = snapshotDatabase(t.engine);
    const bytes = databaseFileHash(t.engine);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        fc.pre(isMalformed(schema, payload));
        sent += 1;
        const result = await t.engine.api.call(name, payload, { door: 'test' });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(ERROR_CODES).toContain(result.error.code);
          expect(result.error.code).toBe('validation');
          expect(typeof result.error.message).toBe('string');
        }
      }),
      { numRuns: RUNS_PER_CHANNEL, maxSkipsPerRun: 100 },
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS_PER_CHANNEL / 2);
    expect(databaseFileHash(t.engine)).toBe(bytes);
    expect(snapshotDatabase(t.engine)).toBe(rows);
  });

  it('answers unknown channels and hostile contexts with a Result, never a throw', async () => {
    const names = fc.oneof(fc.string(), hostileKeys, fc.constantFrom(...allChannels().map((c) => c.name)).map((n) => `${n} `));
    const contexts = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.record({ door: fc.string(), session: fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })), operator: fc.string(), role: fc.string() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(names, wild, contexts, async (name, payload, context) => {
        const result = await t.door.call(name as string, payload, context as never);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(ERROR_CODES).toContain(result.error.code);
      }),
      { numRuns: 500 },
    );
  });
});
