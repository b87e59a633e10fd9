/**
 * `npm run bench:pg`: internal transfers, company credits and raced deposit credits per second on a shared
 * PostgreSQL database (TREASURY_TEST_PG, a role that may CREATE DATABASE), with 1, 2 and 4 writer
 * processes, each its own engine. Every run is checked afterwards as the concurrency test checks it.
 * Options: PG_BENCH_SECONDS per run (default 10), PG_BENCH_WRITERS (default "1,2,4"),
 * PG_BENCH_CONCURRENCY requests in flight per process (default 1).
 */
import { testPostgresUrl } from '@test/backends';
import { formatHammer, runHammer } from '@test/pg-hammer';

if (!testPostgresUrl()) {
  console.error('bench:pg needs TREASURY_TEST_PG=postgres://user:password@host:port/db (a role that may CREATE DATABASE).');
  process.exit(2);
}
const seconds = Number.parseFloat(process.env.PG_BENCH_SECONDS ?? '10');
const counts = (process.env.PG_BENCH_WRITERS ?? '1,2,4').split(',').map((n) => Number.parseInt(n, 10));
const concurrency = Number.parseInt(process.env.PG_BENCH_CONCURRENCY ?? '1', 10);

let sound = true;
const lines: string[] = [];
for (const writers of counts) {
  const report = await runHammer({ writers, seconds, concurrency, deposits: 500 });
  const problems = [
    ...report.errors,
    ...report.violations.map((v) => `${v.rule}: ${v.detail}`),
    ...(report.audit.ok ? [] : [`audit chain broken at ${report.audit.firstBroken}`]),
    ...(report.transfersWritten !== report.applied ? [`${report.transfersWritten} transfers written, ${report.applied} reported applied`] : []),
    ...(report.keysAppliedTwice || report.depositsCreditedTwice || !report.depositTotalsMatch ? ['a key or deposit was applied twice'] : []),
  ];
  lines.push(formatHammer(report));
  console.log(lines.at(-1));
  for (const problem of problems) console.log(`  !! ${problem}`);
  sound &&= problems.length === 0;
}
console.log(`\nbench:pg, ${seconds} s per run, ${concurrency} request(s) in flight per process:\n${lines.join('\n')}`);
process.exit(sound ? 0 : 1);
