import type { Kysely } from 'kysely';
import { WEBHOOK_SIGNATURE_HEADER } from '@shared/domain/webhooks';
import type { AuditLog } from '../audit/audit-log';
import type { Lease, Leases } from '../db/leases';
import type { Database } from '../db/schema';
import type { AlertCenter } from '../alerts/alert-center';
import { PollingLoop } from '../watch/polling-loop';
import type { WebhookEndpoints } from './webhook-endpoints';
import { signatureHeader } from './webhook-signature';

type Db = Kysely<Database>;

export interface WebhookWorkerOptions {
  /** How often due deliveries are looked for; default 1000. */
  pollIntervalMs?: number;
  /** First pause after a failed attempt, doubled after each (default 10 s), up to retryMaxMs (default 1 h). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** One POST's limit from connecting to the answer's end; default 10 s. */
  timeoutMs?: number;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface WebhookWorkerHealth {
  lease: 'held' | 'waiting' | 'stopped';
  pending: number;
  failed: number;
  lastRunAt: string | null;
  lastError: string | null;
}

/** One process on the database delivers (a lease on PostgreSQL), so an endpoint's order holds across processes. */
export const WEBHOOK_LEASE = 'treasury.webhooks';
const RESPONSE_BYTES_KEPT = 200;

/**
 * The delivery worker: at-least-once POSTs of the outbox, in order per endpoint (an endpoint's next delivery
 * waits until the one before it is delivered or given up), retried with exponential backoff until its give-up
 * time (72 h after the event) and then marked failed with an alert. A delivery is marked delivered only after
 * its 2xx answer, in a transaction of its own: a crash in between sends it again (receivers dedup on the event id).
 */
export class WebhookWorker {
  private loop: PollingLoop | null = null;
  private lease: Lease | null = null;
  private lastRunAt: string | null = null;
  private lastError: string | null = null;
  private readonly opts: Required<Omit<WebhookWorkerOptions, 'log'>>;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly endpoints: WebhookEndpoints,
    private readonly leases: Leases,
    options: WebhookWorkerOptions = {},
    /** Where a delivery given up becomes an alert (notification centre, `alert.raised` webhooks to other endpoints). */
    private readonly alerts?: { center: AlertCenter; network: string },
  ) {
    this.opts = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      retryBaseMs: options.retryBaseMs ?? 10_000,
      retryMaxMs: options.retryMaxMs ?? 3600_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      now: options.now ?? Date.now,
    };
    this.log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  }

  start(): void {
    if (this.loop) return;
    this.loop = new PollingLoop('webhook delivery', async () => {
      try {
        if (!(await this.holdLease())) return false;
        await this.deliverDue();
        this.lastRunAt = new Date(this.opts.now()).toISOString();
        return false;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    }, this.opts.pollIntervalMs, this.log);
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = null;
    await this.lease?.release();
    this.lease = null;
  }

  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void {
    this.loop?.wake();
  }

  private async holdLease(): Promise<boolean> {
    if (this.lease?.held) {
      // A round trip proving it is still ours, as the chain loops do before each tick.
      await this.lease.verify();
      return true;
    }
    this.lease = await this.leases.tryAcquire(WEBHOOK_LEASE);
    return this.lease !== null;
  }

  async health(): Promise<WebhookWorkerHealth> {
    const counts = await this.db.selectFrom('webhook_deliveries').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('state', 'in', ['pending', 'failed']).groupBy('state').execute();
    const count = (state: string) => Number(counts.find((c) => c.state === state)?.n ?? 0);
    return { lease: !this.loop ? 'stopped' : this.lease?.held ? 'held' : 'waiting', pending: count('pending'), failed: count('failed'), lastRunAt: this.lastRunAt, lastError: this.lastError };
  }

  /** Every endpoint, side by side: its due deliveries one after another. Returns how many POSTs were made. */
  async deliverDue(): Promise<number> {
    const endpoints = await this.db.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', 1).execute();
    const made = await Promise.all(endpoints.map((endpoint) => this.drain(endpoint.id)));
    return made.reduce((a, b) => a + b, 0);
  }

  private async drain(endpointId: string): Promise<number> {
    let made = 0;
    for (;;) {
      const head = await this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('state', '=', 'pending').orderBy('position').limit(1).executeTakeFirst();
      if (!head || Date.parse(head.next_attempt_at) > this.opts.now()) return made;
      made += 1;
      if (!(await this.attempt(head))) return made;
    }
  }

  /** One POST of one delivery; true when delivered. */
  private async attempt(delivery: { id: string; endpoint_id: string; event_id: string; attempts: number; give_up_at: string }): Promise<boolean> {
    const endpoint = await this.endpoints.row(delivery.endpoint_id);
    const event = await this.db.selectFrom('webhook_events').select(['id', 'type', 'body']).where('id', '=', delivery.event_id).executeTakeFirstOrThrow();
    const attempt = delivery.attempts + 1;
    const startedAt = this.opts.now();
    const timestamp = Math.floor(startedAt / 1000);
    let status: number | null = null;
    let error: string | null = null;
    const began = performance.now();
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Treasury-Webhooks/1',
          [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(this.endpoints.signingSecrets(endpoint), timestamp, event.body),
          'treasury-event-id': event.id,
          'treasury-event-type': event.type,
          'treasury-delivery-id': delivery.id,
          'treasury-delivery-attempt': String(attempt),
        },
        body: event.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = response.status;
      // Read the answer to its end (within the timeout) so the connection is reused; keep a little for the log.
      const text = await response.text();
      if (status < 200 || status > 299) error = `HTTP ${status}${text ? `: ${text.slice(0, RESPONSE_BYTES_KEPT)}` : ''}`;
    } catch (failure) {
      error = describe(failure, this.opts.timeoutMs);
    }
    const durationMs = Math.round(performance.now() - began);
    const delivered = status !== null && status >= 200 && status <= 299;
    const now = this.opts.now();
    const at = new Date(now).toISOString();
    const givenUp = !delivered && now >= Date.parse(delivery.give_up_at);
    const pause = Math.min(this.opts.retryBaseMs * 2 ** (attempt - 1), this.opts.retryMaxMs);
    // The last try falls at the give-up time rather than past it.
    const next = new Date(Math.min(now + pause, Math.max(Date.parse(delivery.give_up_at), now))).toISOString();
    let raised: Awaited<ReturnType<AlertCenter['raiseIn']>> = null;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_attempts').values({ delivery_id: delivery.id, attempt, at: new Date(startedAt).toISOString(), status, error, duration_ms: durationMs }).execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts: attempt,
          last_status: status,
          last_error: error,
          updated_at: at,
          ...(delivered ? { state: 'delivered', delivered_at: at } : givenUp ? { state: 'failed' } : { next_attempt_at: next }),
        })
        .where('id', '=', delivery.id)
        .where('state', '=', 'pending')
        .execute();
      if (givenUp && this.alerts) {
        raised = await this.alerts.center.raiseIn(trx, {
          profile: this.alerts.network,
          kind: 'webhook_failed',
          subject: `webhook_delivery:${delivery.id}`,
          message: `Webhook ${event.type} to ${endpoint.url} was given up after ${attempt} attempts${status ? ` (last answer: HTTP ${status})` : ''}. Check the receiver, then send it again from Settings, Webhooks.`,
          details: { endpointId: endpoint.id, url: endpoint.url, eventId: event.id, eventType: event.type, attempts: attempt, lastStatus: status, lastError: error },
        });
      }
    });
    if (raised) this.alerts?.center.announce(raised);
    if (givenUp) this.log(`Webhook ${event.type} ${event.id} to ${endpoint.url} failed after ${attempt} attempts: ${error}`);
    return delivered;
  }
}

function describe(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && (failure.name === 'TimeoutError' || failure.name === 'AbortError')) return `No answer within ${timeoutMs} ms`;
  // In words, for the delivery log an officer reads; the socket's own code names the rare others.
  const code = (failure as { cause?: { code?: string } }).cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'Connection refused',
    ECONNRESET: 'Connection closed by the receiver',
    ENOTFOUND: 'Host name not found',
    EAI_AGAIN: 'Host name could not be looked up',
    ETIMEDOUT: 'Connection timed out',
    EHOSTUNREACH: 'Host unreachable',
    UND_ERR_SOCKET: 'Connection closed by the receiver',
  };
  if (code) return words[code] ?? `Connection failed (${code})`;
  return failure instanceof Error ? failure.message : String(failure);
}
