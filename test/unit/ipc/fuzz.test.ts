import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allChannels } from '@shared/ipc/contract';
import { snapshotDatabase, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * Every channel with arbitrary JSON, through the same dispatcher both doors use, as the signed-in admin
 * (so the role table admits the call and the schema is what stands in the way): each request the schema
 * refuses must come back as a typed validation error, nothing may reach the engine's internal-error path,
 * and the database must not change.
 */
let t: TestEngine;
const unexpected: string[] = [];
beforeAll(async () => {
  t = await startUnlockedEngine({ log: (message) => unexpected.push(message) });
});
afterAll(() => t.dispose());

/** Strings that have broken readers or parsers: controls, lone surrogates, prototype keys, huge and odd numbers as text. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\ud800', '\udc00', '\u001b[2J', '__proto__', 'constructor', '-1', '1e400', '0x10', ' ', 'x'.repeat(5000)),
);
const hostileValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString, fc.constantFrom(null, true, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, [], {}));

/** The request's own field names, so many cases get past "unknown key" to the fields' own checks. */
function fieldNames(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function requests(schema: z.ZodType): fc.Arbitrary<unknown> {
  const names = fieldNames(schema);
  const shaped = names.length > 0 ? [fc.dictionary(fc.constantFrom(...names), hostileValue, { maxKeys: names.length })] : [];
  return fc.oneof(fc.jsonValue({ maxDepth: 4 }), hostileValue, ...shaped);
}

describe('every channel under arbitrary JSON', () => {
  it.each(allChannels().map((c) => [c.name, c.request] as const))('%s answers typed refusals and changes nothing', async (name, schema) => {
    const before = snapshotDatabase(t.engine);
    await fc.assert(
      fc.asyncProperty(requests(schema), async (payload) => {
        // Only what the schema refuses: a valid request may rightly change something.
        fc.pre(!schema.safeParse(payload).success);
        const result = await t.engine.api.call(name, payload, { door: 'test' });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('validation');
      }),
      { numRuns: 60 },
    );
    expect(snapshotDatabase(t.engine)).toBe(before);
    expect(unexpected).toEqual([]);
  });
});
