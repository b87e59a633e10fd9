import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '@test/engine';
import { startApiServer } from '../../../electron/host/api/api-server';

/** The API beyond loopback: refused without TLS, served over HTTPS with the given certificate and key. */
let t: TestEngine;
let dir: string;
beforeAll(async () => {
  t = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'treasury-tls-'));
  // A self-signed certificate for 127.0.0.1, made by OpenSSL as an operator would make one.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
});
afterAll(async () => {
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('API transport', () => {
  it('refuses to listen beyond loopback without TLS, naming what is missing', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await expect(startApiServer({ engine: t.engine, host, port: 0 })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/only over TLS: give a certificate and key file/) });
    }
  });

  it('serves HTTPS with the given certificate; a client that trusts it reads the API, plain HTTP is not answered', async () => {
    const cert = readFileSync(join(dir, 'cert.pem'));
    const api = await startApiServer({ engine: t.engine, host: '0.0.0.0', port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) }, log: () => {} });
    try {
      expect(api.url).toMatch(/^https:\/\/0\.0\.0\.0:\d+\/v1$/);
      const base = `https://127.0.0.1:${api.port}/v1`;
      expect((await get(`${base}/openapi.json`, cert)).status).toBe(200);
      const refused = await get(`${base}/virtual-wallets`, cert);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      await expect(fetch(`http://127.0.0.1:${api.port}/v1/openapi.json`)).rejects.toThrow();
    } finally {
      await api.close();
    }
  });
});
