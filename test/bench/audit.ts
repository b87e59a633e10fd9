/**
 * `npm run bench:audit`: an audit bundle of a ledger holding 1,000,000 transfers (and their 1,000,000+
 * audit records) is exported, then verified as an auditor would offline, then the live database is checked, then the bundle is opened for offline review.
 * Targets (issue 9): export and verification each under a minute; the verifier reads >= 100,000 records/s.
 * Options: AUDIT_BENCH_TRANSFERS (default 1000000).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@engine/engine';
import { verifyAuditBundle } from '@engine/audit/bundle-verify';
import { openAuditSnapshot } from '@engine/audit/offline-review';
import type { TransferRequest } from '@engine/ledger/ledger';
import type { WalletView } from '@shared/domain/wallets';

const TRANSFERS = Number.parseInt(process.env.AUDIT_BENCH_TRANSFERS ?? '1000000', 10);
const WALLETS = 1000;
const ASSET = 'bsc:USDT';
const BIG = 10n ** 21n;

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

const home = mkdtempSync(join(tmpdir(), 'treasury-bench-audit-'));
const engine = await createEngine({ home, host: 'headless', scrypt: { N: 2 ** 10, r: 8, p: 1 }, log: () => {} });
try {
  const { ledger, custody, wallets: walletService, auditTrail } = engine.services;
  await custody.initialize('benchmark passphrase');
  const wallets: WalletView[] = [];
  for (let i = 0; i < WALLETS; i++) wallets.push(await walletService.create({ chain: 'bsc', label: `bench ${i}` }));
  const account = (i: number) => ({ kind: 'client_wallet' as const, assetId: ASSET, walletId: wallets[i % WALLETS]!.id });
  await ledger.transferBatch(
    wallets.map((_, i) => ({ idempotencyKey: `fund-${i}`, debit: { kind: 'uncovered_credit' as const, assetId: ASSET }, credit: account(i), amount: BIG * 1_000_000n, code: 'company_credit' as const })),
  );
  let started = performance.now();
  for (let done = WALLETS; done < TRANSFERS; done += 1000) {
    const batch: TransferRequest[] = [];
    for (let k = 0; k < Math.min(1000, TRANSFERS - done); k++) {
      const i = done + k;
      batch.push({ idempotencyKey: `t-${i}`, debit: account(i), credit: account(i * 7 + 1), amount: BIG + BigInt(i), code: 'internal_transfer', memo: i % 100 === 0 ? `memo ${i}` : undefined });
    }
    await ledger.transferBatch(batch);
  }
  const auditRecords = (await engine.services.audit.head()).seq;
  console.log(`prefilled ${TRANSFERS.toLocaleString()} transfers (${auditRecords.toLocaleString()} audit records) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  let cpu = process.cpuUsage();
  const bundle = await auditTrail.exportBundle({ includeDocuments: false, operator: 'bench', reconcile: false });
  const exportSeconds = (performance.now() - started) / 1000;
  const exportCpu = cpuSeconds(cpu);
  console.log(`export: ${exportSeconds.toFixed(1)} s (${exportCpu.toFixed(1)} s of CPU), ${(statSync(bundle.file).size / 2 ** 20).toFixed(0)} MiB, ${bundle.parts.length} parts`);

  started = performance.now();
  cpu = process.cpuUsage();
  const verdict = await verifyAuditBundle(bundle.file, { anchor: bundle.auditHead });
  const verifySeconds = (performance.now() - started) / 1000;
  const verifyCpu = cpuSeconds(cpu);
  if (!verdict.ok) throw new Error(`the untouched bundle failed verification: ${verdict.findings[0]?.message}`);
  const records = verdict.counts.auditRecords + verdict.counts.transfers;
  console.log(
    `verify: ${verifySeconds.toFixed(1)} s (${verifyCpu.toFixed(1)} s of CPU) for ${records.toLocaleString()} records (audit + transfers): ` +
      `${Math.round(records / verifySeconds).toLocaleString()} records/s (${Math.round(records / verifyCpu).toLocaleString()} per CPU second)`,
  );

  started = performance.now();
  const live = await auditTrail.integrity();
  const liveSeconds = (performance.now() - started) / 1000;
  if (!live.ok) throw new Error(`the live database failed its check: ${live.findings[0]?.message}`);
  console.log(`live integrity check: ${liveSeconds.toFixed(1)} s`);

  // Offline review of the same bundle: verified again, then loaded into a query-only in-memory database.
  started = performance.now();
  const snapshot = await openAuditSnapshot(bundle.file);
  const reviewSeconds = (performance.now() - started) / 1000;
  const firstPage = await snapshot.api.call('audit:list', { limit: 10 }, {});
  await snapshot.close();
  if (!firstPage.ok) throw new Error('the snapshot did not answer audit:list');
  console.log(`offline review opened (verify + load) in ${reviewSeconds.toFixed(1)} s`);

  const summary = {
    transfers: verdict.counts.transfers,
    audit_records: verdict.counts.auditRecords,
    bundle_mib: Math.round(statSync(bundle.file).size / 2 ** 20),
    export_s: Number(exportSeconds.toFixed(1)),
    verify_s: Number(verifySeconds.toFixed(1)),
    verify_records_per_s: Math.round(records / verifySeconds),
    export_cpu_s: Number(exportCpu.toFixed(1)),
    verify_cpu_s: Number(verifyCpu.toFixed(1)),
    verify_records_per_cpu_s: Math.round(records / verifyCpu),
    // The machine is shared: the load average says how much of it this run had.
    load_average: Number(loadavg()[0]!.toFixed(1)),
    live_check_s: Number(liveSeconds.toFixed(1)),
    review_open_s: Number(reviewSeconds.toFixed(1)),
  };
  console.log(`targets: export < 60 s ${summary.export_s < 60 ? 'met' : 'MISSED'}; verify < 60 s ${summary.verify_s < 60 ? 'met' : 'MISSED'}; >= 100,000 records/s ${summary.verify_records_per_s >= 100_000 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify(summary));
} finally {
  await engine.close();
  if (!process.env.AUDIT_BENCH_KEEP) rmSync(home, { recursive: true, force: true });
  else console.log(`kept ${home}`);
}
