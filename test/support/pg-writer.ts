/**
 * One writer process (node --import tsx) of the PostgreSQL concurrency test and `npm run bench:pg` (see pg-hammer.ts): its
 * own engine and data folder on the shared database, like a second workstation or the watcher. It says
 * `{"ready":true}` once the engine is open, waits for `go` on stdin, then for `seconds` makes internal
 * transfers between the funded wallets, company credits, deposit credits that every writer races to
 * apply (the same chain keys, as two watchers would), and replays of its own earlier requests. It ends
 * with one JSON line: what was applied, replayed and refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEngine } from '@engine/engine';
import type { TransferOutcome } from '@engine/ledger/ledger';
import { DomainError } from '@shared/result';
import { depositForIndex, RACED_DEPOSITS, type WriterConfig, type WriterResult } from './pg-hammer-protocol';

const config = JSON.parse(process.env.TREASURY_WRITER ?? '') as WriterConfig;
const home = mkdtempSync(join(tmpdir(), `treasury-writer-${config.writer}-`));
const engine = await createEngine({
  home,
  host: 'headless',
  database: { dialect: 'postgres', url: config.url, poolSize: config.concurrency + 1 },
  log: () => {},
  withdrawalTrackIntervalMs: 0,
  rampExpiryIntervalMs: 0,
});
const { transfers } = engine.services;

// A small seeded generator: each writer's sequence differs, and a run can be repeated.
let state = (config.writer + 1) * 0x9e3779b1;
const random = (n: number) => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
};

const result: WriterResult = { writer: config.writer, applied: { internal: 0, credit: 0, deposit: 0 }, replayed: 0, refused: {}, errors: [], depositsApplied: [], seconds: 0 };
type Attempt = () => Promise<TransferOutcome>;
const done: Attempt[] = [];
let made = 0;

function next(): { kind: keyof WriterResult['applied'] | 'replay'; run: Attempt } {
  const roll = random(100);
  const key = `w${config.writer}-${++made}`;
  if (roll < 5 && done.length > 0) return { kind: 'replay', run: done[random(done.length)]! };
  if (roll < 12) {
    const walletId = config.walletIds[random(config.walletIds.length)]!;
    const amount = BigInt(1 + random(100_000));
    return { kind: 'credit', run: () => transfers.companyCredit({ idempotencyKey: key, walletId, assetId: config.assetId, amount, reason: 'concurrency test' }) };
  }
  if (roll < 20) {
    const deposit = depositForIndex(random(config.deposits), config.walletIds);
    return {
      kind: 'deposit',
      run: () => transfers.creditDeposit({ chain: 'polygon', txHash: deposit.txHash, logIndex: deposit.logIndex, walletId: deposit.walletId, assetId: config.assetId, amount: deposit.amount, depositId: `dep-${deposit.index}` }),
    };
  }
  const from = random(config.walletIds.length);
  const to = (from + 1 + random(config.walletIds.length - 1)) % config.walletIds.length;
  const amount = BigInt(1 + random(200_000));
  return {
    kind: 'internal',
    run: () => transfers.internalTransfer({ idempotencyKey: key, fromWalletId: config.walletIds[from]!, toWalletId: config.walletIds[to]!, assetId: config.assetId, amount }),
  };
}

/** Every writer opens with the same deposits, as watchers that saw the same blocks: one credits each, the others replay. */
function depositRace(): Array<{ kind: 'deposit'; run: Attempt }> {
  return Array.from({ length: Math.min(RACED_DEPOSITS, config.deposits) }, (_, index) => {
    const deposit = depositForIndex(index, config.walletIds);
    return {
      kind: 'deposit' as const,
      run: () => transfers.creditDeposit({ chain: 'polygon', txHash: deposit.txHash, logIndex: deposit.logIndex, walletId: deposit.walletId, assetId: config.assetId, amount: deposit.amount, depositId: `dep-${index}` }),
    };
  });
}

async function loop(deadline: number, opening: Array<ReturnType<typeof next>>): Promise<void> {
  while (Date.now() < deadline) {
    const { kind, run } = opening.shift() ?? next();
    try {
      const outcome = await run();
      if (outcome.replayed) result.replayed += 1;
      else if (kind === 'replay') result.errors.push(`a replay was applied again: ${outcome.transfer.idempotency_key}`);
      else {
        result.applied[kind] += 1;
        if (kind === 'deposit') result.depositsApplied.push(outcome.transfer.idempotency_key);
      }
      if (kind !== 'replay' && done.length < 1000) done.push(run);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'insufficient_funds') result.refused[error.code] = (result.refused[error.code] ?? 0) + 1;
      else result.errors.push(error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error));
    }
  }
}

// Never outlive the test that started it: gone without a word when its parent is, and a hard stop.
setTimeout(() => process.exit(3), (config.seconds + 120) * 1000).unref();
console.log(JSON.stringify({ ready: true }));
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => {
  input.once('line', () => resolve());
  input.once('close', () => process.exit(3));
});
input.removeAllListeners('close');
input.close();
const started = Date.now();
const deadline = started + config.seconds * 1000;
await Promise.all(Array.from({ length: config.concurrency }, (_, i) => loop(deadline, i === 0 ? depositRace() : [])));
result.seconds = (Date.now() - started) / 1000;
await engine.close();
rmSync(home, { recursive: true, force: true });
console.log(JSON.stringify(result));
