import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  const child: ChildProcess = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--tsconfig', join(ROOT, 'tsconfig.node.json'), join(ROOT, 'electron/host/cli.ts')], {
    cwd: ROOT,
    env: { ...process.env, TREASURY_HOME: home, TREASURY_PORT: '0', ...env },
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
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
