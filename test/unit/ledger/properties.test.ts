import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { TransferRequest } from '@engine/ledger/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import { callOk, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';

/**
 * Random sequences of credits, transfers, holds, posts, voids, reversals and retries against a real
 * engine; after every step the stored ledger must keep every promise, and a retried key changes nothing.
 */
const ASSETS = ['polygon:USDT', 'polygon:POL'];

type Step =
  | { op: 'credit'; wallet: number; asset: number; amount: bigint }
  | { op: 'transfer'; from: number; to: number; asset: number; amount: bigint }
  | { op: 'hold'; wallet: number; asset: number; amount: bigint }
  | { op: 'post' | 'void'; pick: number }
  | { op: 'reverse'; pick: number }
  | { op: 'retry'; pick: number };

const amount = fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10n ** 30n }));
const index = fc.nat({ max: 2 });
const asset = fc.nat({ max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('credit' as const), wallet: index, asset, amount }),
  fc.record({ op: fc.constant('transfer' as const), from: index, to: index, asset, amount }),
  fc.record({ op: fc.constant('hold' as const), wallet: index, asset, amount }),
  fc.record({ op: fc.constantFrom('post' as const, 'void' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('retry' as const), pick: fc.nat() }),
);

// Both implementations of the write path on each database: the dialect's own (SQLite's prepared statements,
// PostgreSQL's pipelined ones) and the portable Kysely one.
const variants = [
  ['sqlite', 'native'],
  ['sqlite', 'kysely'],
  ...(BACKENDS.includes('postgres') ? [['postgres', 'native'], ['postgres', 'kysely']] : []),
] as Array<['sqlite' | 'postgres', 'native' | 'kysely']>;
describe.each(variants)('ledger on %s with %s statements', (backend, ledgerStatements) => {
let t: TestEngine;
let wallets: WalletView[];
let run = 0;

beforeAll(async () => {
  t = await startUnlockedEngine({ backend, ledgerStatements });
  wallets = [];
  for (const label of ['A', 'B', 'C']) wallets.push(await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label }));
});
afterAll(() => t.dispose());

it('keeps every invariant through random sequences, and retries change nothing', async () => {
  const ledger = t.engine.services.ledger;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      run += 1;
      const made: TransferRequest[] = [];
      const holds: number[] = [];
      const posted: number[] = [];
      const account = (w: number, a: number) => ({ kind: 'client_wallet' as const, assetId: ASSETS[a]!, walletId: wallets[w]!.id });
      for (const [i, s] of steps.entries()) {
        const key = `p${run}-${i}`;
        try {
          if (s.op === 'credit' || s.op === 'transfer' || s.op === 'hold') {
            const request: TransferRequest =
              s.op === 'credit'
                ? { idempotencyKey: key, debit: { kind: 'uncovered_credit', assetId: ASSETS[s.asset]! }, credit: account(s.wallet, s.asset), amount: s.amount, code: 'company_credit' }
                : s.op === 'transfer'
                  ? { idempotencyKey: key, debit: account(s.from, s.asset), credit: account(s.to, s.asset), amount: s.amount, code: 'internal_transfer' }
                  : { idempotencyKey: key, kind: 'pending', debit: account(s.wallet, s.asset), credit: { kind: 'holding', assetId: ASSETS[s.asset]! }, amount: s.amount, code: 'withdrawal' };
            const outcome = await ledger.transfer(request);
            made.push(request);
            (s.op === 'hold' ? holds : posted).push(outcome.transfer.id);
          } else if (s.op === 'post' || s.op === 'void') {
            if (holds.length === 0) continue;
            const id = holds[s.pick % holds.length]!;
            await (s.op === 'post' ? ledger.post(id, `${key}-${s.op}`) : ledger.void(id, `${key}-${s.op}`));
          } else if (s.op === 'reverse') {
            if (posted.length === 0) continue;
            await ledger.reverse(posted[s.pick % posted.length]!, { idempotencyKey: key, code: 'correction', memo: 'property test' });
          } else {
            if (made.length === 0) continue;
            const before = await snapshotRows(t.engine);
            const again = await ledger.transfer(made[s.pick % made.length]!);
            expect(again.replayed).toBe(true);
            expect(await snapshotRows(t.engine)).toBe(before);
          }
        } catch (error) {
          // Refusals are expected (short balance, same account, hold already settled, reversal overdrawing
          // a client); they must be typed and must leave the invariants intact, which is checked below.
          expect(error).toBeInstanceOf(DomainError);
          expect(['insufficient_funds', 'validation', 'conflict']).toContain((error as DomainError).code);
        }
        expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
      }
    }),
    { numRuns: 40 },
  );
});
});
