import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyView } from '@shared/domain/api-keys';
import { startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { apiCall, makeKey, signInAdmin, startTestApi } from '@test/api-client';
import type { RunningApi } from '../../../electron/host/api/api-server';
import { IDEMPOTENCY_LEASE_MS, requestHash } from '@engine/idempotency/idempotency-store';
import { withEffectSeed } from '@engine/idempotency/effect-ids';
import { CLIENT } from '../clients/kyc-fixtures';

/**
 * An idempotent create cut short by a crash: the dead process left its record "running" (its lease no
 * longer renewed), before or after its effect committed. A repeat within the lease is told to wait; after
 * it, the repeat takes the request over and it completes exactly once.
 */
let clock = Date.now();
let t: TestEngine;
let api: RunningApi;
let key: string;
let keyView: ApiKeyView;

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

const CASES = [
  { what: 'a wallet', path: '/v1/virtual-wallets', body: { alias: 'Crash wallet', blockchain: 'polygon' }, table: 'wallets' as const, channel: 'wallets:create', request: { chain: 'polygon', label: 'Crash wallet' } },
  { what: 'a client', path: '/v1/clients', body: { ...CLIENT, legalName: 'Crash Client', taxId: undefined }, table: 'clients' as const, channel: 'clients:create', request: { ...CLIENT, legalName: 'Crash Client', taxId: undefined } },
];

describe('Idempotency-Key across a crash', () => {
  for (const c of CASES) {
    for (const crashed of ['before its effect', 'after its effect committed'] as const) {
      it(`${c.what} cut short ${crashed}: a repeat waits out the lease, then completes exactly once`, async () => {
        const idem = `crash-${c.table}-${crashed.split(' ')[0]}`;
        const db = t.engine.database.db;
        const scope = `api:${keyView.id}`;
        const rows = async () => (await db.selectFrom(c.table).select('id').execute()).map((r) => r.id);
        const before = await rows();
        // What the dead process left: its record running with a lease nobody renews ...
        await db
          .insertInto('idempotency_records')
          .values({
            scope,
            key: idem,
            request_hash: requestHash({ method: 'POST', path: c.path, query: {}, body: JSON.parse(JSON.stringify(c.body)) }),
            state: 'running',
            status: null,
            response: null,
            created_at: new Date(clock).toISOString(),
            completed_at: null,
            lease_until: new Date(clock + IDEMPOTENCY_LEASE_MS).toISOString(),
          })
          .execute();
        // ... and, if it got that far, the row its create committed under that key.
        let madeByDeadRun: string | null = null;
        if (crashed === 'after its effect committed') {
          const officer = await admin(); // also opens the seed for the wallet's address
          const made = await withEffectSeed(`${scope}\n${idem}`, () => t.engine.api.call(c.channel, c.request, officer.context));
          if (!made.ok) throw new Error(made.error.message);
          madeByDeadRun = (made.data as { id: string }).id;
          expect(await rows()).toHaveLength(before.length + 1);
        }
        const send = () => apiCall(api, 'POST', c.path, { key, body: c.body, headers: { 'Idempotency-Key': idem } });

        // within the lease the request may still be running elsewhere: not run twice
        const early = await send();
        expect(early).toMatchObject({ status: 409, body: { ok: false, error: { code: 'conflict' } } });

        clock += IDEMPOTENCY_LEASE_MS + 1_000;
        await admin();
        const [first, second] = await Promise.all([send(), send()]);
        const statuses = [first.status, second.status].sort();
        // one repeat takes the abandoned request over; the other is told it is running (or gets the replay)
        expect(statuses[0]).toBe(201);
        const done = first.status === 201 ? first : second;
        const after = await rows();
        expect(after).toHaveLength(before.length + 1);
        if (madeByDeadRun) expect(done.body.id).toBe(madeByDeadRun);
        const record = await db.selectFrom('idempotency_records').selectAll().where('scope', '=', scope).where('key', '=', idem).executeTakeFirstOrThrow();
        expect(record).toMatchObject({ state: 'done', status: 201, attempt: 2 });

        const replay = await send();
        expect(replay).toMatchObject({ status: 201, body: done.body });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await rows()).toHaveLength(before.length + 1);
      }, 60_000);
    }
  }
});
