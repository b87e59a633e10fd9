import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { NetworkProfile } from '@shared/domain/chains';
import type { WebhookDeliveryView, WebhookEndpointView, WebhookSecretReveal, WebhookSubscription } from '@shared/domain/webhooks';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { GIVE_UP_AFTER_MS, insertDeliveries } from './webhook-outbox';

type Db = Kysely<Database>;
type EndpointRow = Awaited<ReturnType<WebhookEndpoints['row']>>;

/** A secret the receiver keeps: 32 random bytes, prefixed so a leaked one is recognisable in a scan. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Webhook endpoints an admin registers (each change audited), their delivery log and manual replay. The
 * secret signs every delivery; it is returned once, at creation and at each rotation, and never read back.
 */
export class WebhookEndpoints {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly network: NetworkProfile,
    private readonly now: () => number = Date.now,
  ) {}

  /** Beyond the devnet a delivery carries money facts: TLS, except to this machine itself. */
  private checkUrl(raw: string): string {
    const url = new URL(raw);
    if (url.username || url.password) throw new DomainError('validation', 'Put no user name or password in the webhook URL; the signature authenticates each delivery.', { field: 'url' });
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (this.network === 'devnet' || LOOPBACK.has(url.hostname)))) {
      throw new DomainError('validation', `Webhooks on ${this.network} go to https:// addresses (plain http only to this machine).`, { field: 'url' });
    }
    return url.toString();
  }

  async row(id: string, ex: Db = this.db) {
    const row = await ex.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such webhook endpoint.', { endpointId: id });
    return row;
  }

  private async view(row: EndpointRow, ex: Db = this.db): Promise<WebhookEndpointView> {
    const counts = await ex.selectFrom('webhook_deliveries').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('endpoint_id', '=', row.id).where('state', 'in', ['pending', 'failed']).groupBy('state').execute();
    const count = (state: string) => Number(counts.find((c) => c.state === state)?.n ?? 0);
    const overlap = row.previous_secret_until !== null && Date.parse(row.previous_secret_until) > this.now() ? row.previous_secret_until : null;
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      events: JSON.parse(row.events) as WebhookSubscription[],
      enabled: row.enabled === 1,
      previousSecretUntil: overlap,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      pending: count('pending'),
      failed: count('failed'),
    };
  }

  async list(): Promise<WebhookEndpointView[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute();
    return Promise.all(rows.map((r) => this.view(r)));
  }

  async create(input: { url: string; description: string; events: WebhookSubscription[] }, operator: string): Promise<WebhookSecretReveal> {
    const url = this.checkUrl(input.url);
    const at = new Date(this.now()).toISOString();
    const id = `whe_${randomUUID()}`;
    const secret = newSecret();
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_endpoints')
        .values({ id, url, description: input.description, events: JSON.stringify(input.events), secret, previous_secret: null, previous_secret_until: null, enabled: 1, created_by: operator, created_at: at, updated_at: at })
        .execute();
      await this.audit.record({ operator, action: 'webhook.endpoint_created', entity: { type: 'webhook_endpoint', id }, change: { url, events: input.events, description: input.description } }, trx);
      return { endpoint: await this.view(await this.row(id, trx), trx), secret };
    });
  }

  async update(id: string, patch: { url?: string; description?: string; events?: WebhookSubscription[]; enabled?: boolean }, operator: string): Promise<WebhookEndpointView> {
    const url = patch.url === undefined ? undefined : this.checkUrl(patch.url);
    return this.db.transaction().execute(async (trx) => {
      const before = await this.row(id, trx);
      const set = {
        ...(url !== undefined ? { url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        updated_at: new Date(this.now()).toISOString(),
      };
      await trx.updateTable('webhook_endpoints').set(set).where('id', '=', id).execute();
      await this.audit.record(
        {
          operator,
          action: 'webhook.endpoint_updated',
          entity: { type: 'webhook_endpoint', id },
          change: { before: { url: before.url, description: before.description, events: JSON.parse(before.events), enabled: before.enabled === 1 }, after: { ...patch, ...(url !== undefined ? { url } : {}) } },
        },
        trx,
      );
      return this.view(await this.row(id, trx), trx);
    });
  }

  /**
   * A new secret, returned once. The one it replaces keeps signing beside it for `overlapHours` (each delivery
   * then carries two v1 signatures), so the receiver can switch over without refusing anything in between.
   */
  async rotateSecret(id: string, overlapHours: number, operator: string): Promise<WebhookSecretReveal> {
    const secret = newSecret();
    const until = new Date(this.now() + overlapHours * 3600_000).toISOString();
    return this.db.transaction().execute(async (trx) => {
      const before = await this.row(id, trx);
      await trx
        .updateTable('webhook_endpoints')
        .set({ secret, previous_secret: overlapHours > 0 ? before.secret : null, previous_secret_until: overlapHours > 0 ? until : null, updated_at: new Date(this.now()).toISOString() })
        .where('id', '=', id)
        .execute();
      await this.audit.record({ operator, action: 'webhook.secret_rotated', entity: { type: 'webhook_endpoint', id }, change: { previousSignsUntil: overlapHours > 0 ? until : null } }, trx);
      return { endpoint: await this.view(await this.row(id, trx), trx), secret };
    });
  }

  /** The secrets that sign a delivery made now: the current one, and the previous one during its overlap. */
  signingSecrets(row: Pick<EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_until'>): string[] {
    const overlap = row.previous_secret !== null && row.previous_secret_until !== null && Date.parse(row.previous_secret_until) > this.now();
    return overlap ? [row.secret, row.previous_secret!] : [row.secret];
  }

  /** An endpoint's deliveries, newest first, each with its attempts. */
  async deliveries(endpointId: string, options: { state?: WebhookDeliveryView['state']; before?: number; limit: number }): Promise<WebhookDeliveryView[]> {
    await this.row(endpointId);
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.endpoint_id', 'd.event_id', 'd.position', 'd.state', 'd.attempts', 'd.next_attempt_at', 'd.last_status', 'd.last_error', 'd.replay_of', 'd.created_at', 'd.delivered_at', 'e.type'])
      .where('d.endpoint_id', '=', endpointId)
      .orderBy('d.position', 'desc')
      .limit(options.limit);
    if (options.state) query = query.where('d.state', '=', options.state);
    if (options.before !== undefined) query = query.where('d.position', '<', options.before);
    const rows = await query.execute();
    const attempts = rows.length === 0 ? [] : await this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('attempt').execute();
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      eventType: r.type,
      position: r.position,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
      lastStatus: r.last_status,
      lastError: r.last_error,
      replayOf: r.replay_of,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      attemptLog: attempts.filter((a) => a.delivery_id === r.id).map((a) => ({ attempt: a.attempt, at: a.at, status: a.status, error: a.error, durationMs: a.duration_ms })),
    }));
  }

  /**
   * Sends a delivery's event again, as a new delivery at the end of the endpoint's queue (same event id, so a
   * receiver that deduplicates ignores it if it had it). A pending delivery is already on its way: refused.
   */
  async replay(deliveryId: string, operator: string): Promise<WebhookDeliveryView> {
    const id = await this.db.transaction().execute(async (trx) => {
      const original = await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
      if (!original) throw new DomainError('not_found', 'No such webhook delivery.', { deliveryId });
      if (original.state === 'pending') throw new DomainError('conflict', 'This delivery is still being tried; replay it once it is delivered or has failed.', { deliveryId });
      const endpoint = await this.row(original.endpoint_id, trx);
      if (endpoint.enabled !== 1) throw new DomainError('conflict', 'The endpoint is disabled; enable it before replaying.', { endpointId: endpoint.id });
      // The audit record of the replay gives the new delivery its place in the endpoint's order.
      const record = await this.audit.record({ operator, action: 'webhook.replay_requested', entity: { type: 'webhook_delivery', id: deliveryId }, change: { eventId: original.event_id, endpointId: endpoint.id } }, trx);
      const [created] = await insertDeliveries(trx, original.event_id, record.seq, record.at, [endpoint.id], GIVE_UP_AFTER_MS, deliveryId);
      return created!;
    });
    const row = await this.db.selectFrom('webhook_deliveries').select('endpoint_id').where('id', '=', id).executeTakeFirstOrThrow();
    return (await this.deliveries(row.endpoint_id, { limit: 1 })).find((d) => d.id === id)!;
  }
}
