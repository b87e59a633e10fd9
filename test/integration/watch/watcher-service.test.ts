import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIAL_NAME, startWatcherService, unlockCredential, watcherSettings, type WatcherService } from '../../../electron/host/watcher/watcher-service';
import { startUnlockedEngine, TEST_ADMIN, TEST_PASSPHRASE } from '@test/engine';

/** The watcher service in-process on SQLite: settings, the non-interactive unlock, health, a clean stop. */
describe('watcher service', () => {
  const running: WatcherService[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  async function dataFolderWithSeed(): Promise<string> {
    const t = await startUnlockedEngine();
    // The other chains point nowhere, so nothing here depends on a devnet running.
    for (const chain of ['polygon', 'bsc', 'tron']) await t.engine.api.call('configuration:update', { chain, rpcUrl: 'http://127.0.0.1:9' }, { door: 'test' });
    await t.dispose({ keepData: true });
    return t.home;
  }

  function passphraseFile(content: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'treasury-cred-'));
    writeFileSync(join(dir, CREDENTIAL_NAME), content, { mode: 0o600 });
    return dir;
  }

  async function start(home: string, env: NodeJS.ProcessEnv) {
    const lines: string[] = [];
    const service = await startWatcherService({
      home,
      env,
      settings: { ...watcherSettings(['--health-port', '0', '--lease-retry', '0.05', '--api-port', '0'], {}), healthIntervalMs: 60_000 },
      database: { dialect: 'sqlite', path: join(home, 'treasury.sqlite') },
      write: (line) => lines.push(line),
      log: () => {},
    });
    running.push(service);
    return { service, lines };
  }

  it('opens the seed from a systemd credential and sweeps; health over SIGUSR1-style report and loopback HTTP', async () => {
    const home = await dataFolderWithSeed();
    const { service, lines } = await start(home, { TREASURY_WATCHER_OPERATOR: TEST_ADMIN, CREDENTIALS_DIRECTORY: passphraseFile(`${TEST_PASSPHRASE}\n`) });
    expect(service.engine.services.custody.unlocked()).toBe(true);
    await expect.poll(async () => (await service.health()).sweeps.chains.map((c) => c.lease), { timeout: 5_000 }).toEqual(['held', 'held', 'held']);
    await service.report();
    const health = JSON.parse(lines.at(-1)!);
    expect(health).toMatchObject({
      type: 'health',
      database: { dialect: 'sqlite', leases: 'in-process' },
      custody: { unlocked: true, operator: TEST_ADMIN },
      sweeps: { enabled: true },
    });
    expect(health.chains.map((c: { chain: string; lease: string }) => [c.chain, c.lease])).toEqual([['polygon', 'held'], ['bsc', 'held'], ['tron', 'held']]);
    expect(service.healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);
    const response = await fetch(service.healthUrl!);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ type: 'health', custody: { unlocked: true } });
    // The same process serves the integration API on loopback: its document answers without a key, resources need one.
    expect(service.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect((await fetch(`${service.apiUrl}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${service.apiUrl}/virtual-wallets`)).status).toBe(401);
    expect((await fetch(service.healthUrl!.replace('/health', '/other'))).status).toBe(404);
    // The unlock is on the audit trail, the passphrase nowhere in it.
    const audit = await service.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'operator.service_unlocked').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(TEST_PASSPHRASE);
    await service.stop();
    expect(service.engine.services.custody.unlocked()).toBe(false);
  });

  it('a wrong passphrase leaves it crediting deposits only, and says so in health', async () => {
    const home = await dataFolderWithSeed();
    const dir = passphraseFile('not the passphrase');
    const { service } = await start(home, { TREASURY_WATCHER_OPERATOR: TEST_ADMIN, TREASURY_WATCHER_PASSPHRASE_FILE: join(dir, CREDENTIAL_NAME) });
    const health = await service.health();
    expect(health.custody).toMatchObject({ unlocked: false, note: expect.stringMatching(/^deposits only: the seed did not open .*Wrong operator name or passphrase/) });
    expect(health.sweeps.enabled).toBe(false);
    // On SQLite the one process keeps its sweep runner (sweeps then wait with reason 'locked'); on PostgreSQL its
    // sweep leases would be 'ineligible' (test/unit/db/leases.test.ts).
    await expect.poll(async () => (await service.health()).sweeps.chains.map((c) => c.lease)).toEqual(['held', 'held', 'held']);
    await expect.poll(async () => (await service.health()).chains.map((c) => c.lease)).toEqual(['held', 'held', 'held']);
  });

  it('without a credential it runs deposits only', async () => {
    const { service } = await start(await dataFolderWithSeed(), {});
    expect((await service.health()).custody.note).toMatch(/^deposits only: no unlock credential/);
  });

  it('refuses half a credential configuration and malformed settings with clear validation errors', () => {
    expect(() => unlockCredential({ TREASURY_WATCHER_OPERATOR: 'watcher' })).toThrow(/no passphrase file/);
    expect(() => unlockCredential({ TREASURY_WATCHER_PASSPHRASE_FILE: '/x' })).toThrow(/TREASURY_WATCHER_OPERATOR/);
    expect(() => unlockCredential({ TREASURY_WATCHER_OPERATOR: 'w', TREASURY_WATCHER_PASSPHRASE_FILE: '/nonexistent/file' })).toThrow(/cannot be read: ENOENT/);
    expect(() => unlockCredential({ TREASURY_WATCHER_OPERATOR: 'w', CREDENTIALS_DIRECTORY: passphraseFile('\n') })).toThrow(/is empty/);
    expect(unlockCredential({})).toBeNull();
    for (const [argv, env, message] of [
      [['--health-port', 'abc'], {}, /--health-port is a port number/],
      [['--health-port', '70000'], {}, /--health-port is a port number/],
      [['--health-interval', '-1'], {}, /--health-interval is a number of seconds/],
      [['--poll-interval'], {}, /needs a value/],
      [['--verbose'], {}, /Unknown argument "--verbose"/],
      [[], { TREASURY_PROFILE: 'prod' }, /TREASURY_PROFILE must be one of/],
      [['--api-host', '0.0.0.0'], {}, /Refusing to serve the API on 0\.0\.0\.0 without TLS/],
      [[], { TREASURY_API_HOST: '192.0.2.10' }, /Refusing to serve the API on 192\.0\.2\.10 without TLS/],
      [['--api-tls-cert', '/x.pem'], {}, /both a certificate file/],
      [['--api-port', '99999'], {}, /--api-port is a port number/],
    ] as const) {
      expect(() => watcherSettings([...argv], env)).toThrow(expect.objectContaining({ code: 'validation', message: expect.stringMatching(message) }));
    }
    expect(watcherSettings(['--health-port=8099', '--health-interval', '15'], { TREASURY_PROFILE: 'testnet' })).toEqual({
      healthIntervalMs: 15_000,
      healthPort: 8099,
      pollIntervalMs: 2_000,
      leaseRetryMs: 5_000,
      network: 'testnet',
      api: { host: '127.0.0.1', port: 8750, tls: null },
    });
    expect(watcherSettings(['--no-api'], {}).api).toBeNull();
    expect(watcherSettings(['--api-host=0.0.0.0', '--api-tls-cert', '/c.pem', '--api-tls-key', '/k.pem'], {}).api).toEqual({
      host: '0.0.0.0',
      port: 8750,
      tls: { certFile: '/c.pem', keyFile: '/k.pem' },
    });
  });
});

