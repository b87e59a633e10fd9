import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItem, SearchResults } from '@shared/domain/activity';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { LEGAL_NAME } from '../clients/kyc-fixtures';
import { configureReceiving, rampClient, type RampClient } from '../ramps/ramp-fixtures';

/**
 * The activity feed and Ctrl+K's search on a real SQLite file: movements written by the engine's own services
 * (internal transfers, a credit request, an on-ramp) and deposit and sweep rows as the watcher and the sweeper
 * write them, on days a week apart, so date, type, chain, client and wallet filters and keyset paging all bite.
 */
let t: TestEngine;
let alice: RampClient;
let bob: WalletView;
let carol: WalletView;
let tron: WalletView;
const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
const DAYS = 12;
const day = (n: number) => `2026-11-${String(n + 1).padStart(2, '0')}`;
const depositHash = (n: number) => `0x5e5e${n.toString(16).padStart(2, '0')}${'5e'.repeat(29)}`;
const SWEEP_HASH = `0x${'c0ffee'.repeat(10)}cafe`;

async function insertDeposit(n: number, wallet: WalletView, assetId: string): Promise<void> {
  const at = `${day(n)}T10:00:00.000Z`;
  await t.engine.database.db
    .insertInto('deposits')
    .values({
      id: `dep-${n}`, profile: 'devnet', chain: wallet.chain, kind: 'client', wallet_id: wallet.id, asset_id: assetId, address: wallet.address,
      from_address: `0x${'12'.repeat(20)}`, amount: String(1_000_000 * (n + 1)), tx_hash: depositHash(n), log_index: 0, block_number: 100 + n,
      block_hash: `0x${'cd'.repeat(32)}`, state: 'confirmed', confirmations: 3, credit_round: 0, credit_transfer_id: null, sweep_id: null,
      seen_at: at, confirmed_at: at, updated_at: at,
    })
    .execute();
}

async function everyPage(filter: Record<string, unknown>, limit: number): Promise<{ items: ActivityItem[]; pages: number }> {
  const items: ActivityItem[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await ok<Page<ActivityItem>>('activity:list', { ...filter, cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  return { items, pages };
}

/** RFC 4180 lines of the export (no field of these fixtures holds a line break). */
function csvRows(csv: string): string[][] {
  return csv
    .trim()
    .split('\r\n')
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, -1));
}

beforeAll(async () => {
  t = await startUnlockedEngine();
  await configureReceiving(t);
  alice = await rampClient(t, 'polygon');
  const { wallets, transfers } = t.engine.services;
  bob = await wallets.create({ chain: 'polygon', label: 'Bob operations' });
  carol = await wallets.create({ chain: 'polygon', label: 'Carol payroll' });
  tron = await wallets.create({ chain: 'tron', label: 'Tron float' });
  // Deposits on twelve days: even days into Alice's wallet, odd days into Bob's; every third into Tron.
  for (let n = 0; n < DAYS; n++) {
    if (n % 3 === 2) await insertDeposit(n, tron, 'tron:USDT');
    else await insertDeposit(n, n % 2 === 0 ? alice.wallet : bob, 'polygon:USDT');
  }
  const sweptAt = `${day(5)}T12:00:00.000Z`;
  await t.engine.database.db
    .insertInto('sweeps')
    .values({
      id: 'sweep-1', profile: 'devnet', chain: 'polygon', wallet_id: bob.id, asset_id: 'polygon:USDT', from_address: bob.address, to_address: `0x${'77'.repeat(20)}`,
      amount: '4000000', excess: '0', state: 'confirmed', wait_reason: null, top_up_amount: null, attempts: 1, trigger: 'manual', operator: 'admin', error: null,
      created_at: sweptAt, updated_at: sweptAt, confirmed_at: sweptAt,
    })
    .execute();
  await t.engine.database.db
    .insertInto('sweep_txs')
    .values({
      id: 'stx-1', sweep_id: 'sweep-1', profile: 'devnet', chain: 'polygon', purpose: 'sweep', from_address: bob.address, to_address: `0x${'77'.repeat(20)}`,
      nonce: 0, value: '0', max_fee: '1', fee_bump_percent: 0, tx_hash: SWEEP_HASH, raw: '0x00', state: 'mined', fee_paid: '1', block_number: 120,
      created_at: sweptAt, updated_at: sweptAt,
    })
    .execute();
  // Today: an opening balance, two internal transfers Bob → Carol, a credit request for Alice, an on-ramp for Alice.
  await transfers.companyCredit({ idempotencyKey: 'open-bob', walletId: bob.id, assetId: 'polygon:USDT', amount: 10_000_000n, reason: 'opening balance' });
  for (const [i, amount] of ['1500000', '2500000'].entries()) {
    await ok('transfers:internal', { idempotencyKey: `bob-carol-${i}`, fromWalletId: bob.id, toWalletId: carol.id, assetId: 'polygon:USDT', amount });
  }
  await ok('transfers:companyCredit', { idempotencyKey: 'credit-alice-1', walletId: alice.wallet.id, assetId: 'polygon:USDT', amount: '750000', reason: 'goodwill after a delay' });
  await ok('ramps:onramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, assetId: 'polygon:USDT', currency: 'EUR', amount: '100000', rail: 'sepa' });
}, 120_000);

afterAll(async () => {
  await t?.dispose();
});

describe('activity feed', () => {
  it('lists every kind of movement across the wallets, newest first, with names instead of ids', async () => {
    const { items } = await everyPage({}, 500);
    expect(items.map((i) => i.type).sort()).toEqual(
      [...Array<string>(DAYS).fill('deposit'), 'sweep', 'internal_transfer', 'internal_transfer', 'credit', 'onramp'].sort(),
    );
    const ats = items.map((i) => i.at);
    expect(ats).toEqual([...ats].sort().reverse());
    const transfer = items.find((i) => i.type === 'internal_transfer')!;
    expect(transfer).toMatchObject({ walletLabel: 'Bob operations', counterpartyWalletLabel: 'Carol payroll', chain: 'polygon', status: 'posted' });
    expect(items.find((i) => i.type === 'credit')).toMatchObject({ clientName: LEGAL_NAME, amount: '750000', status: 'requested' });
    expect(items.find((i) => i.type === 'sweep')).toMatchObject({ txHash: SWEEP_HASH, walletLabel: 'Bob operations' });
    expect(items.find((i) => i.sourceId === 'dep-0')).toMatchObject({ clientName: LEGAL_NAME, walletLabel: alice.wallet.label, txHash: depositHash(0) });
  });

  const filters: Array<[string, () => Record<string, unknown>, (i: ActivityItem) => boolean]> = [
    ['a date range (whole days)', () => ({ from: day(3), to: day(6) }), (i) => i.at >= `${day(3)}T00` && i.at < `${day(7)}T00`],
    ['a type', () => ({ types: ['internal_transfer'] }), (i) => i.type === 'internal_transfer'],
    ['two types', () => ({ types: ['deposit', 'sweep'] }), (i) => i.type === 'deposit' || i.type === 'sweep'],
    ['a chain', () => ({ chain: 'tron' }), (i) => i.chain === 'tron'],
    ['an asset', () => ({ assetId: 'polygon:USDT' }), (i) => i.assetId === 'polygon:USDT'],
    ['a client', () => ({ clientId: alice.client.id }), (i) => i.clientId === alice.client.id],
    ['a wallet, either side of a transfer', () => ({ walletId: carol.id }), (i) => i.walletId === carol.id || i.counterpartyWalletId === carol.id],
    ['a wallet, a type and dates together', () => ({ walletId: bob.id, types: ['deposit'], from: day(0), to: day(6) }), (i) => i.walletId === bob.id && i.type === 'deposit' && i.at < `${day(7)}T00`],
  ];

  it.each(filters)('filters by %s: exactly the matching movements, and paging by 3 gives the same rows', async (_, filter, matches) => {
    const everything = (await everyPage({}, 500)).items;
    const expected = everything.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everything.length);
    const whole = await everyPage(filter(), 500);
    expect(whole.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    const paged = await everyPage(filter(), 3);
    expect(paged.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    expect(paged.pages).toBe(Math.ceil(expected.length / 3));
  });

  it('keyset paging: no row twice or missed, and a row added meanwhile does not shift the older pages', async () => {
    const first = await ok<Page<ActivityItem>>('activity:list', { types: ['deposit'], limit: 5 });
    await insertDeposit(DAYS, bob, 'polygon:USDT');
    const second = await ok<Page<ActivityItem>>('activity:list', { types: ['deposit'], cursor: first.nextCursor, limit: 500 });
    const ids = [...first.items, ...second.items].map((i) => i.sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(DAYS);
    expect(ids).not.toContain(`dep-${DAYS}`);
    await t.engine.database.db.deleteFrom('deposits').where('id', '=', `dep-${DAYS}`).execute();
  });

  it('exports the whole filtered view as CSV: the same rows in the same order, names and exact amounts', async () => {
    const filter = { chain: 'polygon', from: day(0) };
    const view = (await everyPage(filter, 4)).items;
    const file = await ok<{ fileName: string; csv: string; rows: number }>('activity:exportCsv', filter);
    const [header, ...rows] = csvRows(file.csv);
    expect(file.fileName).toMatch(/^treasury-devnet-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(header).toEqual(['network', 'date', 'type', 'client', 'wallet', 'to_wallet', 'chain', 'asset', 'amount', 'status', 'tx_hash', 'id']);
    expect(file.rows).toBe(view.length);
    expect(rows.map((r) => r[11])).toEqual(view.map((i) => i.id));
    expect(rows.every((r) => r[0] === 'devnet' && r[6] === 'Polygon' && r[7] === 'USDT')).toBe(true);
    const credit = rows.find((r) => r[2] === 'Manual credit')!;
    expect(credit.slice(3, 10)).toEqual([LEGAL_NAME, alice.wallet.label, '', 'Polygon', 'USDT', '0.75', 'requested']);
    expect(rows.find((r) => r[11] === 'deposit:dep-1')!.slice(8, 11)).toEqual(['2', 'confirmed', depositHash(1)]);
  });

  it('refuses a bad date or cursor with a typed error', async () => {
    for (const [payload, code] of [
      [{ from: 'yesterday' }, 'validation'],
      [{ cursor: 'not-a-cursor' }, 'validation'],
      [{ types: ['payment'] }, 'validation'],
    ] as const) {
      expect(await t.engine.api.call('activity:list', { ...payload, limit: 5 }, { door: 'test' })).toMatchObject({ ok: false, error: { code } });
    }
  });
});

describe('Ctrl+K search', () => {
  const search = (text: string) => ok<SearchResults>('activity:search', { text });

  it('finds a client by part of the name, whose name is sealed in the database', async () => {
    const row = await t.engine.database.db.selectFrom('clients').select('legal_name').where('id', '=', alice.client.id).executeTakeFirstOrThrow();
    expect(row.legal_name).not.toContain('García');
    for (const text of ['garcía', 'Garc', 'juan carlos']) {
      expect((await search(text)).clients.map((c) => c.name), text).toEqual([LEGAL_NAME]);
    }
    expect((await search('Zebedee')).clients).toEqual([]);
  });

  it('finds wallets by alias and by address', async () => {
    expect((await search('payroll')).wallets).toEqual([expect.objectContaining({ walletId: carol.id, label: 'Carol payroll', matched: 'alias' })]);
    const byAddress = await search(tron.address.slice(3, 15));
    expect(byAddress.wallets).toEqual([expect.objectContaining({ walletId: tron.id, matched: 'address' })]);
  });

  it('finds a deposit by a hash prefix (with or without 0x) and by id, and a sweep by its transaction', async () => {
    const prefix = depositHash(7).slice(0, 10);
    for (const text of [prefix, prefix.slice(2), prefix.toUpperCase().replace('0X', '0x')]) {
      const hits = (await search(text)).transactions;
      expect(hits.map((h) => h.id), text).toEqual(['dep-7']);
      expect(hits[0]).toMatchObject({ type: 'deposit', txHash: depositHash(7), walletLabel: bob.label, assetId: 'polygon:USDT', amount: '8000000' });
    }
    expect((await search('dep-4')).transactions.map((h) => h.id)).toEqual(['dep-4']);
    expect((await search(SWEEP_HASH.slice(0, 12))).transactions).toEqual([expect.objectContaining({ type: 'sweep', id: 'sweep-1', txHash: SWEEP_HASH })]);
  });

  it('answers a few of each, and takes a LIKE wildcard as the character it is', async () => {
    // Every deposit's hash starts 0x5e5e: six of them, the newest.
    expect((await search('0x5e5e')).transactions.map((h) => h.id)).toEqual(['dep-11', 'dep-10', 'dep-9', 'dep-8', 'dep-7', 'dep-6']);
    expect((await search('%%')).wallets).toEqual([]);
    expect((await search('__')).wallets).toEqual([]);
    // Fewer than four hex digits would match nearly every transaction: no hash search then.
    expect((await search('0x5')).transactions).toEqual([]);
  });
});
