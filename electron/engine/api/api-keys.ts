import type { ApiKeyService } from '../api-keys/api-key-service';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { AreaHandlers } from './types';

type ApiKeyHandlers = Pick<AreaHandlers<'system'>, 'listApiKeys' | 'createApiKey' | 'rotateApiKey' | 'updateApiKey' | 'revokeApiKey'>;

export const apiKeyHandlers = (keys: ApiKeyService): ApiKeyHandlers => ({
  listApiKeys: () => keys.list(),
  createApiKey: (request, context) => keys.create(request, requireOperator(context, 'create an API key')),
  rotateApiKey: ({ keyId, overlapHours }, context) => keys.rotate(keyId, overlapHours, requireOperator(context, 'rotate an API key')),
  updateApiKey: (request, context) => keys.update(request, requireOperator(context, 'change an API key')),
  revokeApiKey: ({ keyId }, context) => keys.revoke(keyId, requireOperator(context, 'revoke an API key')),
});
