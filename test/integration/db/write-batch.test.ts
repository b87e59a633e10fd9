import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteBatch } from '@engine/db/write-batch';
import { BACKENDS } from '@test/backends';
import { startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * Writes submitted in the same turn share one transaction; each caller still gets its own outcome: a write the
 * database refuses fails alone (the group runs again write by write), the others commit.
 */
describe.each(BACKENDS)('write batch (%s)', (backend) => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const record = (key: string) => ({
    scope: 'batch-test',
    key,
    request_hash: 'h',
    state: 'running' as const,
    status: null,
    response: null,
    created_at: new Date().toISOString(),
    completed_at: null,
    lease_until: null,
  });
  const keys = async () =>
    (await t.engine.database.db.selectFrom('idempotency_records').select('key').where('scope', '=', 'batch-test').orderBy('key').execute()).map((r) => r.key);

  it('shares one transaction among writes of one turn; alone, a write runs on the database itself', async () => {
    const batch = new WriteBatch(t.engine.database.db);
    const seen: boolean[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        batch.submit(async (ex) => {
          seen.push(ex.isTransaction);
          await ex.insertInto('idempotency_records').values(record(key)).execute();
        }),
      ),
    );
    expect(batch.stats).toEqual({ groups: 1, writes: 3, largest: 3 });
    expect(seen).toEqual([true, true, true]);
    await batch.submit(async (ex) => {
      seen.push(ex.isTransaction);
      await ex.insertInto('idempotency_records').values(record('d')).execute();
    });
    expect(seen[3]).toBe(false);
    expect(await keys()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a refused write fails alone; the others of its group commit', async () => {
    const batch = new WriteBatch(t.engine.database.db);
    const results = await Promise.allSettled(
      ['e', 'a', 'f'].map((key) => batch.submit((ex) => ex.insertInto('idempotency_records').values(record(key)).execute())),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await keys()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
