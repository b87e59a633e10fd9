import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const CLI = resolve(ROOT, 'electron/host/watcher/cli.ts');

interface Service {
  process: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
  home: string;
}
const started: Service[] = [];
afterEach(async () => {
  for (const service of started.splice(0)) {
    service.process.kill('SIGTERM');
    await service.exit;
    rmSync(service.home, { recursive: true, force: true });
  }
});

/** `npm run service` as a server runs it, on a data folder of its own; no chain needs to answer for it to start. */
function startService(args: string[]): Service {
  const home = mkdtempSync(join(tmpdir(), 'treasury-service-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json', TREASURY_HOME: home, TREASURY_DATABASE_URL: '', TREASURY_PROFILE: 'devnet', TREASURY_API_HOST: '', TREASURY_API_PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service: Service = { process: child, stdout: [], stderr: [], home, exit: new Promise((done) => child.once('exit', (code) => done(code))) };
  createInterface({ input: child.stdout! }).on('line', (line) => service.stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => service.stderr.push(line));
  started.push(service);
  return service;
}

describe('npm run service', () => {
  it('prints exactly one line naming the API, before its health lines, and serves it there', async () => {
    const service = startService(['--api-port', '0', '--health-interval', '1']);
    await expect.poll(() => service.stdout.filter((line) => line.startsWith('{')).length, { timeout: 45_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    const apiLines = service.stdout.filter((line) => line.startsWith('API:'));
    expect(apiLines).toHaveLength(1);
    expect(service.stdout[0]).toBe(apiLines[0]);
    const url = /^API: (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(apiLines[0]!)?.[1];
    expect(url).toBeDefined();
    const document = await fetch(`${url}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { servers: Array<{ url: string }> }).servers[0]!.url).toBe(url);
  }, 60_000);

  it('refuses to serve the API beyond loopback without TLS, with a clear line and exit code 2', async () => {
    const service = startService(['--api-host', '0.0.0.0']);
    expect(await service.exit).toBe(2);
    expect(service.stdout).toEqual([]);
    expect(service.stderr.join('\n')).toMatch(/failed to start \(validation\): Refusing to serve the API on 0\.0\.0\.0 without TLS/);
  }, 60_000);
});
