import { describe, expect, it } from 'vitest';
import { testPostgresUrl } from '@test/backends';
import { formatHammer, runHammer, type HammerReport } from '@test/pg-hammer';
import { RACED_DEPOSITS } from '@test/pg-hammer-protocol';

/**
 * Several OS processes, each its own engine like a workstation or the watcher, write one PostgreSQL
 * database at once: internal transfers, company credits, deposit credits they race to apply, and replays.
 * Correctness only; `npm run bench:pg` measures throughput over longer runs.
 */
describe.skipIf(!testPostgresUrl())('PostgreSQL under concurrent writer processes', () => {
  function expectSound(r: HammerReport): void {
    expect(r.errors).toEqual([]);
    expect(r.applied).toBeGreaterThan(0);
    expect(r.violations).toEqual([]);
    expect(r.negativeClientBalances).toBe(0);
    expect(r.audit).toMatchObject({ ok: true, records: r.auditRows });
    // Every transfer a writer was told it applied is in the database once, and nothing else is.
    expect(r.transfersWritten).toBe(r.applied);
    expect(r.keysAppliedTwice).toBe(0);
    expect(r.depositsCreditedTwice).toBe(0);
    expect(r.depositTotalsMatch).toBe(true);
  }

  it.each([1, 4])('%i writer process(es) for 2 s keep every invariant', async (writers) => {
    const report = await runHammer({ writers, seconds: 2, deposits: 60 });
    console.log(formatHammer(report));
    expectSound(report);
    // Every writer opened by crediting the same deposits: each was credited once, every other writer got a replay.
    expect(report.replayed).toBeGreaterThanOrEqual((writers - 1) * RACED_DEPOSITS);
    expect(report.depositsCredited).toBeGreaterThanOrEqual(RACED_DEPOSITS);
  });
});
