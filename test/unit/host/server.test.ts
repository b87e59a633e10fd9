import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { startTestEngine, type TestEngine } from '@test/engine';

let t: TestEngine;
let host: RunningHost;
beforeAll(async () => {
  t = await startTestEngine();
  const rendererDir = mkdtempSync(join(tmpdir(), 'treasury-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Treasury</title>');
  host = await startHost({ engine: t.engine, rendererDir });
});
afterAll(async () => {
  await host.close();
  await t.dispose();
});

const call = (channel: string, body: unknown, token: string | null = host.token, hostHeader?: string) =>
  fetch(`${host.url}/api/${channel}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { 'x-treasury-token': token } : {}),
      ...(hostHeader ? { host: hostHeader } : {}),
    },
    body: JSON.stringify(body),
  });

/** A fresh token-carrying socket receives the next engine event. */
async function expectEventsPushed(): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const received = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
  t.engine.events.publish({ type: 'configuration.changed', profile: 'testnet' });
  expect(JSON.parse(await received)).toEqual({ type: 'configuration.changed', profile: 'testnet' });
  socket.close();
}

describe('headless host', () => {
  it('listens on loopback only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers api calls with the token', async () => {
    const response = await call('system:status', {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, data: { host: 'headless' } });
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'f'.repeat(64)],
  ])('refuses %s', async (_case, token) => {
    const response = await call('system:status', {}, token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses a body that is not JSON with a validation error', async () => {
    const response = await fetch(`${host.url}/api/system:status`, {
      method: 'POST',
      headers: { 'x-treasury-token': host.token },
      body: '{not json',
    });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`${host.url}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('does not serve files outside the renderer folder', async () => {
    const response = await fetch(`${host.url}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await response.text()).not.toContain('root:');
  });

  it('pushes engine events over the token-guarded WebSocket', async () => {
    await expectEventsPushed();
  });

  it('refuses a WebSocket without the token', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});

/** A raw WebSocket client: handshake by hand, then any bytes, so a test can send frames `ws` would never build. */
async function rawSocket(port: number, token: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /events?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

/** A client frame: first byte (FIN, RSV, opcode), masked unless told, with a 7-, 16-bit length. */
function frame(first: number, payload: Buffer, masked = true): Buffer {
  const length = payload.length < 126 ? Buffer.from([payload.length]) : Buffer.from([126, payload.length >> 8, payload.length & 0xff]);
  if (masked) length[0]! |= 0x80;
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
  return Buffer.concat([Buffer.from([first]), length, mask, body]);
}

const closeCode = (code: number) => Buffer.from([code >> 8, code & 0xff]);

describe('headless host under hostile peers', () => {
  it.each([
    ['a frame over 4 KiB', frame(0x81, Buffer.alloc(5000, 0x61))],
    ['invalid UTF-8 in a text frame', frame(0x81, Buffer.from([0xff, 0xfe, 0xfd]))],
    ['an unmasked frame', frame(0x81, Buffer.from('hi'), false)],
    ['a reserved opcode', frame(0x83, Buffer.from('hi'))],
    ['the RSV1 bit without an extension', frame(0xc1, Buffer.from('hi'))],
    ['a ping over 125 bytes', frame(0x89, Buffer.alloc(200))],
    ['close code 999', frame(0x88, closeCode(999))],
    ['a fragmented control frame', frame(0x09, Buffer.from('hi'))],
  ])('closes only the socket that sent %s and keeps serving', async (_kind, bytes) => {
    const bad = await rawSocket(host.port, host.token);
    const closed = new Promise<void>((resolve) => bad.once('close', () => resolve()));
    bad.on('error', () => undefined);
    bad.write(bytes);
    await closed;

    const response = await call('system:status', {});
    expect(await response.json()).toMatchObject({ ok: true });
    await expectEventsPushed();
  });

  /** Raw request line, so the client sends the path exactly as written. */
  async function rawRequest(requestLine: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const socket = connect(host.port, '127.0.0.1');
    const lines = Object.entries({ host: `127.0.0.1:${host.port}`, connection: 'close', 'content-length': '0', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`${requestLine} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    await new Promise((resolve) => socket.once('close', resolve));
    const text = Buffer.concat(chunks).toString('utf8');
    return { status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
  }

  it.each([
    ['POST /api/%E0%A4%A', {}],
    ['POST /api/%E0%A4%A', { 'x-treasury-token': 'TOKEN' }],
    ['POST /api/system:st%ZZatus', { 'x-treasury-token': 'TOKEN' }],
    ['POST /api/%FF', {}],
    ['GET /%', {}],
    ['GET /assets/%C0%AF', {}],
  ])('answers 400 to the malformed path %s', async (requestLine, headers) => {
    const withToken = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'TOKEN' ? host.token : v]));
    const response = await rawRequest(requestLine, withToken);
    expect(response.status).toBe(400);
    if (requestLine.includes('/api/')) expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('still finds a channel whose name is percent-encoded, as the page sends it', async () => {
    const response = await call(encodeURIComponent('system:status'), {});
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it('answers a 2 MiB body with the typed 400, not a reset', async () => {
    const response = await call('system:status', { padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('too large') } });
    expect(await (await call('system:status', {})).json()).toMatchObject({ ok: true });
  });

  it('answers a 2 MiB chunked body (no length given) with the typed 400', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${host.url}/api/system:status`, {
      method: 'POST',
      headers: { 'x-treasury-token': host.token },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('lets a KYC upload the schema accepts (a 1.5 MiB scan) through the door', async () => {
    const file = randomBytes(1536 * 1024).toString('base64');
    const response = await call('clients:kyc:addProofOfAddress', { clientId: 'c1', issuedOn: '2026-01-01', file });
    const result = (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
    expect(response.status).toBe(200);
    // It reaches the engine, which asks for a signed-in operator: the door did not stop it for its size.
    expect(result.error?.code).toBe('unauthenticated');
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a number', '42'],
    ['a string', '"{}"'],
  ])('refuses %s as a request body', async (_case, body) => {
    const response = await fetch(`${host.url}/api/system:status`, { method: 'POST', headers: { 'x-treasury-token': host.token }, body });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it.each([['https://evil.example'], ['null'], ['file://'], [`http://127.0.0.1:1`]])('refuses the Origin %s on the api', async (origin) => {
    const response = await fetch(`${host.url}/api/system:status`, {
      method: 'POST',
      headers: { 'x-treasury-token': host.token, origin },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('accepts the page\'s own Origin on the api', async () => {
    for (const origin of [host.url, `http://localhost:${host.port}`]) {
      const response = await fetch(`${host.url}/api/system:status`, { method: 'POST', headers: { 'x-treasury-token': host.token, origin }, body: '{}' });
      expect(await response.json()).toMatchObject({ ok: true });
    }
  });

  it('refuses a foreign Origin on the event socket', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, { origin: 'https://evil.example' });
    const status = await new Promise<number | string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => resolve('error'));
    });
    expect(status).toBe(403);
  });
});

describe('headless host with a stalled body', () => {
  it('answers 408 when an authenticated body stops arriving, and keeps serving', async () => {
    const slow = await startHost({ engine: t.engine, rendererDir: mkdtempSync(join(tmpdir(), 'treasury-renderer-')), bodyTimeoutMs: 400 });
    try {
      const socket = connect(slow.port, '127.0.0.1');
      socket.write(
        `POST /api/system:status HTTP/1.1\r\nHost: 127.0.0.1:${slow.port}\r\nx-treasury-token: ${slow.token}\r\n` +
          `content-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":`,
      );
      const started = Date.now();
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      await new Promise((resolve) => socket.once('close', resolve));
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(Date.now() - started).toBeLessThan(3000);
      const response = await fetch(`${slow.url}/api/system:status`, { method: 'POST', headers: { 'x-treasury-token': slow.token }, body: '{}' });
      expect(await response.json()).toMatchObject({ ok: true });
    } finally {
      await slow.close();
    }
  });
});
