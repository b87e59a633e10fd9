import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const CLI = resolve(ROOT, 'electron/host/cli.ts');

interface Host {
  process: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
}
const started: Host[] = [];
afterEach(async () => {
  for (const host of started.splice(0)) {
    host.process.kill('SIGTERM');
    await host.exit;
  }
});

/** `npm run host` as the officer runs it (supervised), on a data folder of its own, no chains needed to start. */
function startCli(home: string): Host {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json', TREASURY_HOME: home, TREASURY_RENDERER_DIR: home, TREASURY_PORT: '0', TREASURY_DATABASE_URL: '', TREASURY_PROFILE: 'devnet', TREASURY_HOST_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const host: Host = { process: child, lines: [], exit: new Promise((done) => child.once('exit', (code) => done(code))) };
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => host.lines.push(line));
  started.push(host);
  return host;
}

async function waitFor(host: Host, pattern: RegExp, count = 1): Promise<string> {
  const end = Date.now() + 45_000;
  for (;;) {
    const matches = host.lines.filter((line) => pattern.test(line));
    if (matches.length >= count) return matches[count - 1]!;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; output:\n${host.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const openUrl = /Open: (http:\/\/127\.0\.0\.1:\d+)\/#token=([0-9a-f]{64})/;
const status = (url: string, token: string) =>
  fetch(`${url}/api/system:status`, { method: 'POST', headers: { 'x-treasury-token': token }, body: '{}' }).then((r) => r.json());

describe('npm run host', () => {
  it('refuses a second host on the same data folder, naming the first one\'s pid and door', async () => {
    const home = mkdtempSync(join(tmpdir(), 'treasury-cli-'));
    const first = startCli(home);
    await waitFor(first, openUrl);
    const second = startCli(home);
    expect(await second.exit).toBe(1);
    const refusal = second.lines.join('\n');
    expect(refusal).toMatch(/in use by the headless host, pid \d+/);
    const holderPid = Number(/pid (\d+)/.exec(refusal)![1]);
    expect(holderPid).not.toBe(second.process.pid);
    // The first one is untouched and still serves.
    const [, url, token] = openUrl.exec(await waitFor(first, openUrl))!;
    expect(await status(url!, token!)).toMatchObject({ ok: true });
  });

  it('restarts the host after kill -9, on the same address and token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'treasury-cli-'));
    const host = startCli(home);
    const [, url, token] = openUrl.exec(await waitFor(host, openUrl))!;
    // The devnet workspace's database, in its own folder of the data folder.
    const holder = JSON.parse(readFileSync(join(home, 'devnet', 'treasury.sqlite.lock.json'), 'utf8')) as { pid: number };
    expect(holder.pid).not.toBe(host.process.pid);
    process.kill(holder.pid, 'SIGKILL');
    await waitFor(host, /restarting/);
    expect(await waitFor(host, openUrl, 2)).toContain(`${url}/#token=${token}`);
    expect(await status(url!, token!)).toMatchObject({ ok: true });
  });
});
