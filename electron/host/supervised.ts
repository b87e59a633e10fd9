import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { supervise } from './supervisor';

/** Set in the child the supervisor runs; `--no-supervise` runs the host without one (tests, debugging). */
const CHILD_MARK = 'TREASURY_SUPERVISED';

/** Whether this process is the supervisor's child (or asked to run unsupervised), so it should serve. */
export function shouldServe(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[CHILD_MARK] === '1' || argv.includes('--no-supervise') || argv.includes('--bundle');
}

/** In the child: tells the supervisor the host serves, so a later exit is a crash to restart from. */
export function reportReady(): void {
  process.send?.('ready');
}

/**
 * `npm run host` runs as this supervisor: it re-runs the same script (same node flags and loader) as a
 * child and restarts it after a crash. The port and the session token are fixed here, so the URL the
 * officer opened keeps working across restarts.
 */
export async function runSupervisor(): Promise<never> {
  const port = process.env.TREASURY_PORT && process.env.TREASURY_PORT !== '0' ? process.env.TREASURY_PORT : String(await freePort());
  const token = process.env.TREASURY_HOST_TOKEN || randomBytes(32).toString('hex');
  const supervisor = supervise({
    command: process.execPath,
    args: [...process.execArgv, ...process.argv.slice(1)],
    env: { ...process.env, [CHILD_MARK]: '1', TREASURY_PORT: port, TREASURY_HOST_TOKEN: token },
    log: (message) => console.error(message),
  });
  process.on('SIGINT', () => supervisor.stop());
  process.on('SIGTERM', () => supervisor.stop());
  process.exit(await supervisor.done);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
