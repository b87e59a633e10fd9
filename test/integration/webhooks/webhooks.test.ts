import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { WalletView } from '@shared/domain/wallets';
import type { WebhookDeliveryView, WebhookEndpointView, WebhookSecretReveal } from '@shared/domain/webhooks';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { WebhookReceiver } from '@test/webhook-receiver';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

const DEPTH = 3;
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const GIVE_UP_MS = 60_000;
const sameHash = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Signed webhooks end to end, on each backend: a real anvil chain makes the deposits, the engine's own outbox
 * and delivery worker POST them to a real HTTP receiver on loopback that checks every signature.
 */
describe.each(BACKENDS)('webhooks (%s)', (backend) => {
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  let receiver: WebhookReceiver;
  let endpoint: WebhookSecretReveal;
  // The worker's clock: moved forward to pass backoff pauses and the give-up time without waiting.
  let offset = 0;

  const db = () => t.engine.database.db;
  const worker = () => t.engine.services.webhooks.worker;
  const deliveries = (endpointId = endpoint.endpoint.id, extra: Record<string, unknown> = {}) => callOk<WebhookDeliveryView[]>(t.engine, 'webhooks:deliveries', { endpointId, limit: 200, ...extra });

  let client: Wallet;
  let clientNonce = 0;
  /** A client's own ERC-20 transfer to the deposit address (a known sender), then a watcher tick. */
  async function deposit(amount: bigint): Promise<string> {
    const usdt = new Contract((await t.engine.services.assets.get(dev.token)).contract!, ['function transfer(address to, uint256 amount) returns (bool)'], client);
    const tx = await usdt.getFunction('transfer')(wallet.address, amount, { nonce: clientNonce++ });
    await tx.wait();
    await t.engine.services.watch.tick(dev.chain);
    return tx.hash as string;
  }

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    t = await startUnlockedEngine({ backend, watch: { retry: FAST_RETRY }, webhooks: { retryBaseMs: 1000, retryMaxMs: 4000, timeoutMs: 2000, giveUpAfterMs: GIVE_UP_MS, now: () => Date.now() + offset } });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
    await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client A' });
    await t.engine.services.watch.tick('polygon');
    client = Wallet.createRandom().connect(new JsonRpcProvider(dev.url, undefined, { staticNetwork: true, pollingInterval: 50 })) as unknown as Wallet;
    await dev.fundNative(client.address, dev.coin);
    await dev.sendToken(client.address, 1000n * dev.unit);
    receiver = new WebhookReceiver();
    await receiver.start();
    endpoint = await callOk<WebhookSecretReveal>(t.engine, 'webhooks:create', { url: receiver.url, description: 'backend', events: ['deposit.*', 'alert.raised'] });
    receiver.secrets = [endpoint.secret];
  });
  afterEach(() => {
    receiver.status = 200;
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.dispose();
    await dev?.stop();
  });

  it('shows the secret once, never in the list, the audit log or the bundle columns', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await callOk<WebhookEndpointView[]>(t.engine, 'webhooks:list', {});
    expect(list).toEqual([expect.objectContaining({ id: endpoint.endpoint.id, url: receiver.url, events: ['deposit.*', 'alert.raised'], enabled: true, pending: 0, failed: 0 })]);
    expect(JSON.stringify(list)).not.toContain(endpoint.secret);
    const audit = await db().selectFrom('audit_log').select('change').where('entity_type', '=', 'webhook_endpoint').execute();
    expect(audit.length).toBe(1);
    expect(JSON.stringify(audit)).not.toContain(endpoint.secret);
  });

  it('refuses what cannot be an endpoint, changing nothing', async () => {
    const before = await db().selectFrom('webhook_endpoints').select('id').execute();
    for (const payload of [
      { url: 'ftp://example.com/x', events: ['deposit.seen'] },
      { url: 'https://user:pw@example.com/x', events: ['deposit.seen'] },
      { url: 'https://example.com/x', events: [] },
      { url: 'https://example.com/x', events: ['deposit.eaten'] },
    ]) {
      const result = await t.engine.api.call('webhooks:create', payload, { door: 'test' });
      expect(result.ok ? 'accepted' : result.error.code).toBe('validation');
    }
    expect(await db().selectFrom('webhook_endpoints').select('id').execute()).toEqual(before);
  });

  it('a devnet deposit produces signed deposit.seen then deposit.confirmed with net amount, sender and token', async () => {
    const hash = await deposit(250n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
    await worker().deliverDue();
    const mine = receiver.received.filter((r) => sameHash(r.json.data.txHash, hash));
    expect(mine.map((r) => r.type)).toEqual(['deposit.seen', 'deposit.confirmed']);
    for (const r of mine) {
      expect(r.checks).toEqual([{ ok: true, timestamp: expect.any(Number) }]);
      expect(r.signatureHeader).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(r.json).toMatchObject({ id: r.eventId, type: r.type, network: 'devnet' });
      expect(r.json.data).toMatchObject({ walletId: wallet.id, chain: 'polygon', token: { assetId: dev.token, symbol: 'USDT', decimals: 6 }, amount: { value: '250', baseUnits: (250n * dev.unit).toString() } });
      expect(r.json.data.sender.toLowerCase()).toBe(client.address.toLowerCase());
    }
    expect(mine[0]!.json.data).toMatchObject({ state: 'seen', netAmount: { value: '0', baseUnits: '0' }, creditedTo: null });
    expect(mine[1]!.json.data).toMatchObject({ state: 'confirmed', netAmount: { value: '250', baseUnits: (250n * dev.unit).toString() }, creditedTo: 'wallet', confirmations: DEPTH + 1 });
    // A signature made with another secret, or replayed after the window, is refused by the receiver's check.
    const { verifyWebhookSignature } = await import('@engine/webhooks/webhook-signature');
    expect(verifyWebhookSignature(mine[0]!.signatureHeader, mine[0]!.body, 'whsec_other').ok).toBe(false);
    expect(verifyWebhookSignature(mine[0]!.signatureHeader, mine[0]!.body, endpoint.secret, Math.floor(Date.now() / 1000) + 301)).toEqual({ ok: false, reason: 'too_old' });
    expect(verifyWebhookSignature(mine[0]!.signatureHeader, mine[0]!.body.replace('250', '251'), endpoint.secret).ok).toBe(false);
    const log = await deliveries();
    expect(log.filter((d) => d.state === 'delivered').length).toBe(2);
    expect(log[0]!.attemptLog).toEqual([expect.objectContaining({ attempt: 1, status: 200, error: null })]);
  });

  it('a transaction that rolls back leaves no outbox row; the same change committed leaves one', async () => {
    const events = async () => (await db().selectFrom('webhook_events').select('id').execute()).length;
    const before = await events();
    const deposit = await db().selectFrom('deposits').selectAll().where('wallet_id', '=', wallet.id).executeTakeFirstOrThrow();
    const entry = { operator: 'watcher', action: 'deposit.seen', entity: { type: 'deposit', id: deposit.id }, change: { again: true } };
    await expect(
      db().transaction().execute(async (trx) => {
        await t.engine.services.audit.record(entry, trx);
        // Inside the transaction the outbox row is there, with its delivery…
        expect((await trx.selectFrom('webhook_events').select('id').execute()).length).toBe(before + 1);
        throw new Error('refused further on');
      }),
    ).rejects.toThrow('refused further on');
    // …and gone with it.
    expect(await events()).toBe(before);
    expect((await db().selectFrom('webhook_deliveries').select('id').where('state', '=', 'pending').execute()).length).toBe(0);
    await t.engine.services.audit.record(entry);
    expect(await events()).toBe(before + 1);
    await worker().deliverDue();
  });

  it('receiver down for a while: every delivery arrives once it is back, in order, each event id once', async () => {
    await receiver.stop();
    const start = receiver.received.length;
    for (const amount of [1n, 2n, 3n]) await deposit(amount * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
    const expected = (await db().selectFrom('webhook_deliveries as d').innerJoin('webhook_events as e', 'e.id', 'd.event_id').select(['e.id']).where('d.state', '=', 'pending').orderBy('d.position').execute()).map((r) => r.id);
    expect(expected.length).toBe(6);
    // Refused connections: the head is retried with a growing pause, the rest wait behind it.
    for (let i = 0; i < 3; i++) {
      await worker().deliverDue();
      offset += 5000;
    }
    const waiting = await deliveries(endpoint.endpoint.id, { state: 'pending' });
    const head = waiting[waiting.length - 1]!;
    expect(head.attemptLog.length).toBe(3);
    expect(head.attemptLog.every((a) => a.status === null && a.error === 'Connection refused')).toBe(true);
    expect(waiting.slice(0, -1).every((d) => d.attempts === 0)).toBe(true);

    await receiver.start();
    offset += 5000;
    await worker().deliverDue();
    const arrived = receiver.received.slice(start);
    expect(arrived.map((r) => r.eventId)).toEqual(expected);
    expect(arrived.every((r) => r.checks[0]!.ok)).toBe(true);
    expect(arrived.map((r) => r.type)).toEqual(['deposit.seen', 'deposit.seen', 'deposit.seen', 'deposit.confirmed', 'deposit.confirmed', 'deposit.confirmed']);
    expect(await deliveries(endpoint.endpoint.id, { state: 'pending' })).toEqual([]);
  });

  it('rotating the secret signs with both during the overlap, then with the new one alone', async () => {
    const rotated = await callOk<WebhookSecretReveal>(t.engine, 'webhooks:rotateSecret', { endpointId: endpoint.endpoint.id, overlapHours: 1 });
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.endpoint.previousSecretUntil).not.toBeNull();
    receiver.secrets = [endpoint.secret, rotated.secret];
    await deposit(4n * dev.unit);
    await worker().deliverDue();
    const during = receiver.received.at(-1)!;
    expect(during.signatureHeader).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(during.checks.map((c) => c.ok)).toEqual([true, true]);

    offset += 2 * 3600_000;
    receiver.clockOffsetMs = offset;
    await deposit(5n * dev.unit);
    await worker().deliverDue();
    const after = receiver.received.at(-1)!;
    expect(after.signatureHeader).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(after.checks.map((c) => c.ok)).toEqual([false, true]);
    endpoint = { ...endpoint, secret: rotated.secret };
    receiver.secrets = [rotated.secret];
    offset -= 2 * 3600_000;
    receiver.clockOffsetMs = offset;
  });

  it('a delivery refused until its give-up time is marked failed with an alert; the next event then goes; replay sends it again', async () => {
    receiver.status = 500;
    const hash = await deposit(6n * dev.unit);
    await worker().deliverDue();
    // The endpoint's oldest pending delivery is tried; whatever came after waits behind it.
    const pending = await deliveries(endpoint.endpoint.id, { state: 'pending' });
    const stuck = pending.at(-1)!;
    expect(stuck.eventType).toBe('deposit.seen');
    expect(pending.slice(0, -1).every((d) => d.attempts === 0)).toBe(true);
    expect(stuck.attemptLog.map((a) => a.status)).toEqual([500]);
    expect(stuck.lastError).toBe('HTTP 500: refused');
    // Another event waits behind it.
    await deposit(7n * dev.unit);
    offset += GIVE_UP_MS + 1000;
    await worker().deliverDue();
    const failed = await deliveries(endpoint.endpoint.id, { state: 'failed' });
    expect(failed.map((d) => d.id)).toEqual([stuck.id]);
    const alert = await db().selectFrom('alerts').select(['kind', 'details', 'message']).where('subject', '=', `webhook_delivery:${stuck.id}`).executeTakeFirstOrThrow();
    expect(alert.kind).toBe('webhook_failed');
    expect(JSON.parse(alert.details)).toMatchObject({ eventId: stuck.eventId, lastStatus: 500 });
    expect(alert.message).toMatch(/given up after \d+ attempts \(last answer: HTTP 500\)/);
    expect((await callOk<WebhookEndpointView[]>(t.engine, 'webhooks:list', {}))[0]).toMatchObject({ failed: 1 });

    receiver.status = 200;
    await worker().deliverDue();
    offset -= GIVE_UP_MS + 1000;
    const replayed = await callOk<WebhookDeliveryView>(t.engine, 'webhooks:replay', { deliveryId: stuck.id });
    expect(replayed).toMatchObject({ state: 'pending', eventId: stuck.eventId, replayOf: stuck.id });
    await worker().deliverDue();
    const last = receiver.received.at(-1)!;
    expect(last).toMatchObject({ eventId: stuck.eventId, deliveryId: replayed.id });
    expect(sameHash(last.json.data.txHash, hash)).toBe(true);
    // A pending delivery cannot be replayed; an unknown one is not found.
    const again = await t.engine.api.call('webhooks:replay', { deliveryId: 'dlv_nothing' }, { door: 'test' });
    expect(again.ok ? 'ok' : again.error.code).toBe('not_found');
    expect(await checkLedgerInvariants(db())).toEqual([]);
    expect((await t.engine.services.audit.verify()).ok).toBe(true);
  });

  it('a disabled endpoint gets no new events; an auditor reads the log but may not change endpoints', async () => {
    await callOk(t.engine, 'webhooks:update', { endpointId: endpoint.endpoint.id, enabled: false });
    const count = await db().selectFrom('webhook_deliveries').select('id').execute();
    await deposit(8n * dev.unit);
    expect((await db().selectFrom('webhook_deliveries').select('id').execute()).length).toBe(count.length);
    const auditor = await t.signInAs('auditor', 'ann');
    expect((await auditor.call('webhooks:deliveries', { endpointId: endpoint.endpoint.id })).ok).toBe(true);
    const refused = await auditor.call('webhooks:update', { endpointId: endpoint.endpoint.id, enabled: true });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
  });
});
