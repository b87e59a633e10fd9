import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { TransferReceipt } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { DomainError } from '@shared/result';
import { BACKENDS } from '@test/backends';
import { creditWallet } from '@test/controls';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

const ASSET = 'polygon:USDT';

/**
 * Concurrent internal transfers share transactions (group commit), and each request keeps its own result:
 * a refusal among them (insufficient funds, an idempotency key reused with other content) fails nobody else,
 * a retry with the same content is answered with the first result, and the books and the audit chain hold.
 */
describe.each(BACKENDS)('group commit of concurrent ledger writes (%s)', (backend) => {
  let t: TestEngine;
  let a: WalletView;
  let b: WalletView;

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    a = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'A' });
    b = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'B' });
    await creditWallet(t, { idempotencyKey: 'fund-wallet-a', walletId: a.id, assetId: ASSET, amount: '1000', reason: 'test balance' });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const transfer = (key: string, amount: string, from = a, to = b) =>
    t.engine.api.call('transfers:internal', { idempotencyKey: key, fromWalletId: from.id, toWalletId: to.id, assetId: ASSET, amount }, { door: 'test' });
  const balance = async (w: WalletView) => (await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: w.id })).posted;

  it('sixteen at once: one group or a few, every refusal its own, the rest booked once', async () => {
    const before = { ...t.engine.services.ledger.group.stats };
    const requests = [
      ...Array.from({ length: 12 }, (_, i) => transfer(`group-key-${i}`, '10')),
      transfer('group-too-much', '5000'),
      transfer('group-key-3', '10'), // the same key and content as one above: answered with its result
      transfer('group-key-4', '11'), // the same key, other content: refused
      transfer('group-back', '1', b, a),
    ];
    const results = await Promise.all(requests);
    const stats = t.engine.services.ledger.group.stats;
    expect(stats.largest).toBeGreaterThan(1);
    expect(stats.writes - before.writes).toBe(16);
    expect(stats.groups - before.groups).toBeLessThan(16);

    // Requests reach the ledger in whatever order their reads finish: the pairs sharing a key are checked either way round.
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('ok'));
    expect(codes.slice(5, 12)).toEqual(Array(7).fill('ok'));
    expect(codes[12]).toBe('insufficient_funds');
    expect(codes[13]).toBe('ok');
    expect([codes[4], codes[14]].sort()).toEqual(['idempotency_conflict', 'ok']);
    expect(codes[15]).toBe('ok');
    const receipts = results.map((r) => (r.ok ? (r.data as TransferReceipt) : null));
    expect(receipts[13]!.transferId).toBe(receipts[3]!.transferId);
    expect([receipts[3]!.replayed, receipts[13]!.replayed].sort()).toEqual([false, true]);
    const booked = new Map(receipts.slice(0, 15).filter((r) => r !== null).map((r) => [r!.transferId, BigInt(r!.amount)]));
    expect(booked.size).toBe(12);
    const out = [...booked.values()].reduce((x, y) => x + y, 0n);
    expect(await balance(a)).toBe(String(1000n - out + 1n));
    expect(await balance(b)).toBe(String(out - 1n));
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
    expect((await t.engine.services.audit.verify()).ok).toBe(true);
    // Each booked transfer has its journal record; the refused ones left none.
    const journal = await t.engine.database.db.selectFrom('audit_log').select('change').where('action', 'like', 'ledger.%').execute();
    const keys = journal.map((r) => (JSON.parse(r.change) as { idempotencyKey: string }).idempotencyKey).filter((k) => k.startsWith('group-'));
    expect(keys.sort()).toEqual([...Array.from({ length: 12 }, (_, i) => `group-key-${i}`), 'group-back'].sort());

  });

  it.runIf(backend === 'postgres')('on PostgreSQL a group reads its accounts once, with its BEGIN, not once per write', async () => {
    // Every statement the pool's clients send (PipelinedClient sends each through pg.Client's query).
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text) sent.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const before = { ...t.engine.services.ledger.group.stats };
    const received = BigInt(await balance(b));
    let results;
    try {
      results = await Promise.all(Array.from({ length: 16 }, (_, i) => transfer(`read-ahead-${i}`, '1')));
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(results.every((r) => r.ok)).toBe(true);
    const groups = t.engine.services.ledger.group.stats.groups - before.groups;
    expect(groups).toBeLessThan(16);
    const accountReads = sent.filter((text) => /from "ledger_accounts" where "code" in/.test(text)).length;
    const headReads = sent.filter((text) => /from "audit_log" order by "seq" desc/.test(text)).length;
    expect(accountReads).toBe(groups);
    expect(headReads).toBe(groups);
    expect(sent.filter((text) => /^begin/.test(text))).toHaveLength(groups);
    // Every write still booked once, each with its own journal record, in one unbroken chain.
    expect(await balance(b)).toBe(String(received + 16n));
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
    expect((await t.engine.services.audit.verify()).ok).toBe(true);
  });
  // Riders are PostgreSQL's: SQLite's group runs as one synchronous transaction, which an async write cannot join.
  it.skipIf(backend !== 'postgres')('bookkeeping riders share the ledger writes\' transaction; a rider refused fails alone', async () => {
    const group = t.engine.services.ledger.group;
    const db = t.engine.database.db;
    const record = (key: string) =>
      group.riders.submit(async (ex) => {
        if (key === 'refused') throw new DomainError('conflict', 'refused rider');
        await ex.insertInto('idempotency_records').values({ scope: 'riders', key, request_hash: 'h', state: 'running', status: null, response: null, created_at: new Date().toISOString(), completed_at: null, lease_until: null }).execute();
        return key;
      });
    const before = { ...group.stats };
    const results = await Promise.allSettled([transfer('rider-move-1', '1'), record('r1'), record('refused'), record('r2'), transfer('rider-move-2', '1')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    expect(results.slice(0, 2).concat(results.slice(3)).every((r) => r.status === 'fulfilled' && (typeof r.value === 'string' || r.value.ok))).toBe(true);
    // Five writes, fewer transactions: the riders committed with the transfers.
    expect(group.stats.writes - before.writes).toBe(5);
    expect(group.stats.groups - before.groups).toBeLessThan(5);
    const keys = (await db.selectFrom('idempotency_records').select('key').where('scope', '=', 'riders').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['r1', 'r2']);
    expect(await checkLedgerInvariants(db)).toEqual([]);
    expect((await t.engine.services.audit.verify()).ok).toBe(true);
  });
});
