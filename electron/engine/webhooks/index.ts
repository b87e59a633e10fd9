import type { AlertCenter } from '../alerts/alert-center';
import type { Kysely } from 'kysely';
import type { NetworkProfile } from '@shared/domain/chains';
import type { AuditLog } from '../audit/audit-log';
import type { Leases } from '../db/leases';
import type { Database } from '../db/schema';
import { WebhookEndpoints } from './webhook-endpoints';
import { GIVE_UP_AFTER_MS, WebhookOutbox } from './webhook-outbox';
import { WebhookWorker, type WebhookWorkerOptions } from './webhook-worker';

export interface WebhooksOptions extends WebhookWorkerOptions {
  /** How long after its event a delivery is given up; default 72 hours. */
  giveUpAfterMs?: number;
}

export interface WebhooksModule {
  endpoints: WebhookEndpoints;
  worker: WebhookWorker;
}

/** Signed webhooks: the outbox rides every audited change's transaction; the worker starts with the background loops. */
export function createWebhooksModule(deps: { db: Kysely<Database>; audit: AuditLog; network: NetworkProfile; leases: Leases; alerts?: AlertCenter }, options: WebhooksOptions = {}): WebhooksModule {
  const outbox = new WebhookOutbox(deps.network, options.giveUpAfterMs ?? GIVE_UP_AFTER_MS);
  deps.audit.onAppend((trx, rows) => outbox.append(trx, rows));
  const endpoints = new WebhookEndpoints(deps.db, deps.audit, deps.network, options.now);
  const worker = new WebhookWorker(deps.db, deps.audit, endpoints, deps.leases, options, deps.alerts ? { center: deps.alerts, network: deps.network } : undefined);
  return { endpoints, worker };
}
