import { KYC_STATUSES } from './clients';
import { OFFRAMP_STATES, ONRAMP_STATES } from './ramps';
import { SWEEP_STATES } from './sweeps';
import { WITHDRAWAL_STATES } from './withdrawals';

/**
 * Every event a webhook endpoint can subscribe to. A subscription names types or whole areas (`withdrawal.*`).
 * withdrawal.confirmed is a withdrawal's success, withdrawal.failed its failure.
 */
export const WEBHOOK_EVENT_TYPES = [
  'deposit.seen',
  'deposit.confirmed',
  'deposit.reversed',
  ...WITHDRAWAL_STATES.map((s) => `withdrawal.${s}` as const),
  ...SWEEP_STATES.map((s) => `sweep.${s}` as const),
  ...ONRAMP_STATES.map((s) => `onramp.${s}` as const),
  ...OFFRAMP_STATES.map((s) => `offramp.${s}` as const),
  ...KYC_STATUSES.map((s) => `kyc.${s}` as const),
  'alert.raised',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_AREAS = ['deposit', 'withdrawal', 'sweep', 'onramp', 'offramp', 'kyc', 'alert'] as const;
export type WebhookEventArea = (typeof WEBHOOK_EVENT_AREAS)[number];

/** What an endpoint subscribes to: an event type, or an area with `.*`. */
export type WebhookSubscription = WebhookEventType | `${WebhookEventArea}.*`;

export const WEBHOOK_SUBSCRIPTIONS: readonly WebhookSubscription[] = [...WEBHOOK_EVENT_AREAS.map((a) => `${a}.*` as const), ...WEBHOOK_EVENT_TYPES];

export function subscribes(events: readonly string[], type: string): boolean {
  return events.includes(type) || events.includes(`${type.slice(0, type.indexOf('.'))}.*`);
}

/** The header carrying the signatures: `t=<unix seconds>,v1=<hex>[,v1=<hex>]` (two v1 during a secret rotation). */
export const WEBHOOK_SIGNATURE_HEADER = 'Treasury-Signature';
/** How old a signed timestamp a receiver should accept, in seconds. */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 300;

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: WebhookSubscription[];
  enabled: boolean;
  /** During a rotation: until when the previous secret still signs beside the new one. */
  previousSecretUntil: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Deliveries waiting (pending) and given up (failed). */
  pending: number;
  failed: number;
}

/** Returned once, when an endpoint is created or its secret rotated: the secret is never shown again. */
export interface WebhookSecretReveal {
  endpoint: WebhookEndpointView;
  secret: string;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  /** The HTTP status answered; null when none came (refused, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** Order within the endpoint (pass as `before` for the next page). */
  position: number;
  state: WebhookDeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  replayOf: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: WebhookAttemptView[];
}
