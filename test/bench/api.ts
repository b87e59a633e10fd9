/**
 * `npm run bench:api`: internal transfers per second through the headless host's HTTP api (POST
 * /api/transfers:internal with the per-start token and an operator session), one client at a time and then 16
 * concurrent clients (each moving between its own two wallets), on SQLite and, with TREASURY_TEST_PG, on
 * PostgreSQL. The host runs in a child process of its own, as a deployment would, so the clients' work does not
 * share its event loop. Concurrent requests' ledger writes share transactions there (group commit,
 * electron/engine/ledger/group-commit.ts). Every run is checked afterwards: ledger invariants and audit chain.
 * The last line is JSON: sqlite_rps_1, sqlite_rps_16, postgres_rps_1, postgres_rps_16 (null when not run), the
 * ratios 16 vs 1 measured in the same run (ratio_sqlite, ratio_postgres), and the settings they were measured
 * under (durability settings each database ran with, clients, seconds, the machine's cores and load).
 * Options: API_BENCH_SECONDS per run (default 8), API_BENCH_CLIENTS (default 16), API_BENCH_DOOR=v1 (the
 * integration API instead: an own-address withdrawal with an API key per client), API_BENCH_ONLY (sqlite or
 * postgres: one backend), API_BENCH_PROFILE (a folder: the host writes a CPU profile there, and the phases'
 * times on the profile's clock are printed, to cut it by phase).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'node:http';
import { sql } from 'kysely';
import { createInterface } from 'node:readline';
import { SESSION_HEADER } from '@shared/ipc/session';
import type { WalletView } from '@shared/domain/wallets';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { startHost } from '../../electron/host/server';
import { testPostgresUrl, type Backend } from '@test/backends';
import { callOk, startUnlockedEngine } from '@test/engine';
import { makeKey } from '@test/api-client';
import { startApiServer, type RunningApi } from '../../electron/host/api/api-server';

const ASSET = 'polygon:USDT';
const seconds = Number.parseFloat(process.env.API_BENCH_SECONDS ?? '8');
const clients = Number.parseInt(process.env.API_BENCH_CLIENTS ?? '16', 10);
/** 'api' (default): the window's door, /api/transfers:internal; 'v1': the integration API, an API key per client and an Idempotency-Key per request. */
const door = process.env.API_BENCH_DOOR === 'v1' ? 'v1' : 'api';

interface Served {
  url: string;
  token: string;
  session: string;
  pairs: Array<[string, string]>;
  /** door v1: the API's base URL, a key per client, each pair's second wallet's address, the asset's smallest amount. */
  v1?: { url: string; keys: string[]; addresses: string[]; amount: string };
  /** The durability settings the database runs with (nothing relaxed for the benchmark). */
  settings: Record<string, string | number>;
}

/** The child: an engine with `clients` funded wallet pairs behind the headless host; answers "check" on stdin. */
async function serve(backend: Backend): Promise<void> {
  // A pool as wide as the clients on PostgreSQL, so concurrent requests' reads do not queue for a connection.
  const t = await startUnlockedEngine({ backend, poolSize: clients + 4, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
  // Funding is a company credit: the admin asks, a second operator approves (four eyes).
  const approver = await t.signInAs('approver', 'bench-approver');
  const pairs: Array<[string, string]> = [];
  const addresses: string[] = [];
  for (let i = 0; i < clients; i++) {
    const a = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: `bench ${i} A` });
    const b = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: `bench ${i} B` });
    const asked = await callOk<{ id: string }>(t.engine, 'transfers:companyCredit', { idempotencyKey: `bench-fund-${i}`, walletId: a.id, assetId: ASSET, amount: '1000000000000', reason: 'benchmark balance' });
    await callOk(t.engine, 'transfers:approveCompanyCredit', { creditId: asked.id }, approver);
    pairs.push([a.id, b.id]);
    addresses.push(b.address);
  }
  const host = await startHost({ engine: t.engine, rendererDir: mkdtempSync(join(tmpdir(), 'bench-renderer-')), port: 0, log: () => {} });
  let v1: Served['v1'];
  let api: RunningApi | null = null;
  if (door === 'v1') {
    api = await startApiServer({ engine: t.engine, port: 0, log: () => {} });
    const keys: string[] = [];
    for (let i = 0; i < clients; i++) keys.push((await makeKey(t.engine, `bench-${i}`, { rateLimitPerMinute: 100_000 })).secret);
    const { decimals } = await t.engine.services.assets.get(ASSET);
    v1 = { url: api.url, keys, addresses, amount: decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1` };
  }
  const served: Served = { url: host.url, token: host.token, session: t.adminSession, pairs, ...(v1 ? { v1 } : {}), settings: await durability(t.engine.database) };
  console.log(JSON.stringify(served));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'check') continue;
    const violations = await checkLedgerInvariants(t.engine.database.db);
    const audit = await t.engine.services.audit.verify();
    console.log(JSON.stringify({ violations: violations.length, auditOk: audit.ok, group: t.engine.services.ledger.group.stats }));
    await api?.close();
    await host.close();
    await t.dispose();
    process.exit(0);
  }
}

async function durability(database: Awaited<ReturnType<typeof startUnlockedEngine>>['engine']['database']): Promise<Record<string, string | number>> {
  if (database.sqlite) {
    const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][database.sqlite.pragma('synchronous', { simple: true }) as number] ?? 'unknown';
    return { journal_mode: String(database.sqlite.pragma('journal_mode', { simple: true })), synchronous };
  }
  const show = async (name: string) => String((await sql.raw<Record<string, string>>(`show ${name}`).execute(database.db)).rows[0]?.[name]);
  return { synchronous_commit: await show('synchronous_commit'), fsync: await show('fsync'), commit_delay: await show('commit_delay'), pool: clients + 4 };
}

// node:http with kept-alive sockets: the lightest client, so the host's work is what is measured.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(base: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let phases = 0;
async function measure(served: Served, concurrency: number, label: string): Promise<number> {
  const phase = ++phases;
  let ok = 0;
  let refused = 0;
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  const startedMicros = process.hrtime.bigint() / 1000n;
  const client = async (index: number) => {
    const [from, to] = served.pairs[index]!;
    const windowDoor = { 'x-treasury-token': served.token, [SESSION_HEADER]: served.session };
    while (Date.now() < end) {
      const key = `bench-${phase}-${index}-${n++}`;
      let answer: { status: number; body: unknown };
      if (served.v1) {
        // A withdrawal to one of our own wallets' addresses: an internal transfer, answered 200.
        const body = JSON.stringify({ toWalletAddress: served.v1.addresses[index], assetId: ASSET, amount: served.v1.amount });
        answer = await post(served.v1.url, `/v1/virtual-wallets/${from}/withdraw`, body, { 'x-api-key': served.v1.keys[index]!, 'idempotency-key': key });
      } else {
        const body = JSON.stringify({ idempotencyKey: key, fromWalletId: from, toWalletId: to, assetId: ASSET, amount: '1' });
        answer = await post(served.url, '/api/transfers:internal', body, windowDoor);
      }
      const result = answer.body as { ok?: boolean; error?: { message: string } };
      if (answer.status === 200 && result.ok !== false) ok++;
      else if (refused++ === 0) console.error(`  refused: ${answer.status} ${result.error?.message}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const elapsed = (performance.now() - started) / 1000;
  // The monotonic clock of a CPU profile's timestamps, to cut a profile by phase.
  if (process.env.API_BENCH_PROFILE) console.error(`  phase ${label} ${concurrency}: ${startedMicros}..${process.hrtime.bigint() / 1000n} us`);
  const rps = ok / elapsed;
  console.log(`${label}: ${concurrency} client(s): ${ok} transfers in ${elapsed.toFixed(1)} s = ${rps.toFixed(0)}/s${refused ? `, ${refused} refused` : ''}`);
  return Math.round(rps);
}

interface Run {
  rps1: number;
  rps16: number;
  settings: Record<string, string | number>;
}

async function run(backend: Backend): Promise<Run> {
  // API_BENCH_PROFILE=<dir>: the host writes a V8 CPU profile there when it exits (where a request's time goes).
  const profile = process.env.API_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.API_BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', backend], {
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the ${backend} host exited`);
      if (value.startsWith('{')) return JSON.parse(value);
    }
  };
  const served = (await next()) as Served;
  // A warm-up (JIT, statement caches), not counted.
  await measure(served, clients, `${backend} warm-up`);
  const rps1 = await measure(served, 1, backend);
  const rps16 = await measure(served, clients, backend);
  child.stdin!.write('check\n');
  const check = (await next()) as { violations: number; auditOk: boolean; group: { groups: number; writes: number; largest: number } };
  console.log(`${backend}: ${check.group.writes} ledger writes in ${check.group.groups} transactions (largest ${check.group.largest}); invariant violations ${check.violations}; audit chain ${check.auditOk ? 'intact' : 'BROKEN'}; 16 vs 1: ${(rps16 / rps1).toFixed(1)}x`);
  if (check.violations > 0 || !check.auditOk) process.exitCode = 1;
  await new Promise((r) => child.once('exit', r));
  return { rps1, rps16, settings: served.settings };
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as Backend);
} else {
  const only = process.env.API_BENCH_ONLY;
  const loadBefore = loadavg()[0]!;
  const sqlite = only === 'postgres' ? null : await run('sqlite');
  const pg = testPostgresUrl() && only !== 'sqlite' ? await run('postgres') : null;
  if (!pg) console.log('postgres: skipped (TREASURY_TEST_PG unset or API_BENCH_ONLY=sqlite)');
  const ratio = (r: Run | null) => (r && r.rps1 > 0 ? Math.round((r.rps16 / r.rps1) * 100) / 100 : null);
  console.log(
    JSON.stringify({
      sqlite_rps_1: sqlite?.rps1 ?? null,
      sqlite_rps_16: sqlite?.rps16 ?? null,
      postgres_rps_1: pg?.rps1 ?? null,
      postgres_rps_16: pg?.rps16 ?? null,
      ratio_sqlite: ratio(sqlite),
      ratio_postgres: ratio(pg),
      settings: {
        seconds,
        clients,
        door: door === 'v1' ? 'POST /v1/virtual-wallets/{id}/withdraw to an own wallet (API key, Idempotency-Key)' : 'POST /api/transfers:internal (window session)',
        sqlite: sqlite?.settings ?? null,
        postgres: pg?.settings ?? null,
        cores: cpus().length,
        load_average: [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
      },
    }),
  );
}
