import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '@engine/engine';
import { SESSION_HEADER } from '@shared/ipc/session';
import { fail } from '@shared/result';

export interface HostOptions {
  /** What the door reaches: an engine, or the workspaces (whichever network's engine is open). */
  engine: Pick<Engine, 'api' | 'events'>;
  /** Built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
}

export interface RunningHost {
  url: string;
  /** URL with the token in the fragment, which never reaches server logs or Referer headers. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
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
  let port = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) return send(res, 421, { 'content-type': 'text/plain' }, 'Wrong host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, decodeURIComponent(url.pathname.slice(5)));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { 'content-type': 'text/plain' }, 'Method not allowed');
    return serveStatic(res, url.pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    if (req.method !== 'POST') return send(res, 405, json, JSON.stringify(fail('validation', 'Use POST.')));
    if (!tokenMatches(req.headers['x-treasury-token'], token)) {
      return send(res, 401, json, JSON.stringify(fail('unauthenticated', 'Missing or wrong session token.')));
    }
    let payload: unknown;
    try {
      const body = await readBody(req);
      payload = body.length === 0 ? {} : JSON.parse(body);
    } catch (error) {
      const message = error instanceof BodyTooLarge ? 'Request body too large.' : 'Request body is not JSON.';
      return send(res, 400, json, JSON.stringify(fail('validation', message)));
    }
    // The operator session rides in its own header; the dispatcher resolves it to an operator and role.
    const sessionHeader = req.headers[SESSION_HEADER];
    const session = typeof sessionHeader === 'string' && /^[0-9a-f]{64}$/.test(sessionHeader) ? sessionHeader : undefined;
    const result = await options.engine.api.call(channel, payload, { door: 'headless', session });
    send(res, 200, json, JSON.stringify(result));
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
    createReadStream(file).pipe(res);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const unsubscribe = options.engine.events.subscribe((event) => {
    const frame = JSON.stringify(event);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/events' || !hostAllowed(req.headers.host, port) || !tokenMatches(url.searchParams.get('token') ?? '', token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
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
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
