import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUnlockedEngine, type TestEngine } from '@test/engine';
import { apiCall, makeKey, signInAdmin, startTestApi } from '@test/api-client';
import type { RunningApi } from '../../../electron/host/api/api-server';

/**
 * The wallet lifecycle, statements and alerts over /v1: rename and close a wallet (a closed one moves nothing,
 * one with money in it cannot close), a client's statement as JSON and as issued CSV/PDF files whose hash the
 * books record, and the alert list; each refused to a key without its scope.
 */
const TX = `0x${'cd34'.repeat(16)}`;
let t: TestEngine;
let api: RunningApi;
let key: string;
let readOnly: string;
let clientId: string;
let funded: string;

const call = (method: string, path: string, body?: unknown, as = key) => apiCall(api, method, path, { key: as, ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  t = await startUnlockedEngine({});
  api = await startTestApi(t.engine);
  const admin = await signInAdmin(t.door);
  key = (await makeKey(t.engine, 'backend', {}, admin)).secret;
  readOnly = (await makeKey(t.engine, 'reader', { scopes: ['read'] }, admin)).secret;
  clientId = (await call('POST', '/v1/clients', { legalName: 'Statement Client' })).body.id;
  funded = (await call('POST', '/v1/virtual-wallets', { alias: 'Main', blockchain: 'polygon' })).body.id;
  expect((await call('PATCH', `/v1/virtual-wallets/${funded}/client/${clientId}`)).status).toBe(200);
  // The watcher's own path for a confirmed deposit.
  await t.engine.services.transfers.creditDeposit({ chain: 'polygon', txHash: TX, logIndex: 0, walletId: funded, assetId: 'polygon:POL', amount: 2_500_000_000_000_000_000n, depositId: 'dep-api-1' });
}, 60_000);
afterAll(async () => {
  await api?.close();
  await t?.dispose();
});

describe('wallet lifecycle', () => {
  it('renames a wallet; its address stays; a read-only key is refused', async () => {
    const before = (await call('GET', `/v1/virtual-wallets/${funded}`)).body;
    const renamed = await call('PATCH', `/v1/virtual-wallets/${funded}`, { alias: 'Main (EUR desk)' });
    expect(renamed).toMatchObject({ status: 200, body: { id: funded, alias: 'Main (EUR desk)', walletAddress: before.walletAddress } });
    const audit = await t.engine.database.db.selectFrom('audit_log').select(['action', 'change', 'operator']).where('entity_id', '=', funded).where('action', '=', 'wallet.renamed').executeTakeFirstOrThrow();
    expect(audit.operator).toBe('api:backend');
    expect(JSON.parse(audit.change)).toEqual({ from: 'Main', to: 'Main (EUR desk)' });
    expect((await call('PATCH', `/v1/virtual-wallets/${funded}`, { alias: 'Nope' }, readOnly)).status).toBe(403);
    expect((await call('PATCH', `/v1/virtual-wallets/${funded}`, { alias: '' })).status).toBe(400);
    expect((await call('GET', `/v1/virtual-wallets/${funded}`)).body.alias).toBe('Main (EUR desk)');
  });

  it('closes an empty wallet for good, and refuses to close one holding money', async () => {
    const held = await call('POST', `/v1/virtual-wallets/${funded}/close`);
    expect(held).toMatchObject({ status: 409, body: { ok: false, error: { code: 'wallet_not_empty' } } });
    expect(held.body.error.message).toContain('2.5 POL');
    expect((await call('GET', `/v1/virtual-wallets/${funded}`)).body.status).toBe('active');

    const spare = (await call('POST', '/v1/virtual-wallets', { alias: 'Spare', blockchain: 'tron' })).body.id;
    expect((await call('POST', `/v1/virtual-wallets/${spare}/close`, undefined, readOnly)).status).toBe(403);
    const closed = await call('POST', `/v1/virtual-wallets/${spare}/close`);
    expect(closed).toMatchObject({ status: 200, body: { id: spare, status: 'closed', enabled: false } });
    // closed is final
    expect((await call('PATCH', `/v1/virtual-wallets/${spare}/set-enabled`, { enabled: true })).status).toBe(409);
    expect((await call('GET', '/v1/virtual-wallets?status=closed')).body.items.map((w: { id: string }) => w.id)).toEqual([spare]);
  });
});

describe('client statements', () => {
  const today = new Date().toISOString().slice(0, 10);

  it('answers the period\'s content with decimal amounts beside base units', async () => {
    const answer = await call('GET', `/v1/clients/${clientId}/statements?from=2020-01-01&to=${today}`, undefined, readOnly);
    expect(answer.status).toBe(200);
    const pol = answer.body.assets.find((a: { assetId: string }) => a.assetId === 'polygon:POL');
    expect(pol).toMatchObject({ blockchain: 'polygon', opening: '0', closing: '2.5', closingBaseUnits: '2500000000000000000', totalIn: '2.5' });
    expect(pol.movements).toEqual([
      expect.objectContaining({ kind: 'deposit', direction: 'in', amount: '2.5', amountBaseUnits: '2500000000000000000', balanceAfter: '2.5', transactionHash: TX, walletAlias: 'Main (EUR desk)' }),
    ]);
    // a period before the deposit: nothing moved
    const earlier = await call('GET', `/v1/clients/${clientId}/statements?from=2020-01-01&to=2020-12-31&format=json`);
    expect(earlier.body.assets.every((a: { movements: unknown[] }) => a.movements.length === 0)).toBe(true);
  });

  it.each(['csv', 'pdf'] as const)('issues the %s file and records its SHA-256 so a copy can be checked', async (format) => {
    const answer = await call('GET', `/v1/clients/${clientId}/statements?from=2020-01-01&to=${today}&format=${format}`, undefined, readOnly);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ format, fileName: expect.stringMatching(new RegExp(`\\.${format}$`)) });
    expect(answer.body).not.toHaveProperty('file'); // the treasury's own path stays inside
    const bytes = Buffer.from(answer.body.content, 'base64');
    expect(bytes.length).toBe(answer.body.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(answer.body.sha256);
    if (format === 'csv') expect(bytes.toString('utf8')).toContain(TX);
    else expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verified = await t.engine.api.call('statements:verify', { sha256: answer.body.sha256 }, (await signInAdmin(t.door)).context);
    expect(verified).toMatchObject({ ok: true, data: { issued: true, format, issuedBy: 'api:reader' } });
  });

  it.each([
    ['a period ending before it starts', `from=2026-02-01&to=2026-01-01`, 400],
    ['a day that does not exist', `from=2026-02-30&to=2026-03-01`, 400],
    ['an unknown format', `from=2026-01-01&to=2026-01-31&format=xlsx`, 400],
    ['no period', ``, 400],
  ])('refuses %s', async (_what, query, status) => {
    const answer = await call('GET', `/v1/clients/${clientId}/statements?${query}`);
    expect(answer).toMatchObject({ status, body: { ok: false, error: { code: 'validation' } } });
  });

  it('answers 404 for an unknown client', async () => {
    expect((await call('GET', `/v1/clients/nobody/statements?from=2026-01-01&to=2026-01-31`)).status).toBe(404);
  });
});

describe('alerts', () => {
  it('lists alerts newest first with filters', async () => {
    const { profile } = await t.engine.services.configuration.get();
    await t.engine.services.alerts.raise({ profile, kind: 'gas_tank_low', chain: 'polygon', subject: 'gas:polygon', message: 'The Polygon gas tank is low.' });
    await t.engine.services.alerts.raise({ profile, kind: 'chain_unhealthy', chain: 'tron', subject: 'chain:tron', message: 'Tron does not answer.' });
    const all = await call('GET', '/v1/alerts', undefined, readOnly);
    expect(all.status).toBe(200);
    expect(all.body.map((a: { kind: string }) => a.kind)).toEqual(['chain_unhealthy', 'gas_tank_low']);
    expect(all.body[1]).toMatchObject({ blockchain: 'polygon', state: 'open', message: 'The Polygon gas tank is low.', acknowledgedBy: null });
    expect((await call('GET', '/v1/alerts?blockchain=polygon')).body.map((a: { kind: string }) => a.kind)).toEqual(['gas_tank_low']);
    expect((await call('GET', '/v1/alerts?state=acknowledged')).body).toEqual([]);
    expect((await call('GET', '/v1/alerts?kind=nonsense')).status).toBe(400);
  });
});
