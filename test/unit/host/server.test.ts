import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const received = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    t.engine.events.publish({ type: 'configuration.changed', profile: 'testnet' });
    expect(JSON.parse(await received)).toEqual({ type: 'configuration.changed', profile: 'testnet' });
    socket.close();
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
