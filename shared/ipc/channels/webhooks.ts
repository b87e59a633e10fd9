import { z } from 'zod';
import { WEBHOOK_SUBSCRIPTIONS, type WebhookDeliveryView, type WebhookEndpointView, type WebhookSecretReveal, type WebhookSubscription } from '../../domain/webhooks';
import { channel } from '../define';
import * as s from '../schemas';

const url = s.httpUrl.refine((u) => u.length <= 2000, 'At most 2000 characters.');
const events = z
  .array(z.enum(WEBHOOK_SUBSCRIPTIONS as [WebhookSubscription, ...WebhookSubscription[]]))
  .min(1, 'Choose at least one event.')
  .max(WEBHOOK_SUBSCRIPTIONS.length)
  .transform((list) => [...new Set(list)]);

/** Webhook endpoints, their delivery log and replays (admin); served by every door, delivered by the service. */
export const webhookChannels = {
  list: channel<WebhookEndpointView[]>()('webhooks:list', s.empty),
  /** Answers the secret once; it is never shown again (rotate for a new one). */
  create: channel<WebhookSecretReveal>()('webhooks:create', z.object({ url, description: s.optionalText(200).default(''), events }).strict()),
  update: channel<WebhookEndpointView>()(
    'webhooks:update',
    z.object({ endpointId: s.id, url: url.optional(), description: s.optionalText(200), events: events.optional(), enabled: z.boolean().optional() }).strict(),
  ),
  /** A new secret (answered once); the old one keeps signing beside it for overlapHours. */
  rotateSecret: channel<WebhookSecretReveal>()('webhooks:rotateSecret', z.object({ endpointId: s.id, overlapHours: z.number().int().min(0).max(720).default(24) }).strict()),
  deliveries: channel<WebhookDeliveryView[]>()(
    'webhooks:deliveries',
    z.object({ endpointId: s.id, state: z.enum(['pending', 'delivered', 'failed']).optional(), before: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
  ),
  replay: channel<WebhookDeliveryView>()('webhooks:replay', z.object({ deliveryId: s.id }).strict()),
} as const;
