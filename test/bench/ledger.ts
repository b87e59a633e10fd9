/**
 * `npm run bench:ledger`: the ledger's throughput and read latency on a real SQLite file that already
 * holds 1,000,000 transfers, against the raw ceiling of plain better-sqlite3 inserts of rows of the same
 * width measured in the same run (the machines are shared and noisy, so ratios are what compare).
 * Options: LEDGER_BENCH_PREFILL (default 1000000), LEDGER_BENCH_SECONDS per phase (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@engine/engine';
import type { TransferRequest } from '@engine/ledger/ledger';
import type { WalletView } from '@shared/domain/wallets';

const PREFILL = Number.parseInt(process.env.LEDGER_BENCH_PREFILL ?? '1000000', 10);
const SECONDS = Number.parseFloat(process.env.LEDGER_BENCH_SECONDS ?? '5');
const WALLETS = 1000;
const ASSET = 'bsc:USDT'; // 18 decimals: amounts past 64-bit integers, as in production
const BIG = 10n ** 21n; // 1000 tokens at 18 decimals

const home = mkdtempSync(join(tmpdir(), 'treasury-bench-ledger-'));
const engine = await createEngine({ home, host: 'headless', scrypt: { N: 2 ** 10, r: 8, p: 1 }, log: () => {} });
const { ledger, transfers, custody, wallets: walletService } = engine.services;
await custody.initialize('benchmark passphrase');

console.log(`ledger benchmark: data folder ${home}`);
const wallets: WalletView[] = [];
for (let i = 0; i < WALLETS; i++) wallets.push(await walletService.create({ chain: 'bsc', label: `bench ${i}` }));
const account = (i: number) => ({ kind: 'client_wallet' as const, assetId: ASSET, walletId: wallets[i % WALLETS]!.id });

// Fund every wallet generously, then prefill history with transfers between them.
await ledger.transferBatch(
  wallets.map((w, i) => ({
    idempotencyKey: `fund-${i}`,
    debit: { kind: 'uncovered_credit' as const, assetId: ASSET },
    credit: account(i),
    amount: BIG * 1_000_000n,
    code: 'company_credit' as const,
  })),
);
let started = performance.now();
let seq = 0;
const nextTransfer = (prefix: string): TransferRequest => {
  const i = seq++;
  return {
    idempotencyKey: `${prefix}-${i}`,
    debit: account(i),
    credit: account(i * 7 + 1),
    amount: BIG + BigInt(i),
    code: 'internal_transfer',
  };
};
for (let done = 0; done < PREFILL; done += 1000) {
  const batch: TransferRequest[] = [];
  for (let k = 0; k < Math.min(1000, PREFILL - done); k++) batch.push(nextTransfer('prefill'));
  await ledger.transferBatch(batch);
  if ((done / 1000) % 100 === 0 && done > 0) process.stdout.write(`  prefilled ${done.toLocaleString()}\r`);
}
console.log(`prefilled ${PREFILL.toLocaleString()} transfers in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// (a) internal transfers through the product operation (wallet checks + ledger), each its own transaction.
let count = 0;
started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const i = seq++;
  await transfers.internalTransfer({
    idempotencyKey: `single-${i}`,
    fromWalletId: wallets[i % WALLETS]!.id,
    toWalletId: wallets[(i * 7 + 1) % WALLETS]!.id,
    assetId: ASSET,
    amount: BIG + BigInt(i),
  });
  count++;
}
const singleTps = count / ((performance.now() - started) / 1000);

// (b) batches of 1,000 transfers, one transaction each.
count = 0;
started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const batch: TransferRequest[] = [];
  for (let k = 0; k < 1000; k++) batch.push(nextTransfer('batch'));
  await ledger.transferBatch(batch);
  count += 1000;
}
const batchTps = count / ((performance.now() - started) / 1000);

// (c) balance reads.
const latencies: number[] = [];
for (let i = 0; i < 20_000; i++) {
  const t0 = performance.now();
  await ledger.balance(account(i * 13));
  latencies.push(performance.now() - t0);
}
latencies.sort((x, y) => x - y);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

// (d) the raw ceiling: plain prepared inserts of same-width rows, 1,000 per transaction.
const sqlite = engine.database.sqlite!;
const columns = `(id integer primary key autoincrement, idempotency_key text not null unique, kind text not null,
  debit_account_id integer not null, credit_account_id integer not null, asset_id text not null, amount text not null, code text not null,
  pending_id integer, reverses_id integer, cause_type text, cause_id text, memo text, operator text, content_hash text not null, created_at text not null)`;
function rawInsertRate(table: string): number {
  const insert = sqlite.prepare(`insert into ${table} (idempotency_key, kind, debit_account_id, credit_account_id, asset_id, amount, code,
    content_hash, created_at) values (?, 'posted', ?, ?, ?, ?, 'internal_transfer', ?, ?)`);
  const insertBatch = sqlite.transaction((from: number) => {
    const now = new Date().toISOString();
    for (let k = 0; k < 1000; k++) {
      const i = from + k;
      insert.run(`raw-${i}`, (i % WALLETS) + 1, ((i * 7 + 1) % WALLETS) + 1, ASSET, (BIG + BigInt(i)).toString(), 'f'.repeat(64), now);
    }
  });
  let rows = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    insertBatch(rows);
    rows += 1000;
  }
  return rows / ((performance.now() - t0) / 1000);
}
sqlite.exec(`create table raw_ceiling ${columns}`);
const rawRps = rawInsertRate('raw_ceiling');

// (e) For context, not a target: the same raw inserts into a table carrying the ledger's per-account history
// indexes, and the ledger's single-transfer statements run raw, one committed transaction each. They show what
// SQLite itself costs for the work the ledger must do on this machine.
sqlite.exec(`create table raw_indexed ${columns}; create index raw_indexed_debit on raw_indexed (debit_account_id, id);
  create index raw_indexed_credit on raw_indexed (credit_account_id, id)`);
const rawIndexedRps = rawInsertRate('raw_indexed');
const byKey = sqlite.prepare('select * from raw_indexed where idempotency_key = ?');
const accountByCode = sqlite.prepare('select * from ledger_accounts where code = ?');
const rawTransfer = sqlite.prepare(`insert into raw_indexed (idempotency_key, kind, debit_account_id, credit_account_id, asset_id, amount,
  code, content_hash, created_at) values (?, 'posted', ?, ?, ?, ?, 'internal_transfer', ?, ?)`);
const touch = sqlite.prepare('update ledger_accounts set debits_posted = debits_posted where id = ?');
const begin = sqlite.prepare('begin');
const commit = sqlite.prepare('commit');
const codes = wallets.map((w) => `client_wallet:${ASSET}:${w.id}`);
// The same, plus (when `audited`) the one audit row and its entity index entry every transfer must carry:
// SQLite's own floor for (a) on this machine, since each page a commit dirties costs a WAL frame write.
sqlite.exec(`create table raw_audit (seq integer primary key, at text not null, operator text not null, action text not null,
  entity_type text not null, entity_id text not null, change text not null, prev_hash text not null, hash text not null);
  create index raw_audit_entity on raw_audit (entity_type, entity_id)`);
const rawAudit = sqlite.prepare('insert into raw_audit values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
const rawChange = JSON.stringify({ amount: (BIG * 7n).toString(), assetId: ASSET, cause: 'operator:officer', code: 'internal_transfer', credit: codes[1], debit: codes[0] });
function rawSingleRate(prefix: string, audited: boolean): number {
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    const i = done++;
    begin.run();
    byKey.get(`${prefix}-${i}`);
    const from = accountByCode.get(codes[i % WALLETS]!) as { id: number };
    const to = accountByCode.get(codes[(i * 7 + 1) % WALLETS]!) as { id: number };
    const { lastInsertRowid } = rawTransfer.run(`${prefix}-${i}`, from.id, to.id, ASSET, (BIG + BigInt(i)).toString(), 'f'.repeat(64), new Date().toISOString());
    touch.run(from.id);
    touch.run(to.id);
    if (audited) rawAudit.run(i + 1, new Date().toISOString(), 'system', 'ledger.posted', 'ledger_transfer', String(lastInsertRowid), rawChange, 'f'.repeat(64), 'e'.repeat(64));
    commit.run();
  }
  return done / ((performance.now() - t0) / 1000);
}
const rawSingleTps = rawSingleRate('raw-single', false);
const rawAuditedSingleTps = rawSingleRate('raw-audited', true);

const summary = {
  single_tps: Math.round(singleTps),
  batch_tps: Math.round(batchTps),
  raw_insert_rps: Math.round(rawRps),
  batch_ratio: Number((batchTps / rawRps).toFixed(3)),
  read_p50_ms: Number(pct(50).toFixed(4)),
  read_p99_ms: Number(pct(99).toFixed(4)),
};
const context = {
  raw_indexed_insert_rps: Math.round(rawIndexedRps),
  raw_single_tps: Math.round(rawSingleTps),
  raw_audited_single_tps: Math.round(rawAuditedSingleTps),
};
console.log(`(a) internal transfers, one transaction each: ${summary.single_tps.toLocaleString()} /s (target >= 10,000)`);
console.log(`(b) transfers in batches of 1,000:          ${summary.batch_tps.toLocaleString()} /s`);
console.log(`(d) raw better-sqlite3 inserts, same width: ${summary.raw_insert_rps.toLocaleString()} rows/s`);
console.log(`    batch / raw ratio: ${summary.batch_ratio} (target >= 0.40)`);
console.log(`(e) context: raw inserts with the ledger's history indexes ${context.raw_indexed_insert_rps.toLocaleString()} rows/s ` +
  `(batch / that: ${(batchTps / rawIndexedRps).toFixed(3)}); raw single-transfer transactions ${context.raw_single_tps.toLocaleString()} /s ` +
  `(single / that: ${(singleTps / rawSingleTps).toFixed(3)}); the same with the audit row ${context.raw_audited_single_tps.toLocaleString()} /s ` +
  `(single / that: ${(singleTps / rawAuditedSingleTps).toFixed(3)})`);
console.log(`(c) balance read latency: p50 ${summary.read_p50_ms} ms, p99 ${summary.read_p99_ms} ms (target p99 < 0.2 ms)`);
await engine.close();
rmSync(home, { recursive: true, force: true });
console.log(JSON.stringify(summary));
