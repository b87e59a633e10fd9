import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseBatch, type LeaseRow } from '@engine/idempotency/lease-batch';
import { BACKENDS } from '@test/backends';
import { startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * Records of requests starting in the same turn go in as one statement; each request still learns whether its
 * own record went in, as an insert of its own would tell it: a key already there or earlier in the same group
 * is not its to run, and a row the database refuses fails alone.
 */
describe.each(BACKENDS)('idempotency lease batch (%s)', (backend) => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const lease = (scope: string, key: string, hash = 'h'): LeaseRow => ({ scope, key, request_hash: hash, created_at: new Date().toISOString(), lease_until: new Date(Date.now() + 60_000).toISOString() });
  const stored = async (scope: string) =>
    (await t.engine.database.db.selectFrom('idempotency_records').select(['key', 'request_hash', 'state']).where('scope', '=', scope).orderBy('key').execute()).map((r) => `${r.key}:${r.request_hash}:${r.state}`);

  it('one statement for a turn; only the first of a key, and not a key already stored, is inserted', async () => {
    const batch = new LeaseBatch(t.engine.database.db);
    expect(await batch.insert(lease('lb-1', 'old', 'first'))).toBe(true);
    const groupsBefore = batch.stats.groups;
    const answers = await Promise.all([
      batch.insert(lease('lb-1', 'a', 'a1')),
      batch.insert(lease('lb-1', 'old', 'again')),
      batch.insert(lease('lb-1', 'b')),
      batch.insert(lease('lb-1', 'a', 'a2')),
      batch.insert(lease('lb-2', 'a')),
    ]);
    expect(answers).toEqual([true, false, true, false, true]);
    expect(batch.stats.groups - groupsBefore).toBe(1);
    expect(await stored('lb-1')).toEqual(['a:a1:running', 'b:h:running', 'old:first:running']);
    expect(await stored('lb-2')).toEqual(['a:h:running']);
  });

  it('a row the database refuses fails alone; the others of its group go in', async () => {
    const batch = new LeaseBatch(t.engine.database.db);
    const results = await Promise.allSettled([
      batch.insert(lease('lb-3', 'x')),
      batch.insert({ ...lease('lb-3', 'bad'), request_hash: null as unknown as string }),
      batch.insert(lease('lb-3', 'y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<boolean>).value)).toEqual([true, true]);
    expect(await stored('lb-3')).toEqual(['x:h:running', 'y:h:running']);
  });
});
