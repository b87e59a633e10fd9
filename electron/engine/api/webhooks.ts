import type { WebhooksModule } from '../webhooks';
import type { AreaHandlers } from './types';

/** Webhook endpoints, the delivery log and replays (webhooks/). */
export const webhookHandlers = ({ endpoints, worker }: WebhooksModule): AreaHandlers<'webhooks'> => ({
  list: async () => endpoints.list(),
  create: async ({ url, description, events }, context) => endpoints.create({ url, description: description ?? '', events }, context.operator ?? 'system'),
  update: async ({ endpointId, ...patch }, context) => {
    const updated = await endpoints.update(endpointId, patch, context.operator ?? 'system');
    worker.wake();
    return updated;
  },
  rotateSecret: async ({ endpointId, overlapHours }, context) => endpoints.rotateSecret(endpointId, overlapHours, context.operator ?? 'system'),
  deliveries: async ({ endpointId, state, before, limit }) => endpoints.deliveries(endpointId, { ...(state ? { state } : {}), ...(before !== undefined ? { before } : {}), limit }),
  replay: async ({ deliveryId }, context) => {
    const replayed = await endpoints.replay(deliveryId, context.operator ?? 'system');
    worker.wake();
    return replayed;
  },
});
