import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { consoleLog } from '@engine/log';
import type { ApiCall, ApiPrincipal } from '@engine/api-keys/api-key-service';
import type { Database } from '@engine/db/schema';
import { requestHash, type Outcome } from '@engine/idempotency/idempotency-store';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import { DomainError, fail, type ErrorCode } from '@shared/result';
import { bodyLimit } from '../body-limits';
import { readBody } from '../read-body';
import { HTTP_STATUS } from './http-status';
import { openApiDocument } from './openapi';
import { API_ROUTES, engineIdempotencyKey, type ApiEngine, type ApiRoute, type RouteContext } from './routes';

export interface ApiServerOptions {
  engine: ApiEngine;
  /** Bind address; loopback (127.0.0.1) by default. Anything else needs `tls`. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** PEM certificate chain and private key: the API then speaks HTTPS only. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  bodyTimeoutMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningApi {
  /** The base URL with /v1, as printed on start. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const BODY_TIMEOUT_MS = 30_000;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Loopback names and addresses: the only binds allowed without TLS. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * The integration API (/v1): REST routes over the same dispatcher the window uses, an API key on every call
 * (x-api-key, or Authorization: Bearer), the key's scopes, address allowlist and rate limit, Idempotency-Key
 * on every POST (the first answer replayed, another body refused with 409, kept 48 h in the database), every
 * call audited with its key, and every refusal answered with its HTTP status and the typed error body.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApi> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.tls) {
    throw new DomainError('validation', `The API may listen on ${host} (beyond loopback) only over TLS: give a certificate and key file (--api-tls-cert, --api-tls-key).`);
  }
  const { engine } = options;
  const log = options.log ?? consoleLog;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  // Static segments first, so /v1/virtual-wallets/virtual-balances is never read as a wallet id.
  const routes = API_ROUTES.map(compile).sort((a, b) => a.names.length - b.names.length);
  let document: unknown = null;

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((error) => {
      log('API request failed', error);
      if (!res.headersSent) sendError(res, 500, 'internal', 'The treasury hit an unexpected error; nothing was changed by this request.');
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, headersTimeout: BODY_TIMEOUT_MS, requestTimeout: BODY_TIMEOUT_MS + 10_000 }, listener)
    : createHttpServer({ headersTimeout: BODY_TIMEOUT_MS, requestTimeout: BODY_TIMEOUT_MS + 10_000 }, listener);
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
    if (error.code !== 'ECONNRESET') log('API dropped a malformed request', error);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const method = req.method ?? 'GET';
    if (path === '/v1/openapi.json') {
      if (method !== 'GET') return sendError(res, 405, 'validation', 'Use GET.');
      document ??= openApiDocument(serverUrl());
      return send(res, 200, document);
    }
    const matches = routes.map((compiled) => ({ compiled, match: compiled.pattern.exec(path) })).filter((m) => m.match);
    if (matches.length === 0) return sendError(res, 404, 'not_found', 'No such API resource: see /v1/openapi.json.');
    const found = matches.find((m) => m.compiled.route.method === method);
    if (!found) return sendError(res, 405, 'validation', `Use ${[...new Set(matches.map((m) => m.compiled.route.method))].join(' or ')}.`);
    const { route, names } = found.compiled;
    const ip = req.socket.remoteAddress ?? 'unknown';
    const routeName = `${method} ${route.path}`;

    const auth = await engine.services.apiKeys.authenticate(presentedKey(req), ip, routeName);
    if (!auth.ok) {
      if (auth.retryAfterSeconds) res.setHeader('retry-after', String(auth.retryAfterSeconds));
      return sendError(res, auth.status, auth.code, auth.message);
    }
    const principal = auth.principal;
    const call = (outcome: { status: number; code?: string; replayed?: boolean }): ApiCall => ({
      method,
      route: route.path,
      ip,
      status: outcome.status,
      ...(outcome.code ? { code: outcome.code } : {}),
      ...(outcome.replayed ? { replayed: true } : {}),
    });
    // A stored outcome's audit record commits in the same transaction as the outcome; any other is recorded after.
    const audited = (ex: Kysely<Database>, stored: Outcome) => engine.services.apiKeys.recordCall(principal, call({ status: stored.status, code: errorCode(stored.body) }), ex);
    const outcome = await answer(req, route, names, found.match!, target, queryAt, principal, path, method, audited);
    if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
    if (!outcome.audited) await engine.services.apiKeys.recordCall(principal, call(outcome));
    if (outcome.status === 0) return; // the peer went away mid-body: nobody to answer
    if (outcome.close) res.setHeader('connection', 'close');
    send(res, outcome.status, outcome.body);
  }

  async function answer(
    req: IncomingMessage,
    route: ApiRoute,
    names: string[],
    match: RegExpExecArray,
    target: string,
    queryAt: number,
    principal: ApiPrincipal,
    path: string,
    method: string,
    audited: (ex: Kysely<Database>, stored: Outcome) => Promise<void>,
  ): Promise<{ status: number; body: unknown; code?: string; replayed?: boolean; close?: boolean; audited?: boolean }> {
    const refusal = (error: DomainError) => ({ status: HTTP_STATUS[error.code], body: fail(error.code, error.message, error.details), code: error.code });
    try {
      const rawParams: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) {
        try {
          rawParams[names[i]!] = decodeURIComponent(match[i + 1]!);
        } catch {
          throw new DomainError('validation', 'The request path is malformed.');
        }
      }
      const rawQuery: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1))) {
        if (Object.hasOwn(rawQuery, key)) throw new DomainError('validation', `The query parameter "${key}" is given twice.`);
        rawQuery[key] = value;
      }
      let rawBody: unknown;
      if (route.body) {
        const body = await readBody(req, route.path.includes('/documents/') ? bodyLimit('clients:kyc:addIdentityDocument') : bodyLimit(''), bodyTimeoutMs);
        if (body.kind === 'aborted') return { status: 0, body: null };
        if (body.kind === 'too_large') return { ...refusal(new DomainError('validation', `The request body is larger than ${body.limit} bytes.`)), close: true };
        if (body.kind === 'stalled') return { ...refusal(new DomainError('validation', 'The request body did not arrive in time.')), close: true };
        try {
          rawBody = body.text.length === 0 ? undefined : JSON.parse(body.text);
        } catch {
          throw new DomainError('validation', 'The request body is not JSON.');
        }
      }
      const params = parse(route.params, rawParams, 'path');
      const query = parse(route.query, rawQuery, 'query');
      const body = route.body ? parse(route.body, rawBody, 'body') : undefined;

      const headerKey = idempotencyKeyOf(req);
      if (method !== 'POST' && headerKey !== null) throw new DomainError('validation', 'Idempotency-Key is for POST requests.');
      const run = async () => {
        try {
          const context = routeContext(principal, params, query, body, headerKey);
          const result = await route.handle(context);
          return { status: result.status ?? route.status, body: result.body };
        } catch (error) {
          if (error instanceof DomainError) return refusal(error);
          throw error;
        }
      };
      if (method !== 'POST' || headerKey === null) {
        const outcome = await run();
        return { ...outcome, code: errorCode(outcome.body) };
      }
      const fingerprint = requestHash({ method, path, query: rawQuery, body: rawBody ?? null });
      const outcome = await engine.services.idempotency.run(`api:${principal.keyId}`, headerKey, fingerprint, run, audited);
      return { status: outcome.status, body: outcome.body, code: errorCode(outcome.body), replayed: outcome.replayed, ...(outcome.alongside ? { audited: true } : {}) };
    } catch (error) {
      if (error instanceof DomainError) return refusal(error);
      log(`Unexpected error on ${method} ${route.path}`, error);
      return { status: 500, body: fail('internal', 'The treasury hit an unexpected error; nothing was changed by this request.'), code: 'internal' };
    }
  }

  function routeContext(principal: ApiPrincipal, params: unknown, query: unknown, body: unknown, headerKey: string | null): RouteContext<unknown, unknown, unknown> {
    const assets = new Map<string, Promise<Asset>>();
    return {
      params,
      query,
      body,
      engineKey: engineIdempotencyKey(principal.keyId, headerKey),
      async call<T>(channel: string, payload: unknown): Promise<T> {
        const result = await engine.api.call(channel, payload, { door: 'api', apiKey: principal });
        if (!result.ok) throw new DomainError(result.error.code, result.error.message, result.error.details);
        return result.data as T;
      },
      asset(assetId: string): Promise<Asset> {
        let asset = assets.get(assetId);
        if (!asset) assets.set(assetId, (asset = engine.services.assets.get(assetId)));
        return asset;
      },
      ownWallet(address: string): Promise<{ id: string; chain: Chain } | null> {
        return engine.services.wallets.byAddress(address);
      },
    };
  }

  function serverUrl(): string {
    const bracketed = host.includes(':') ? `[${host}]` : host;
    return `${options.tls ? 'https' : 'http'}://${bracketed}:${port}/v1`;
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  }).catch((error: NodeJS.ErrnoException) => {
    throw new DomainError('validation', `The API cannot listen on ${host}:${options.port ?? 0}: ${error.code ?? error.message}.`);
  });
  server.on('error', (error) => log('API server error', error));
  const port = (server.address() as AddressInfo).port;
  return {
    url: serverUrl(),
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  const authorization = req.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return bearer?.[1];
}

/** `Idempotency-Key` (or CryptoMate's older `x-idempotency-key`); a malformed one is a 400, not ignored. */
function idempotencyKeyOf(req: IncomingMessage): string | null {
  const value = req.headers['idempotency-key'] ?? req.headers['x-idempotency-key'];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new DomainError('validation', 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
  }
  return value;
}

function parse(schema: ApiRoute['params'] | NonNullable<ApiRoute['body']>, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  let parsed;
  try {
    parsed = schema.safeParse(value);
  } catch {
    throw new DomainError('validation', `The request ${where} is not valid.`);
  }
  if (!parsed.success) {
    throw new DomainError('validation', `The request ${where} is not valid.`, {
      issues: parsed.error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

function errorCode(body: unknown): string | undefined {
  const error = (body as { ok?: boolean; error?: { code?: unknown } } | null)?.error;
  return (body as { ok?: boolean } | null)?.ok === false && typeof error?.code === 'string' ? error.code : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  send(res, status, fail(code, message));
}
