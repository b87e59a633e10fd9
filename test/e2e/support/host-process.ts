import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HostProcess {
  openUrl: string;
  home: string;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Starts `electron/host/cli.ts` as its own process on a fresh data folder, as a user would; or on a
 * prepared one (`home`, which is then left in place for its owner to remove).
 */
export async function startHostProcess(env: Record<string, string> = {}, options: { home?: string } = {}): Promise<HostProcess> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'treasury-e2e-'));
  // Node with tsx's loader, not the tsx command: that one SIGKILLs its child when it does not acknowledge a
  // signal within 30 ms (tsx 4 relaySignals), which under load orphaned the host still holding its folder.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/host/cli.ts')], {
    cwd: ROOT,
    // The devnet workspace with cheap scrypt and a frequent gas tank read (electron/host/test-host.ts).
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json'), TREASURY_HOME: home, TREASURY_PORT: '0', TREASURY_TEST_HOST: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
  return {
    openUrl,
    home,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await hostsGone(home);
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Waits until no process holds a workspace of `home`, so a host started next on it is not refused. */
async function hostsGone(home: string): Promise<void> {
  const holders = () =>
    (existsSync(home) ? readdirSync(home) : [])
      .map((folder) => join(home, folder, 'treasury.sqlite.lock.json'))
      .filter((file) => existsSync(file))
      .filter((file) => {
        try {
          process.kill((JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid, 0);
          return true;
        } catch {
          return false; // gone, or the file went away while read
        }
      });
  for (const end = Date.now() + 30_000; holders().length > 0; ) {
    if (Date.now() > end) throw new Error(`the host on ${home} did not stop within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
