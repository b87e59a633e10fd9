import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { BACKENDS } from '@test/backends';
import { creditWallet } from '@test/controls';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { apiCall, makeKey, startTestApi } from '@test/api-client';
import type { RunningApi } from '../../../electron/host/api/api-server';

const ASSET = 'polygon:USDT';
const CLIENTS = 16;

/**
 * Sixteen integrations moving funds to our own wallets at once over /v1: their calls' bookkeeping (idempotency
 * records, audit records of the calls, keys' last use) shares transactions, and still every call that moved
 * money has its audit record and its idempotency record done by the time it is answered, and a repeat gets
 * the first answer.
 */
describe.each(BACKENDS)('concurrent /v1 internal transfers share commits (%s)', (backend) => {
  let t: TestEngine;
  let api: RunningApi;
  const keys: Array<{ id: string; secret: string }> = [];
  const pairs: Array<[WalletView, WalletView]> = [];

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    api = await startTestApi(t.engine);
    for (let i = 0; i < CLIENTS; i++) {
      const a = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: `from ${i}` });
      const b = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: `to ${i}` });
      await creditWallet(t, { idempotencyKey: `fund-wallet-${i}`, walletId: a.id, assetId: ASSET, amount: '100000000', reason: 'test balance' });
      pairs.push([a, b]);
      const made = await makeKey(t.engine, `integration-${i}`, { rateLimitPerMinute: 10_000 });
      keys.push({ id: made.key.id, secret: made.secret });
    }
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await t?.dispose();
  });

  const send = (i: number, idem: string, amount = '1.5') =>
    apiCall(api, 'POST', `/v1/virtual-wallets/${pairs[i]![0].id}/withdraw`, {
      key: keys[i]!.secret,
      body: { toWalletAddress: pairs[i]![1].address, assetId: ASSET, amount },
      headers: { 'Idempotency-Key': idem },
    });

  it('answers each call once its records committed, in shared transactions', async () => {
    const db = t.engine.database.db;
    const before = { ...t.engine.services.apiWrites.stats };
    const auditedBefore = (await db.selectFrom('audit_log').select('seq').where('action', '=', 'api.call').execute()).length;
    // One of them asks for more than its wallet holds: refused alone, the others go through.
    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => send(i, `move-${i}`, i === 7 ? '1000' : '1.5')));
    expect(answers.map((a) => a.status >= 200 && a.status < 300)).toEqual(Array.from({ length: CLIENTS }, (_, i) => i !== 7));
    expect(answers[7]!.body).toMatchObject({ ok: false, error: { code: 'insufficient_funds' } });

    const stats = t.engine.services.apiWrites.stats;
    expect(stats.largest).toBeGreaterThan(1);
    expect(stats.groups - before.groups).toBeLessThan(stats.writes - before.writes);

    // Every call is audited with its key and status, and every record is done with the answer given.
    const audited = await db.selectFrom('audit_log').select(['entity_id', 'change']).where('action', '=', 'api.call').orderBy('seq').execute();
    expect(audited.length - auditedBefore).toBe(CLIENTS);
    const byKey = new Map(audited.slice(auditedBefore).map((r) => [r.entity_id, JSON.parse(r.change) as { status: number }]));
    keys.forEach((k, i) => expect(byKey.get(k.id)?.status).toBe(answers[i]!.status));
    const records = await db.selectFrom('idempotency_records').select(['scope', 'state', 'status', 'response']).where('key', 'like', 'move-%').execute();
    expect(records).toHaveLength(CLIENTS);
    for (const record of records) {
      const i = keys.findIndex((k) => `api:${k.id}` === record.scope);
      expect(record).toMatchObject({ state: 'done', status: answers[i]!.status });
      expect(JSON.parse(record.response!)).toEqual(answers[i]!.body);
    }

    // A repeat is answered with the first answer and moves nothing again.
    const balance = async (w: WalletView) => (await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: w.id })).posted;
    const held = await balance(pairs[0]![0]);
    const again = await send(0, 'move-0');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(answers[0]!.body);
    expect(await balance(pairs[0]![0])).toBe(held);

    expect(await checkLedgerInvariants(db)).toEqual([]);
    expect((await t.engine.services.audit.verify()).ok).toBe(true);
  });
});
