import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PriceBook, SnapshotTaken } from '@shared/domain/valuation';
import { callOk, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * The HTTP price feed against a server of the test's own: a good answer recorded as the feed's prices at the
 * feed's time; every bad answer (and no answer) refused with its typed code, and nothing recorded.
 */
type Answer = { status: number; body: string; headers?: Record<string, string> };
let answer: Answer;
let server: Server;
let url: string;
let t: TestEngine;
const requests: string[] = [];

const feed = (content: unknown): Answer => ({ status: 200, body: JSON.stringify(content) });
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const GOOD = {
  format: 'treasury-prices/1',
  asOf: minutesAgo(10),
  prices: {
    'polygon:USDT': { USD: '1.0001', EUR: '0.9412', MXN: '17.0512', BRL: '5.3011', ARS: '1012.5' },
    'tron:TRX': { USD: '0.2561', JPY: '39.9' },
    'polygon:NOTOURS': { USD: '3' },
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prices.json`;
  t = await startUnlockedEngine();
});
afterAll(async () => {
  await t.dispose();
  await new Promise((resolve) => server.close(resolve));
});

describe('the price feed', () => {
  it('is a setting of its own: the source and the URL, audited', async () => {
    expect(await t.engine.api.call('valuation:updateSettings', { source: 'feed', feedUrl: null }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await t.engine.api.call('valuation:updateSettings', { source: 'feed', feedUrl: 'file:///etc/passwd' }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    const book = await callOk<PriceBook>(t.engine, 'valuation:updateSettings', { source: 'feed', feedUrl: url });
    expect(book.settings).toEqual({ source: 'feed', feedUrl: url });
    const record = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'valuation.settings_changed').executeTakeFirstOrThrow();
    expect(JSON.parse(record.change)).toEqual({ before: { source: 'manual', feedUrl: null }, after: { source: 'feed', feedUrl: url } });
  });

  it('records a good answer as the feed\'s prices at the feed\'s time, skipping assets and currencies it does not know', async () => {
    answer = feed(GOOD);
    const book = await callOk<PriceBook>(t.engine, 'valuation:refreshFeed', {});
    expect(book.prices.map((p) => `${p.assetId} ${p.currency} ${p.rate}`).sort()).toEqual([
      'polygon:USDT ARS 1012.5',
      'polygon:USDT BRL 5.3011',
      'polygon:USDT EUR 0.9412',
      'polygon:USDT MXN 17.0512',
      'polygon:USDT USD 1.0001',
      'tron:TRX USD 0.2561',
    ]);
    expect(book.prices.every((p) => p.source === 'feed' && p.asOf === new Date(GOOD.asOf).toISOString())).toBe(true);
    expect(book.feedReadAt).not.toBeNull();
    const record = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'valuation.feed_read').executeTakeFirstOrThrow();
    expect(JSON.parse(record.change)).toMatchObject({ feedUrl: url, asOf: new Date(GOOD.asOf).toISOString() });
    // The same answer read again adds nothing.
    const rows = await snapshotRows(t.engine);
    await callOk(t.engine, 'valuation:refreshFeed', {});
    expect(await snapshotRows(t.engine)).toBe(rows);
  });

  const bad: Array<[string, Answer | null, string]> = [
    ['an answer that is not JSON', { status: 200, body: '<html>rate limited</html>' }, 'price_feed_invalid'],
    ['a price as a JSON number (a float)', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:USDT': { USD: 1.0 } } }), 'price_feed_invalid'],
    ['a negative price', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:USDT': { USD: '-1.0' } } }), 'price_feed_invalid'],
    ['a zero price', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:USDT': { USD: '0' } } }), 'price_feed_invalid'],
    ['a price in exponent form', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:USDT': { USD: '1e0' } } }), 'price_feed_invalid'],
    ['one bad price among good ones', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:USDT': { USD: '1.0', EUR: 'n/a' } } }), 'price_feed_invalid'],
    ['another format', feed({ ...GOOD, format: 'coingecko/3' }), 'price_feed_invalid'],
    ['a field it does not know', feed({ ...GOOD, asOf: minutesAgo(1), base: 'USD' }), 'price_feed_invalid'],
    ['a time without its zone', feed({ ...GOOD, asOf: '2026-12-03T12:00:00' }), 'price_feed_invalid'],
    ['prices dated tomorrow', feed({ ...GOOD, asOf: new Date(Date.now() + 86_400_000).toISOString() }), 'price_feed_invalid'],
    ['no price for any asset of this workspace', feed({ ...GOOD, asOf: minutesAgo(1), prices: { 'polygon:NOTOURS': { USD: '1' } } }), 'price_feed_invalid'],
    ['an answer past 1 MiB', { status: 200, body: `{"format":"treasury-prices/1","pad":"${'x'.repeat(1_100_000)}"}` }, 'price_feed_invalid'],
    ['a server error', { status: 500, body: 'oops' }, 'price_feed_unavailable'],
    ['a redirect elsewhere', { status: 302, body: '', headers: { location: 'http://127.0.0.1:9/elsewhere' } }, 'price_feed_unavailable'],
    ['no server at all', null, 'price_feed_unavailable'],
  ];
  it.each(bad)('refuses %s with a typed error and records nothing', async (_name, reply, code) => {
    if (reply) answer = reply;
    else await callOk(t.engine, 'valuation:updateSettings', { source: 'feed', feedUrl: 'http://127.0.0.1:9/prices.json' });
    const before = await snapshotRows(t.engine);
    const result = await t.engine.api.call('valuation:refreshFeed', {}, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code } });
    if (!result.ok) expect(result.error.message).toMatch(/No prices were recorded|no prices were recorded/);
    expect(await snapshotRows(t.engine)).toBe(before);
    if (!reply) await callOk(t.engine, 'valuation:updateSettings', { source: 'feed', feedUrl: url });
  });

  it('is read before the daily snapshot when it is the source', async () => {
    answer = feed({ ...GOOD, asOf: minutesAgo(2), prices: { 'polygon:USDT': { USD: '0.9998' } } });
    const taken = (await t.engine.services.valuation.daily()) as SnapshotTaken | null;
    expect(taken?.day).toBe(new Date().toISOString().slice(0, 10));
    const book = await callOk<PriceBook>(t.engine, 'valuation:prices', {});
    expect(book.prices.find((p) => p.assetId === 'polygon:USDT' && p.currency === 'USD')!.rate).toBe('0.9998');
  });
});
