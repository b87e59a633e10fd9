import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERROR_CODES } from '@shared/result';
import type { ApiKeyView } from '@shared/domain/api-keys';
import { callOk, snapshotRows, startUnlockedEngine, startTestEngine, type TestEngine, type TestOperator } from '@test/engine';
import { apiCall, makeKey, signInAdmin, startTestApi } from '@test/api-client';
import type { RunningApi } from '../../../electron/host/api/api-server';
import { API_ROUTES } from '../../../electron/host/api/routes';
import { API_CHANNEL_SCOPES } from '@engine/api-keys/scopes';
import { allChannels } from '@shared/ipc/contract';
import { CLIENT } from '../clients/kyc-fixtures';

/**
 * The /v1 door without a chain: keys refused for every reason and audited, the rate limit, Idempotency-Key
 * (replay, 409 on another body, kept across a restart), the window's create dialogs deduped, the OpenAPI
 * document against the routes, and a fuzz over every route that answers typed 4xx and changes nothing.
 */
let clock = Date.now();
let t: TestEngine;
let api: RunningApi;
let key: string;
let keyView: ApiKeyView;

async function auditSince(seq: number) {
  return t.engine.database.db.selectFrom('audit_log').select(['seq', 'action', 'operator', 'entity_id', 'change']).where('seq', '>', seq).orderBy('seq').execute();
}
async function auditHead(): Promise<number> {
  const row = await t.engine.database.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

const admin = (): Promise<TestOperator> => signInAdmin(t.door);

beforeAll(async () => {
  t = await startUnlockedEngine({ clock: () => clock });
  api = await startTestApi(t.engine);
  const made = await makeKey(t.engine, 'backend', {}, await admin());
  key = made.secret;
  keyView = made.key;
}, 60_000);
afterAll(async () => {
  await api?.close();
  await t?.dispose();
});

describe('API keys', () => {
  it('are shown once and stored as a hash; list shows prefix, scopes and last use', async () => {
    expect(key).toMatch(/^trk_[A-Za-z0-9_-]{43}$/);
    const row = await t.engine.database.db.selectFrom('api_keys').selectAll().where('id', '=', keyView.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
    await apiCall(api, 'GET', '/v1/virtual-wallets', { key });
    const [listed] = await callOk<ApiKeyView[]>(t.engine, 'system:apiKeys:list', {});
    expect(listed).toMatchObject({ name: 'backend', prefix: key.slice(0, 10), state: 'active', lastUsedIp: '127.0.0.1', scopes: ['read', 'wallets', 'withdrawals', 'ramps', 'clients'] });
    expect(listed!.lastUsedAt).not.toBeNull();
    // only an admin manages keys
    const officer = await t.signInAs('officer');
    expect(await officer.call('system:apiKeys:create', { name: 'mine', scopes: ['read'] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a missing, wrong, expired, revoked, out-of-scope or out-of-allowlist key with its status, audited', async () => {
    const readOnly = await makeKey(t.engine, 'reader', { scopes: ['read'] }, await admin());
    const fenced = await makeKey(t.engine, 'fenced', { ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'] }, await admin());
    const loopback = await makeKey(t.engine, 'loopback-only', { ipAllowlist: ['127.0.0.1'] }, await admin());
    const shortLived = await makeKey(t.engine, 'short-lived', { expiresInDays: 1 }, await admin());
    const revoked = await makeKey(t.engine, 'revoked', {}, await admin());
    await callOk(t.engine, 'system:apiKeys:revoke', { keyId: revoked.key.id }, await admin());
    clock += 2 * 86_400_000; // the short-lived key is past its day

    const cases: Array<[string, { key?: string; method?: string; path?: string; body?: unknown }, number, string, string]> = [
      ['no key', {}, 401, 'unauthenticated', 'unknown'],
      ['a wrong key', { key: `trk_${'A'.repeat(43)}` }, 401, 'unauthenticated', 'unknown'],
      ['an expired key', { key: shortLived.secret }, 401, 'unauthenticated', shortLived.key.id],
      ['a revoked key', { key: revoked.secret }, 401, 'unauthenticated', revoked.key.id],
      ['a call from outside the allowlist', { key: fenced.secret }, 403, 'forbidden', fenced.key.id],
      ['a read-only key creating a wallet', { key: readOnly.secret, method: 'POST', path: '/v1/virtual-wallets', body: { alias: 'nope', blockchain: 'polygon' } }, 403, 'forbidden', readOnly.key.id],
    ];
    for (const [what, call, status, code, entity] of cases) {
      const head = await auditHead();
      const before = await snapshotRows(t.engine);
      const answer = await apiCall(api, call.method ?? 'GET', call.path ?? '/v1/virtual-wallets', { ...(call.key ? { key: call.key } : {}), ...(call.body ? { body: call.body } : {}) });
      expect({ what, status: answer.status, body: answer.body }).toMatchObject({ what, status, body: { ok: false, error: { code, message: expect.any(String) } } });
      const records = await auditSince(head);
      expect(records.some((r) => r.entity_id === entity || JSON.parse(r.change).apiKeyId === entity), what).toBe(true);
      // nothing but audit records and the key's last use changed
      const strip = (s: string) => ({ ...JSON.parse(s), audit_log: [], api_keys: [] });
      expect(strip(await snapshotRows(t.engine))).toEqual(strip(before));
      // unknown keys are audited at most once a minute per address: move past it for the next case
      clock += 61_000;
    }
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: loopback.secret })).status).toBe(200);
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: readOnly.secret })).status).toBe(200);
  });

  it('rotates with an overlap: both secrets work until it ends, then only the new one', async () => {
    const made = await makeKey(t.engine, 'rotating', {}, await admin());
    const rotated = await callOk<{ key: ApiKeyView; secret: string }>(t.engine, 'system:apiKeys:rotate', { keyId: made.key.id, overlapHours: 1 }, await admin());
    expect(rotated.secret).not.toBe(made.secret);
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: made.secret })).status).toBe(200);
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: rotated.secret })).status).toBe(200);
    clock += 2 * 3_600_000;
    const old = await apiCall(api, 'GET', '/v1/virtual-wallets', { key: made.secret });
    expect(old).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: expect.stringMatching(/rotated/) } } });
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: rotated.secret })).status).toBe(200);
  });

  it('limits each key\'s rate: 429 with Retry-After, audited once, other keys unaffected', async () => {
    const limited = await makeKey(t.engine, 'limited', { rateLimitPerMinute: 3 }, await admin());
    const head = await auditHead();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: limited.secret })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await apiCall(api, 'GET', '/v1/virtual-wallets', { key: limited.secret });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await auditSince(head)).filter((r) => r.action === 'api.rate_limited')).toHaveLength(1);
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key })).status).toBe(200);
    clock += 60_000;
    expect((await apiCall(api, 'GET', '/v1/virtual-wallets', { key: limited.secret })).status).toBe(200);
  });

  it('audits every call with its key', async () => {
    const head = await auditHead();
    await apiCall(api, 'GET', `/v1/virtual-wallets/no-such-wallet`, { key });
    const [record] = (await auditSince(head)).filter((r) => r.action === 'api.call');
    expect(record).toMatchObject({ operator: 'api:backend', entity_id: keyView.id });
    expect(JSON.parse(record!.change)).toMatchObject({ method: 'GET', route: '/v1/virtual-wallets/{walletId}', status: 404, code: 'not_found', ip: '127.0.0.1' });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first result, refuses another body with 409, and keeps the key across a restart', async () => {
    await admin(); // opens the seed again
    const create = (alias: string, idem: string) => apiCall(api, 'POST', '/v1/virtual-wallets', { key, body: { alias, blockchain: 'polygon' }, headers: { 'Idempotency-Key': idem } });
    const first = await create('Payroll', 'wallet-create-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ alias: 'Payroll', blockchain: 'polygon', enabled: true, walletAddress: expect.stringMatching(/^0x/) });
    const again = await create('Payroll', 'wallet-create-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await create('Payroll 2', 'wallet-create-1');
    expect(other).toMatchObject({ status: 409, body: { ok: false, error: { code: 'idempotency_conflict' } } });
    const count = async () => (await t.engine.database.db.selectFrom('wallets').select((eb) => eb.fn.countAll().as('n')).where('label', 'like', 'Payroll%').executeTakeFirstOrThrow()).n;
    expect(Number(await count())).toBe(1);

    // restart: the same data folder, a new engine and server
    await api.close();
    const { home, database } = t;
    await t.engine.close();
    t = await startTestEngine({ home, database, clock: () => clock });
    api = await startTestApi(t.engine);
    const afterRestart = await create('Payroll', 'wallet-create-1');
    expect(afterRestart).toMatchObject({ status: 201, body: first.body });
    expect(afterRestart.headers.get('idempotent-replayed')).toBe('true');
    expect((await create('Payroll 3', 'wallet-create-1')).status).toBe(409);
    expect(Number(await count())).toBe(1);
    // kept for at least 24 hours
    clock += 24 * 3_600_000 + 60_000;
    expect((await create('Payroll', 'wallet-create-1')).headers.get('idempotent-replayed')).toBe('true');
  });

  it('the window\'s create dialogs send a key per opening: a double submit makes one client', async () => {
    const request = { ...CLIENT, legalName: 'Double Click', taxId: undefined, idempotencyKey: 'dialog-open-7f3a9c' };
    const officer = await admin();
    // names are sealed at rest: count the rows instead of looking the name up
    const clientRows = async () => (await t.engine.database.db.selectFrom('clients').select('id').execute()).length;
    const before = await clientRows();
    const first = await callOk<{ id: string }>(t.engine, 'clients:create', request, officer);
    const second = await callOk<{ id: string }>(t.engine, 'clients:create', request, officer);
    expect(second.id).toBe(first.id);
    const clash = await t.engine.api.call('clients:create', { ...request, legalName: 'Another Name' }, officer.context);
    expect(clash).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    expect(await clientRows()).toBe(before + 1);
  });
});

describe('OpenAPI 3.1', () => {
  it('every channel a key may call exists in the contract (the scope table has no dead line)', () => {
    const channels = new Set(allChannels().map((c) => c.name));
    expect(Object.keys(API_CHANNEL_SCOPES).filter((name) => !channels.has(name))).toEqual([]);
  });

  it('documents every route and nothing else; each documented operation is served', async () => {
    const answer = await apiCall(api, 'GET', '/v1/openapi.json');
    expect(answer.status).toBe(200);
    const document = answer.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} /v1${path}`));
    const routed = API_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(documented.sort()).toEqual([...routed].sort());
    for (const operation of documented) {
      const [method, path] = operation.split(' ') as [string, string];
      const served = await apiCall(api, method, path.replace(/\{\w+\}/g, 'x1'), { key, ...(method === 'GET' ? {} : { rawBody: '{}' }) });
      expect({ operation, message: served.body?.error?.message }).not.toMatchObject({ message: expect.stringMatching(/No such API resource|^Use /) });
    }
  });
});

describe('fuzz', () => {
  it('every route answers hostile input with a typed 4xx (a read may be valid by chance) and changes nothing', async () => {
    const fuzzKey = (await makeKey(t.engine, 'fuzzer', { rateLimitPerMinute: 100_000 }, await admin())).secret;
    // Sessions the earlier clock moves left idle end now, not in the middle of the comparison.
    await t.engine.services.operators.expireIdleSessions();
    const before = await snapshotRows(t.engine);
    const head = await auditHead();
    const segment = fc.oneof(fc.string({ maxLength: 70 }), fc.uuid(), fc.constantFrom('polygon', 'bsc', 'tron', 'POLYGON', '..', '%', '0'));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: API_ROUTES.length - 1 }),
        fc.array(segment, { minLength: 2, maxLength: 2 }),
        fc.dictionary(fc.constantFrom('blockchain', 'limit', 'cursor', 'assetId', 'enabled', 'status', 'search', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
        fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.record({ alias: fc.string(), blockchain: fc.string(), amount: fc.string(), assetId: fc.string() }, { requiredKeys: [] })),
        async (index, segments, query, body) => {
          const route = API_ROUTES[index]!;
          let n = 0;
          const path = route.path.replace(/\{\w+\}/g, () => encodeURIComponent(segments[n++] ?? 'x'));
          const search = new URLSearchParams(query).toString();
          const answer = await apiCall(api, route.method, `${path}${search ? `?${search}` : ''}`, { key: fuzzKey, ...(route.method === 'GET' || body === undefined ? {} : { rawBody: JSON.stringify(body) }) });
          // A read may be a valid request by chance (no filters at all); anything that writes must be refused.
          if (route.method === 'GET' && answer.status === 200) return;
          expect(answer.status, `${route.method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(answer.body).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
          expect(ERROR_CODES).toContain(answer.body.error.code);
        },
      ),
      { numRuns: 800 },
    );
    const strip = (s: string) => ({ ...JSON.parse(s), audit_log: [], api_keys: [] });
    expect(strip(await snapshotRows(t.engine))).toEqual(strip(before));
    const actions = new Set((await auditSince(head)).map((r) => r.action));
    for (const action of actions) expect(['api.call', 'api.refused', 'access.refused', 'control.refused']).toContain(action);
  }, 240_000);
});
