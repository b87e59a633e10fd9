import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '@engine/engine';
import { consoleLog } from '@engine/log';
import { SESSION_HEADER } from '@shared/ipc/session';
import { fail, type ErrorCode } from '@shared/result';
import { bodyLimit } from './body-limits';
import { readBody } from './read-body';

export interface HostOptions {
  /** What the door reaches: an engine, or the workspaces (whichever network's engine is open). */
  engine: Pick<Engine, 'api' | 'events'>;
  /** Built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
  /** How long a request body may take to arrive before a 408; 30 s by default (shorter in tests). */
  bodyTimeoutMs?: number;
  /** Where a peer's broken connection is reported; the process never dies of one. */
  log?: (message: string, error?: unknown) => void;
}

export interface RunningHost {
  url: string;
  /** URL with the token in the fragment, which never reaches server logs or Referer headers. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const BODY_TIMEOUT_MS = 30_000;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The headless door: the same api the Electron window reaches over IPC, served on loopback only,
 * every call carrying the per-start token, and (once signed in) the operator session header.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const rendererDir = resolve(options.rendererDir);
  const log = options.log ?? consoleLog;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  let port = 0;

  // Headers must arrive within 30 s. An api body has its own, exact timer (readBody, a typed 408); Node's
  // request timeout (receiving only, never the engine's work) is the backstop for a body nobody reads,
  // such as the rest of a refused request's.
  const server: Server = createServer({ headersTimeout: BODY_TIMEOUT_MS, requestTimeout: BODY_TIMEOUT_MS + 10_000 }, (req, res) => {
    void handle(req, res).catch((error) => {
      log('Headless host request failed', error);
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal error');
    });
  });
  // A peer that breaks HTTP itself (bad request line, reset, header timeout) loses its one connection.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code !== 'ECONNRESET') log('Headless host dropped a malformed request', error);
    if (socket.writable) socket.end(`HTTP/1.1 ${error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) return send(res, 421, { 'content-type': 'text/plain' }, 'Wrong host');
    const path = requestPath(req.url);
    const isApi = path?.startsWith('/api/') ?? false;
    // A path that is not well-formed percent-encoding names nothing: 400 before anything else reads it.
    if (path === null || !wellFormedPath(path)) {
      return isApi ? sendJson(res, 400, 'validation', 'The request path is malformed.') : send(res, 400, { 'content-type': 'text/plain' }, 'Bad request');
    }
    if (isApi) return handleApi(req, res, path.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { 'content-type': 'text/plain' }, 'Method not allowed');
    return serveStatic(res, path);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, encodedChannel: string): Promise<void> {
    if (!originAllowed(req.headers.origin, port)) return sendJson(res, 403, 'forbidden', 'Calls are accepted only from the app\'s own page.');
    if (req.method !== 'POST') return sendJson(res, 405, 'validation', 'Use POST.');
    if (!tokenMatches(req.headers['x-treasury-token'], token)) {
      return sendJson(res, 401, 'unauthenticated', 'Missing or wrong session token.');
    }
    const channel = decodeURIComponent(encodedChannel);
    const body = await readBody(req, bodyLimit(channel), bodyTimeoutMs);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too_large') {
      return sendJson(res, 400, 'validation', `Request body too large: this channel accepts at most ${body.limit} bytes.`, true);
    }
    if (body.kind === 'stalled') {
      return sendJson(res, 408, 'validation', `The request body did not arrive within ${Math.round(bodyTimeoutMs / 1000)} s.`, true);
    }
    let payload: unknown;
    try {
      // An empty body is a call without a request (`{}`); JSON null is a request, and refused by the dispatcher.
      payload = body.text.length === 0 ? undefined : JSON.parse(body.text);
    } catch {
      return sendJson(res, 400, 'validation', 'Request body is not JSON.');
    }
    // The operator session rides in its own header; the dispatcher resolves it to an operator and role.
    const sessionHeader = req.headers[SESSION_HEADER];
    const session = typeof sessionHeader === 'string' && /^[0-9a-f]{64}$/.test(sessionHeader) ? sessionHeader : undefined;
    const result = await options.engine.api.call(channel, payload, { door: 'headless', session });
    send(res, 200, JSON_HEADERS, JSON.stringify(result));
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = resolve(join(rendererDir, relative));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      return send(res, 404, { 'content-type': 'text/plain' }, 'Not found');
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      return send(res, 503, { 'content-type': 'text/plain' }, 'The renderer is not built yet: run `npm run build`.');
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    pipeline(createReadStream(file), res, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') log('Serving a renderer file failed', error);
    });
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  sockets.on('error', (error) => log('Event socket server error', error));
  // One peer's bad frame (oversize, invalid UTF-8, unmasked, reserved bits or opcodes, a bad close code)
  // closes that peer's socket only. The socket is push-only: whatever a peer sends is ignored.
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => {
      log('Closed an event socket after a malformed frame', error);
      ws.terminate();
    });
  });
  const unsubscribe = options.engine.events.subscribe((event) => {
    const frame = JSON.stringify(event);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => log('Event socket connection failed', error));
    const path = requestPath(req.url);
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const refusal =
      path !== '/events' || !hostAllowed(req.headers.host, port)
        ? '404 Not Found'
        : !originAllowed(req.headers.origin, port)
          ? '403 Forbidden'
          : !tokenMatches(query.get('token') ?? '', token)
            ? '401 Unauthorized'
            : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  // Past listening, a server error (accept failing on too many open files) is logged, never fatal.
  server.on('error', (error) => log('Headless host server error', error));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/#token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** DNS-rebinding guard: only loopback names with our port. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * A browser names the page that makes a call: only the host's own page may call. Clients that send no
 * Origin (scripts with the token) are allowed; any other page (another site, a file://) is refused.
 */
function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The raw path of an origin-form request target (`/a/b?x`), or null for any other form. */
function requestPath(target: string | undefined): string | null {
  const raw = target ?? '/';
  if (!raw.startsWith('/')) return null;
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

/** Every % starts a hex pair and the bytes they spell are UTF-8. */
function wellFormedPath(path: string): boolean {
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return false;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // blob: for a KYC scan the window opened itself (an image, or a PDF in a frame); nothing from elsewhere
    "img-src 'self' data: blob:",
    "frame-src blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** A typed refusal; `close` ends the connection after it, for a body the host stopped reading. */
function sendJson(res: ServerResponse, status: number, code: ErrorCode, message: string, close = false): void {
  send(res, status, close ? { ...JSON_HEADERS, connection: 'close' } : JSON_HEADERS, JSON.stringify(fail(code, message)));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
