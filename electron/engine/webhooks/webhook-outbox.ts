import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { NetworkProfile } from '@shared/domain/chains';
import { subscribes, type WebhookEventType } from '@shared/domain/webhooks';
import type { AuditRecordRow, Database } from '../db/schema';
import { webhookEventFor } from './webhook-event-data';

type Db = Kysely<Database>;

/** How long a delivery is retried before it is given up (72 hours). */
export const GIVE_UP_AFTER_MS = 72 * 3600_000;

/** The JSON body every delivery of an event POSTs. */
export interface WebhookBody {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  network: NetworkProfile;
  data: Record<string, unknown>;
}

/**
 * The outbox: called by the audit log inside the transaction of every change it records (AuditLog.onAppend).
 * An audit record that reports a webhook event becomes one webhook_events row and one pending delivery per
 * enabled endpoint that subscribes to it, in that same transaction: rolled back with the change, committed with it.
 */
export class WebhookOutbox {
  constructor(
    private readonly network: NetworkProfile,
    private readonly giveUpAfterMs = GIVE_UP_AFTER_MS,
  ) {}

  async append(trx: Db, records: AuditRecordRow[]): Promise<void> {
    let endpoints: Array<{ id: string; events: string[] }> | null = null;
    for (const record of records) {
      const event = await webhookEventFor(trx, this.network, record);
      if (!event) continue;
      endpoints ??= (await trx.selectFrom('webhook_endpoints').select(['id', 'events']).where('enabled', '=', 1).execute()).map((e) => ({ id: e.id, events: JSON.parse(e.events) as string[] }));
      const wanted = endpoints.filter((e) => subscribes(e.events, event.type));
      // Nobody listening: nothing to keep (a later endpoint hears of what happens after it was registered).
      if (wanted.length === 0) continue;
      const id = `evt_${randomUUID()}`;
      const body: WebhookBody = { id, type: event.type, createdAt: record.at, network: this.network, data: event.data };
      await trx.insertInto('webhook_events').values({ id, audit_seq: record.seq, type: event.type, body: JSON.stringify(body), created_at: record.at }).execute();
      await insertDeliveries(trx, id, record.seq, record.at, wanted.map((e) => e.id), this.giveUpAfterMs);
    }
  }
}

/** Pending deliveries of one event, due now, given up after giveUpAfterMs; `position` orders them per endpoint. */
export async function insertDeliveries(trx: Db, eventId: string, position: number, at: string, endpointIds: string[], giveUpAfterMs: number, replayOf: string | null = null): Promise<string[]> {
  const giveUpAt = new Date(Date.parse(at) + giveUpAfterMs).toISOString();
  const rows = endpointIds.map((endpointId) => ({
    id: `dlv_${randomUUID()}`,
    endpoint_id: endpointId,
    event_id: eventId,
    position,
    state: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    give_up_at: giveUpAt,
    last_status: null,
    last_error: null,
    replay_of: replayOf,
    created_at: at,
    updated_at: at,
    delivered_at: null,
  }));
  if (rows.length > 0) await trx.insertInto('webhook_deliveries').values(rows).execute();
  return rows.map((r) => r.id);
}
