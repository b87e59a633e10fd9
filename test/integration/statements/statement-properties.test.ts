import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, type TransferRequest } from '@engine/ledger/ledger';
import { KyselyLedgerStatements } from '@engine/ledger/ledger-statements';
import { auditJournal } from '@engine/ledger/journal';
import type { Statement } from '@shared/domain/statements';
import type { WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import { BACKENDS } from '@test/backends';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * A statement against the ledger it reads: over random histories (credits, deposits, transfers among the
 * client's two wallets and a stranger's, holds posted or voided, reversals, at random times), the opening
 * and closing balances of any period are the ledger's own materialized balances at the period's bounds, the
 * movements add up from one to the other, and the amount still held is the ledger's pending at the end.
 */
const ASSETS = ['polygon:USDT', 'polygon:POL'];
const HOUR = 3_600_000;
const EPOCH = Date.parse('2026-03-01T00:00:00.000Z');

type Step =
  | { op: 'credit' | 'deposit'; wallet: number; asset: number; amount: bigint; after: number }
  | { op: 'transfer'; from: number; to: number; asset: number; amount: bigint; after: number }
  | { op: 'hold'; wallet: number; asset: number; amount: bigint; after: number }
  | { op: 'post' | 'void' | 'reverse'; pick: number; after: number };

// Money in is larger than money out, so most transfers and holds find the balance they need.
const amount = fc.oneof(fc.bigInt({ min: 1_000n, max: 5_000n }), fc.bigInt({ min: 1n, max: 10n ** 24n }));
const spend = fc.bigInt({ min: 1n, max: 1_500n });
const after = fc.integer({ min: 0, max: 60 }); // hours since the step before
const wallet = fc.nat({ max: 2 }); // 0 and 1 are the client's, 2 a stranger's
const asset = fc.nat({ max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom('credit' as const, 'deposit' as const), wallet, asset, amount, after }),
  fc.record({ op: fc.constant('transfer' as const), from: wallet, to: wallet, asset, amount: spend, after }),
  fc.record({ op: fc.constant('hold' as const), wallet, asset, amount: spend, after }),
  fc.record({ op: fc.constantFrom('post' as const, 'void' as const, 'reverse' as const), pick: fc.nat(), after }),
);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe.each(BACKENDS)('statements on %s', (backend) => {
let t: TestEngine;
let stranger: WalletView;
let run = 0;

beforeAll(async () => {
  t = await startUnlockedEngine({ backend });
  stranger = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Stranger' });
});
afterAll(() => t.dispose());

it('opening + movements = closing, equal to the ledger at the bounds of any period', async () => {
  const { db } = t.engine.database;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.nat({ max: 40 }), fc.nat({ max: 20 }), async (steps, startDay, length) => {
      run += 1;
      const client = await callOk<{ id: string }>(t.engine, 'clients:create', { legalName: `Client ${run}` });
      const mine: WalletView[] = [];
      for (const label of [`Main ${run}`, `Savings ${run}`]) {
        const w = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label });
        await callOk(t.engine, 'clients:wallets:associate', { clientId: client.id, walletId: w.id });
        mine.push(w);
      }
      const wallets = [...mine, stranger];
      let now = EPOCH;
      const ledger = new Ledger(db, new KyselyLedgerStatements(), auditJournal(t.engine.services.audit), () => new Date(now).toISOString());
      const from = day(EPOCH + startDay * 24 * HOUR);
      const to = day(EPOCH + (startDay + length) * 24 * HOUR);
      const start = Date.parse(`${from}T00:00:00.000Z`);
      const end = Date.parse(`${to}T00:00:00.000Z`) + 24 * HOUR;

      // The ledger's own balances of the client's accounts, read when the clock crosses each bound.
      const read = async () => {
        const out = new Map<string, { posted: bigint; pending: bigint }>();
        for (const assetId of ASSETS) {
          let posted = 0n;
          let pending = 0n;
          for (const w of mine) {
            const b = await ledger.balance({ kind: 'client_wallet', assetId, walletId: w.id });
            posted += BigInt(b.posted);
            pending += BigInt(b.pending);
          }
          out.set(assetId, { posted, pending });
        }
        return out;
      };
      let atStart: Map<string, { posted: bigint; pending: bigint }> | null = null;
      let atEnd: Map<string, { posted: bigint; pending: bigint }> | null = null;
      const holds: number[] = [];
      const reversible: number[] = [];
      let movementsInPeriod = 0;
      const account = (w: number, a: number) => ({ kind: 'client_wallet' as const, assetId: ASSETS[a]!, walletId: wallets[w]!.id });
      const touchesClient = (...indexes: number[]) => indexes.filter((i) => i < 2).length;

      for (const [i, s] of steps.entries()) {
        const next = now + s.after * HOUR + 1;
        if (atStart === null && next >= start) atStart = await read();
        if (atEnd === null && next >= end) atEnd = await read();
        now = next;
        const key = `s${run}-${i}`;
        try {
          if (s.op === 'credit' || s.op === 'deposit' || s.op === 'transfer' || s.op === 'hold') {
            const request: TransferRequest =
              s.op === 'credit'
                ? { idempotencyKey: key, debit: { kind: 'uncovered_credit', assetId: ASSETS[s.asset]! }, credit: account(s.wallet, s.asset), amount: s.amount, code: 'company_credit', memo: 'goodwill' }
                : s.op === 'deposit'
                  ? { idempotencyKey: key, debit: { kind: 'deposit_in_transit', assetId: ASSETS[s.asset]!, walletId: wallets[s.wallet]!.id }, credit: account(s.wallet, s.asset), amount: s.amount, code: 'deposit' }
                  : s.op === 'transfer'
                    ? { idempotencyKey: key, debit: account(s.from, s.asset), credit: account(s.to, s.asset), amount: s.amount, code: 'internal_transfer' }
                    : { idempotencyKey: key, kind: 'pending', debit: account(s.wallet, s.asset), credit: { kind: 'holding', assetId: ASSETS[s.asset]! }, amount: s.amount, code: 'withdrawal' };
            if (s.op === 'transfer' && s.from === s.to) continue;
            const outcome = await ledger.transfer(request);
            if (s.op === 'hold') holds.push(outcome.transfer.id);
            else {
              reversible.push(outcome.transfer.id);
              if (now >= start && now < end) movementsInPeriod += s.op === 'transfer' ? touchesClient(s.from, s.to) : touchesClient(s.wallet);
            }
          } else if (s.op === 'post' || s.op === 'void') {
            if (holds.length === 0) continue;
            const id = holds.splice(s.pick % holds.length, 1)[0]!;
            const held = await db.selectFrom('ledger_transfers').select('debit_account_id').where('id', '=', id).executeTakeFirstOrThrow();
            const outcome = await (s.op === 'post' ? ledger.post(id, `${key}-post`) : ledger.void(id, `${key}-void`));
            if (s.op === 'post') {
              reversible.push(outcome.transfer.id);
              const mineAccount = await db.selectFrom('ledger_accounts').select('wallet_id').where('id', '=', held.debit_account_id).executeTakeFirstOrThrow();
              if (now >= start && now < end && mine.some((w) => w.id === mineAccount.wallet_id)) movementsInPeriod += 1;
            }
          } else if (s.op === 'reverse') {
            if (reversible.length === 0) continue;
            const id = reversible.splice(s.pick % reversible.length, 1)[0]!;
            const outcome = await ledger.reverse(id, { idempotencyKey: `${key}-rev`, code: 'correction', memo: 'entered in error' });
            const row = await db.selectFrom('ledger_transfers as t').innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id').innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id').select(['d.wallet_id as dw', 'd.kind as dk', 'c.wallet_id as cw', 'c.kind as ck']).where('t.id', '=', outcome.transfer.id).executeTakeFirstOrThrow();
            const sides = [[row.dw, row.dk], [row.cw, row.ck]].filter(([w, kind]) => kind === 'client_wallet' && mine.some((m) => m.id === w));
            if (now >= start && now < end) movementsInPeriod += sides.length;
          }
        } catch (error) {
          // A refused step (not enough balance) changes nothing; the history goes on without it.
          if (!(error instanceof DomainError)) throw error;
        }
      }
      atStart ??= await read();
      atEnd ??= await read();

      const statement = await callOk<Statement>(t.engine, 'statements:get', { clientId: client.id, from, to });
      expect(statement.from).toBe(from);
      let listed = 0;
      for (const assetId of ASSETS) {
        const section = statement.assets.find((a) => a.assetId === assetId);
        const opening = section ? BigInt(section.opening) : 0n;
        const closing = section ? BigInt(section.closing) : 0n;
        expect(opening).toBe(atStart.get(assetId)!.posted);
        expect(closing).toBe(atEnd.get(assetId)!.posted);
        expect(section ? BigInt(section.heldAtClose) : 0n).toBe(-atEnd.get(assetId)!.pending);
        if (!section) continue;
        let balance = opening;
        for (const m of section.movements) {
          expect(m.at >= `${from}T00:00:00.000Z` && m.at < new Date(end).toISOString()).toBe(true);
          balance += m.direction === 'in' ? BigInt(m.amount) : -BigInt(m.amount);
          expect(BigInt(m.balanceAfter)).toBe(balance);
        }
        expect(balance).toBe(closing);
        expect(opening + BigInt(section.totalIn) - BigInt(section.totalOut)).toBe(closing);
        listed += section.movements.length;
      }
      expect(listed).toBe(movementsInPeriod);
    }),
    { numRuns: 60 },
  );
}, 240_000);
});
