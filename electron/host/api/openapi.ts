import { z } from 'zod';
import { API_SCOPES } from '@shared/domain/api-keys';
import { errorBody } from './resources';
import { API_ROUTES, type ApiRoute } from './routes';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const ERROR_STATUSES: Record<string, string> = {
  '400': 'The request\'s shape is wrong (path, query or body); `details.issues` names each field.',
  '401': 'No valid API key (missing, unknown, revoked, expired, or a rotated secret past its overlap).',
  '403': 'The key lacks the scope, or the call comes from an address outside its allowlist.',
  '404': 'Nothing by that id.',
  '409': 'A conflict: the Idempotency-Key was used with another request, or the state does not allow it.',
  '412': 'A rule of the books refuses it now: balance, KYC, limits, four eyes, whitelist.',
  '422': 'A value fails its check: an address, an amount with too many decimals, an IBAN.',
  '429': 'The key\'s rate limit: wait the seconds in Retry-After.',
  '503': 'A part the treasury needs is unavailable: the seed is locked, a chain or the Ledger.',
};

function parameters(route: ApiRoute): unknown[] {
  const list: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const [name, field] of Object.entries(shape)) {
      list.push({ name, in: where, required: where === 'path' || !field.safeParse(undefined).success, schema: jsonSchema(field, 'input') });
    }
  }
  if (route.method === 'POST') {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Any 1 to 255 printable ASCII characters. A repeat with the same key answers the first result (header Idempotent-Replayed: true); the same key with another body answers 409. Kept at least 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return list;
}

/** OpenAPI 3.1, generated from the routes' own zod schemas (zod's JSON Schema is draft 2020-12, as 3.1 uses). */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const responses: Record<string, unknown> = {
      [String(route.status)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    };
    if (route.alsoStatus) responses[String(route.alsoStatus)] = { description: 'Success (internal transfer)', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/^\/v1/, '').replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      security: [{ apiKey: [route.scope] }],
      'x-scope': route.scope,
      parameters: parameters(route),
      responses,
    };
    if (route.body) operation.requestBody = { required: route.body.safeParse(undefined).success === false, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } };
    (paths[route.path.replace(/^\/v1/, '')] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Treasury integration API',
      version: '1',
      description: `Virtual wallets, withdrawals, holding, clients and ramps. Every call carries an API key (header x-api-key) made by an admin in Settings → API keys, with scopes ${API_SCOPES.join(', ')}. Amounts are decimal strings in the asset's units with the base units beside them.`,
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: { Error: jsonSchema(errorBody, 'output') },
    },
    paths,
  };
}
