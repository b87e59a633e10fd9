import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { depositKey } from '@engine/ledger/transfer-service';
import { checkLedgerInvariants, type InvariantViolation } from '@engine/ledger/invariants';
import type { AuditVerdict } from '@engine/audit/audit-log';
import { startUnlockedEngine } from './engine';
import { depositForIndex, type WriterConfig, type WriterResult } from './pg-hammer-protocol';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ASSET = 'polygon:USDT';
const FUNDING = 2_000_000n;

export interface HammerOptions {
  /** Writer processes, each with its own engine on the one database. */
  writers: number;
  seconds: number;
  /** Requests in flight per process; default 1 (one officer's workstation). */
  concurrency?: number;
  wallets?: number;
  deposits?: number;
}

export interface HammerReport {
  writers: number;
  seconds: number;
  /** Transfers written per second over all writers (replays and refusals not counted). */
  transfersPerSecond: number;
  applied: number;
  replayed: number;
  refused: number;
  errors: string[];
  /** Ledger invariants on the shared database afterwards: every asset sums to zero, no negative client balance, balances match history. */
  violations: InvariantViolation[];
  negativeClientBalances: number;
  audit: AuditVerdict;
  auditRows: number;
  /** Transfers the database gained during the run, against what the writers say they applied. */
  transfersWritten: number;
  /** Idempotency keys found on more than one transfer (the UNIQUE index should make this impossible). */
  keysAppliedTwice: number;
  /** Deposits credited by more than one writer, or credited in the database a number of times other than once. */
  depositsCreditedTwice: number;
  depositsCredited: number;
  /** The deposit-in-transit accounts hold exactly the amounts of the deposits credited once each. */
  depositTotalsMatch: boolean;
  loadAverage: number[];
}

/**
 * Several OS processes write one fresh PostgreSQL database (TREASURY_TEST_PG) at once for a fixed time,
 * then the ledger, the audit chain and the idempotency keys are checked from the stored rows.
 */
export async function runHammer(options: HammerOptions): Promise<HammerReport> {
  const wallets = options.wallets ?? 8;
  const deposits = options.deposits ?? 200;
  const t = await startUnlockedEngine({ backend: 'postgres' });
  const children: ChildProcess[] = [];
  try {
    if (t.database.dialect !== 'postgres') throw new Error('the hammer needs PostgreSQL');
    const { wallets: walletService, transfers } = t.engine.services;
    const walletIds: string[] = [];
    for (let i = 0; i < wallets; i++) {
      const wallet = await walletService.create({ chain: 'polygon', label: `hammer ${i}` });
      await transfers.companyCredit({ idempotencyKey: `fund-${i}`, walletId: wallet.id, assetId: ASSET, amount: FUNDING, reason: 'concurrency test funding' });
      walletIds.push(wallet.id);
    }
    const db = t.engine.database.db;
    const countTransfers = async () => Number((await db.selectFrom('ledger_transfers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await countTransfers();

    const writers = Array.from({ length: options.writers }, (_, writer) =>
      startWriter({ url: t.database.dialect === 'postgres' ? t.database.url : '', writer, walletIds, assetId: ASSET, seconds: options.seconds, deposits, concurrency: options.concurrency ?? 1 }, children),
    );
    await Promise.all(writers.map((w) => w.ready));
    for (const child of children) child.stdin!.write('go\n');
    const results = await Promise.all(writers.map((w) => w.result));

    const sum = (f: (r: WriterResult) => number) => results.reduce((total, r) => total + f(r), 0);
    const applied = sum((r) => r.applied.internal + r.applied.credit + r.applied.deposit);
    const seconds = Math.max(...results.map((r) => r.seconds));

    const duplicateKeys = await db
      .selectFrom('ledger_transfers')
      .select('idempotency_key')
      .groupBy('idempotency_key')
      .having((e) => e.fn.countAll(), '>', 1)
      .execute();
    const creditedInDb = await db.selectFrom('ledger_transfers').select('idempotency_key').where('code', '=', 'deposit').execute();
    const byWriters = results.flatMap((r) => r.depositsApplied);
    const amountOf = new Map(
      Array.from({ length: deposits }, (_, i) => depositForIndex(i, walletIds)).map((d) => [depositKey('polygon', d.txHash, d.logIndex), d]),
    );
    const expectedInTransit = new Map<string, bigint>();
    for (const { idempotency_key } of creditedInDb) {
      const d = amountOf.get(idempotency_key);
      if (d) expectedInTransit.set(d.walletId, (expectedInTransit.get(d.walletId) ?? 0n) + d.amount);
    }
    const inTransit = await db.selectFrom('ledger_accounts').select(['wallet_id', 'debits_posted', 'credits_posted']).where('kind', '=', 'deposit_in_transit').execute();
    const depositTotalsMatch =
      inTransit.length === expectedInTransit.size &&
      inTransit.every((a) => BigInt(a.debits_posted) - BigInt(a.credits_posted) === expectedInTransit.get(a.wallet_id ?? ''));
    const clients = await db.selectFrom('ledger_accounts').select(['debits_posted', 'credits_posted', 'debits_pending']).where('kind', '=', 'client_wallet').execute();
    const auditRows = Number((await db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    return {
      writers: options.writers,
      seconds,
      transfersPerSecond: applied / seconds,
      applied,
      replayed: sum((r) => r.replayed),
      refused: sum((r) => Object.values(r.refused).reduce((a, b) => a + b, 0)),
      errors: results.flatMap((r) => r.errors.map((e) => `writer ${r.writer}: ${e}`)),
      violations: await checkLedgerInvariants(db),
      negativeClientBalances: clients.filter((a) => BigInt(a.credits_posted) - BigInt(a.debits_posted) - BigInt(a.debits_pending) < 0n).length,
      audit: await t.engine.services.audit.verify(),
      auditRows,
      transfersWritten: (await countTransfers()) - before,
      keysAppliedTwice: duplicateKeys.length,
      depositsCreditedTwice: byWriters.length - new Set(byWriters).size + (creditedInDb.length - new Set(creditedInDb.map((r) => r.idempotency_key)).size),
      depositsCredited: creditedInDb.length,
      depositTotalsMatch,
      loadAverage: loadavg(),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await t.dispose();
  }
}

/** One line for people: how fast, with how many writers, on how loaded a machine. */
export function formatHammer(r: HammerReport): string {
  return (
    `[pg-concurrency] ${r.writers} writer process${r.writers === 1 ? '' : 'es'}: ${Math.round(r.transfersPerSecond)} transfers/s ` +
    `(${r.applied} applied in ${r.seconds.toFixed(1)} s, ${r.replayed} replays, ${r.refused} refused for funds, ${r.depositsCredited} deposits credited once; ` +
    `load average ${r.loadAverage.map((l) => l.toFixed(2)).join(' ')})`
  );
}

function startWriter(config: WriterConfig, children: ChildProcess[]): { ready: Promise<void>; result: Promise<WriterResult> } {
  // Node with tsx's loader: one process per writer (the tsx command would start a second one).
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/pg-writer.ts')], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.node.json'), TREASURY_WRITER: JSON.stringify(config), TREASURY_DATABASE_URL: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  let onReady!: () => void;
  let onResult!: (r: WriterResult) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<WriterResult>((resolve) => (onResult = resolve));
  const failed = new Promise<never>((_, reject) => {
    child.on('close', (code) => reject(new Error(`writer ${config.writer} exited with ${code}: ${stderr.trim().slice(-2000)}`)));
    child.on('error', reject);
  });
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as { ready?: boolean } | WriterResult;
    if ('ready' in message) onReady();
    else onResult(message as WriterResult);
  });
  // Whichever comes first: the answer, the process dying without one, or too long a wait.
  const first = <T>(answer: Promise<T>, what: string, seconds: number): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`writer ${config.writer} not ${what} after ${seconds} s: ${stderr.trim().slice(-2000)}`)), seconds * 1000);
    });
    return Promise.race([answer, failed, late]).finally(() => clearTimeout(timer));
  };
  failed.catch(() => {}); // observed through the races; a writer that exits after answering is fine
  return { ready: first(ready, 'ready', 45), result: first(result, 'done', config.seconds + 45) };
}
