import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine } from '@engine/engine';
import type { DatabaseConfig } from '@engine/db/open';
import type { ScryptParams } from '@engine/custody/seed-vault';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import type { ChainWatchHealth } from '@engine/watch/watch-service';
import type { SweepHealth } from '@engine/sweep/sweep-runner';
import type { WebhookWorkerHealth } from '@engine/webhooks/webhook-worker';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import { isLoopback, startApiServer, type RunningApi } from '../api/api-server';

/** The credential name systemd's LoadCredential= gives the passphrase file (see resources/systemd). */
export const CREDENTIAL_NAME = 'treasury-watcher-passphrase';

export interface WatcherSettings {
  healthIntervalMs: number;
  /** Loopback port of the JSON health endpoint; null: none. 0 picks a free port. */
  healthPort: number | null;
  pollIntervalMs: number;
  leaseRetryMs: number;
  network: NetworkProfile;
  /** The integration API (/v1); null: not served by this process. */
  api: ApiSettings | null;
}

export interface ApiSettings {
  host: string;
  port: number;
  /** Paths of the PEM certificate chain and key; required beyond loopback. */
  tls: { certFile: string; keyFile: string } | null;
}

/** The API's port when none is given. */
export const DEFAULT_API_PORT = 8750;
const USAGE =
  'Usage: npm run service -- [--health-port <port>] [--health-interval <seconds>] [--poll-interval <seconds>] [--lease-retry <seconds>] [--api-host <address>] [--api-port <port>] [--api-tls-cert <file> --api-tls-key <file>] [--no-api]';

/**
 * The watcher's settings from its command line and environment; anything malformed is a `validation` error
 * naming the setting, so a typo in a unit file stops the service with a clear line instead of a default.
 */
export function watcherSettings(argv: string[], env: NodeJS.ProcessEnv): WatcherSettings {
  const flags = new Map<string, string>();
  let noApi = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-api') {
      noApi = true;
      continue;
    }
    const match = /^--(health-port|health-interval|poll-interval|lease-retry|api-host|api-port|api-tls-cert|api-tls-key)(?:=(.*))?$/.exec(arg);
    if (!match) throw new DomainError('validation', `Unknown argument "${arg}". ${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new DomainError('validation', `--${match[1]} needs a value.`);
    flags.set(match[1]!, value);
  }
  const profile = env.TREASURY_PROFILE?.trim() || 'devnet';
  if (!NETWORK_PROFILES.includes(profile as NetworkProfile)) {
    throw new DomainError('validation', `TREASURY_PROFILE must be one of ${NETWORK_PROFILES.join(', ')}; got "${profile}".`);
  }
  const port = flags.get('health-port') ?? env.TREASURY_WATCHER_HEALTH_PORT;
  return {
    healthIntervalMs: seconds('--health-interval', flags.get('health-interval') ?? env.TREASURY_WATCHER_HEALTH_INTERVAL, 60),
    healthPort: port === undefined || port === '' ? null : portNumber(port, '--health-port'),
    pollIntervalMs: seconds('--poll-interval', flags.get('poll-interval') ?? env.TREASURY_WATCHER_POLL_INTERVAL, 2),
    leaseRetryMs: seconds('--lease-retry', flags.get('lease-retry') ?? env.TREASURY_WATCHER_LEASE_RETRY, 5),
    network: profile as NetworkProfile,
    api: noApi || env.TREASURY_API === 'off' ? null : apiSettings(flags, env),
  };
}

/** Loopback by default; any other address only with both TLS files, refused here with the reason otherwise. */
function apiSettings(flags: Map<string, string>, env: NodeJS.ProcessEnv): ApiSettings {
  const host = (flags.get('api-host') ?? env.TREASURY_API_HOST ?? '').trim() || '127.0.0.1';
  const rawPort = flags.get('api-port') ?? env.TREASURY_API_PORT;
  const port = rawPort === undefined || rawPort.trim() === '' ? DEFAULT_API_PORT : portNumber(rawPort, '--api-port');
  const certFile = (flags.get('api-tls-cert') ?? env.TREASURY_API_TLS_CERT ?? '').trim();
  const keyFile = (flags.get('api-tls-key') ?? env.TREASURY_API_TLS_KEY ?? '').trim();
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new DomainError('validation', 'TLS needs both a certificate file (--api-tls-cert) and its key file (--api-tls-key).');
  }
  if (!isLoopback(host) && !certFile) {
    throw new DomainError(
      'validation',
      `Refusing to serve the API on ${host} without TLS: beyond loopback it needs --api-tls-cert <file> and --api-tls-key <file> (or TREASURY_API_TLS_CERT and TREASURY_API_TLS_KEY).`,
    );
  }
  return { host, port, tls: certFile ? { certFile, keyFile } : null };
}

function seconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback * 1000;
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || Number(raw) <= 0 || Number(raw) > 86_400) {
    throw new DomainError('validation', `${name} is a number of seconds above 0 and at most 86400; got "${raw}".`);
  }
  return Math.round(Number(raw) * 1000);
}

function portNumber(raw: string, name: string): number {
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) > 65_535) {
    throw new DomainError('validation', `${name} is a port number from 0 to 65535; got "${raw}".`);
  }
  return Number(raw);
}

function readTlsFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new DomainError('validation', `The TLS ${what} file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
}

export interface UnlockCredential {
  operator: string;
  passphrase: string;
  /** Where the passphrase came from (a path), for the health output; never the passphrase. */
  source: string;
}

/**
 * The operator and passphrase that open the seed without anyone typing: TREASURY_WATCHER_OPERATOR names the
 * operator, and the passphrase is the content of the file TREASURY_WATCHER_PASSPHRASE_FILE names or, under
 * systemd, of $CREDENTIALS_DIRECTORY/treasury-watcher-passphrase (LoadCredential=). Null when neither is set:
 * the watcher then credits deposits and does not sweep. Half a configuration is an error.
 */
export function unlockCredential(env: NodeJS.ProcessEnv): UnlockCredential | null {
  const operator = env.TREASURY_WATCHER_OPERATOR?.trim() || null;
  let path = env.TREASURY_WATCHER_PASSPHRASE_FILE?.trim() || null;
  if (!path && env.CREDENTIALS_DIRECTORY) {
    const candidate = join(env.CREDENTIALS_DIRECTORY, CREDENTIAL_NAME);
    if (existsSync(candidate)) path = candidate;
  }
  if (!operator && !path) return null;
  if (!operator) throw new DomainError('validation', `A passphrase file is configured (${path}) but TREASURY_WATCHER_OPERATOR, the operator it belongs to, is not set.`);
  if (!path) {
    throw new DomainError('validation', `TREASURY_WATCHER_OPERATOR is set but no passphrase file: set TREASURY_WATCHER_PASSPHRASE_FILE or LoadCredential=${CREDENTIAL_NAME}:<file>.`);
  }
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DomainError('validation', `The passphrase file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  // One trailing line break is the file's, not the passphrase's (echo and editors add it).
  const passphrase = content.replace(/\r?\n$/, '');
  if (passphrase.length === 0) throw new DomainError('validation', `The passphrase file ${path} is empty.`);
  return { operator, passphrase, source: path };
}

export interface WatcherHealth {
  type: 'health';
  at: string;
  /** ok: every chain this process holds ticked since its last error; degraded: at least one did not. */
  status: 'ok' | 'degraded';
  pid: number;
  database: { dialect: string; location: string; leases: string };
  profile: string | null;
  custody: { unlocked: boolean; operator: string | null; note: string };
  chains: Array<Omit<ChainWatchHealth, 'lease'> & { lease: ChainWatchHealth['lease']['state']; leaseSince: string; leaseError: string | null }>;
  sweeps: Omit<SweepHealth, 'chains'> & { chains: Array<{ chain: string; lease: string; leaseSince: string; openSweeps: SweepHealth['chains'][number]['openSweeps'] }> };
  /** Webhook delivery: whether this process holds the delivery lease, deliveries waiting and given up. */
  webhooks: WebhookWorkerHealth | null;
  error?: string;
}

export interface WatcherServiceOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  settings: WatcherSettings;
  /** Tests name their database; otherwise TREASURY_DATABASE_URL or SQLite in the data folder. */
  database?: DatabaseConfig;
  scrypt?: ScryptParams;
  /** One line of health JSON (stdout). */
  write: (line: string) => void;
  log: (message: string, error?: unknown) => void;
}

export interface WatcherService {
  engine: Engine;
  /** The API's base URL with /v1, or null when this process serves none. */
  apiUrl: string | null;
  /** http://127.0.0.1:<port>/health, or null without --health-port. */
  healthUrl: string | null;
  health(): Promise<WatcherHealth>;
  /** Writes one health line now (the interval and SIGUSR1 call it). */
  report(): Promise<void>;
  /** Stops the loops, releases the leases, closes the engine. */
  stop(): Promise<void>;
}

/**
 * The engine headless with only the chain watchers, the sweep runner and webhook delivery: no HTTP api, no withdrawal tracker,
 * no ramp expiry. Every chain's watch lease (and, with the seed open, its sweep lease) is competed for with the
 * other processes on the same database, so any number of watchers, apps and hosts can run side by side.
 */
export async function startWatcherService(options: WatcherServiceOptions): Promise<WatcherService> {
  const { settings, log } = options;
  const credential = unlockCredential(options.env);
  const engine = await createEngine({
    home: options.home,
    ...(options.database ? { database: options.database } : {}),
    host: 'headless',
    role: 'watcher',
    network: settings.network,
    log,
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    watch: { pollIntervalMs: settings.pollIntervalMs, leaseRetryMs: settings.leaseRetryMs },
    sweeps: { leaseRetryMs: settings.leaseRetryMs },
    webhooks: { pollIntervalMs: settings.pollIntervalMs },
    withdrawalTrackIntervalMs: 0,
    rampExpiryIntervalMs: 0,
  });
  let custodyNote = 'deposits only: no unlock credential (TREASURY_WATCHER_OPERATOR and a passphrase file), so sweeps are left to a workstation with the seed open';
  if (credential) {
    try {
      await engine.services.operators.openSeedForService(credential.operator, credential.passphrase, 'watcher');
      custodyNote = `seed open with operator ${credential.operator}'s passphrase from ${credential.source}: sweeping`;
    } catch (error) {
      custodyNote = `deposits only: the seed did not open with ${credential.source} (${error instanceof Error ? error.message : String(error)})`;
      log(`Custody stays locked; running deposits only: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let api: RunningApi | null = null;
  if (settings.api) {
    try {
      const tls = settings.api.tls ? { cert: readTlsFile(settings.api.tls.certFile, 'certificate'), key: readTlsFile(settings.api.tls.keyFile, 'key') } : undefined;
      api = await startApiServer({ engine, host: settings.api.host, port: settings.api.port, ...(tls ? { tls } : {}), log });
    } catch (error) {
      await engine.close();
      throw error;
    }
  }
  startDepositWatchAndSweeps(engine);

  const health = async (): Promise<WatcherHealth> => {
    const { database, services } = engine;
    const base = {
      type: 'health' as const,
      at: new Date().toISOString(),
      status: 'ok' as WatcherHealth['status'],
      pid: process.pid,
      database: { dialect: database.dialect, location: database.location, leases: database.leases.kind },
      custody: { unlocked: services.custody.unlocked(), operator: services.custody.unlocked() ? (credential?.operator ?? null) : null, note: custodyNote },
    };
    try {
      const [chains, sweeps, configuration, webhooks] = await Promise.all([services.watch.health(), services.sweeps.health(), services.configuration.get(), services.webhooks.worker.health()]);
      const degraded = chains.some((c) => c.lease.state === 'held' && c.lastErrorAt !== null && (c.lastTickAt === null || c.lastErrorAt > c.lastTickAt));
      return {
        ...base,
        status: degraded || (sweeps.lastErrorAt !== null && (sweeps.lastRunAt === null || sweeps.lastErrorAt > sweeps.lastRunAt)) ? 'degraded' : 'ok',
        profile: configuration.profile,
        chains: chains.map(({ chain, lease, ...c }) => ({ chain, lease: lease.state, leaseSince: lease.since, leaseError: lease.lastError, ...c })),
        sweeps: { ...sweeps, chains: sweeps.chains.map((c) => ({ chain: c.chain, lease: c.lease.state, leaseSince: c.lease.since, openSweeps: c.openSweeps })) },
        webhooks,
      };
    } catch (error) {
      return {
        ...base,
        status: 'degraded',
        profile: null,
        chains: [],
        sweeps: { enabled: services.custody.unlocked(), chains: [], lastRunAt: null, lastError: null, lastErrorAt: null },
        webhooks: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  };
  const report = async () => options.write(JSON.stringify(await health()));

  const timer = setInterval(() => void report().catch((error) => log('Health report failed', error)), settings.healthIntervalMs);
  let server: Server | null = null;
  let healthUrl: string | null = null;
  if (settings.healthPort !== null) {
    server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url !== '/health' && request.url !== '/')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'GET /health' }));
        return;
      }
      health().then(
        (body) => response.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        (error) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) })),
      );
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(settings.healthPort!, '127.0.0.1', () => resolve());
    }).catch(async (error) => {
      clearInterval(timer);
      await engine.close();
      throw new DomainError('validation', `The health port ${settings.healthPort} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
    });
    // Past listening, a server error (accept failing on too many open files) is logged, never fatal.
    listening.on('error', (error) => log('Health server error', error));
    const address = listening.address();
    healthUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : settings.healthPort}/health`;
  }

  let stopping: Promise<void> | null = null;
  return {
    engine,
    apiUrl: api?.url ?? null,
    healthUrl,
    health,
    report,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await api?.close();
        await engine.close();
      })()),
  };
}
