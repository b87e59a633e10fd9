import { defaultHome } from '@engine/home';
import { workspaceHome } from '@engine/workspace/data-folder';
import { DomainError } from '@shared/result';
import { startWatcherService, watcherSettings, type WatcherService } from './watcher-service';

/**
 * `npm run service` (alias `npm run watcher`): deposit watchers, sweeps and the integration API (/v1), headless, against the database TREASURY_DATABASE_URL names
 * (or SQLite in the data folder). Health is one JSON line on stdout every --health-interval seconds and on
 * SIGUSR1, and GET http://127.0.0.1:<--health-port>/health; log lines go to stderr. SIGTERM and SIGINT stop
 * it cleanly (leases released, engine closed). See README.md next to this file.
 */
async function main(): Promise<void> {
  const settings = watcherSettings(process.argv.slice(2), process.env);
  // The watcher serves one network's workspace (TREASURY_PROFILE): its folder inside the data folder.
  const home = workspaceHome(defaultHome(), settings.network);
  const log = (message: string, error?: unknown) =>
    console.error(`[watcher] ${message}${error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`}`);
  const service: WatcherService = await startWatcherService({
    home,
    env: process.env,
    settings,
    write: (line) => process.stdout.write(`${line}\n`),
    log,
  });
  // Exactly one line naming the API, so scripts can find it.
  if (service.apiUrl) process.stdout.write(`API: ${service.apiUrl}\n`);
  const { database } = service.engine;
  log(`started (pid ${process.pid}) on ${database.dialect} ${database.location}, data folder ${home}, leases ${database.leases.kind}${service.healthUrl ? `, health at ${service.healthUrl}` : ''}`);
  process.on('SIGUSR1', () => void service.report());
  const stop = (signal: string) => {
    log(`${signal}: stopping, releasing leases`);
    service.stop().then(
      () => process.exit(0),
      (error) => {
        log('stopping failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A first line after the first ticks, so a supervisor (or a person) sees the state without waiting a long
  // interval; a short interval reports then anyway.
  if (settings.healthIntervalMs > 3_000) setTimeout(() => void service.report(), 3_000).unref();
}

main().catch((error) => {
  const code = error instanceof DomainError ? error.code : 'internal';
  console.error(`[watcher] failed to start (${code}): ${error instanceof Error ? error.message : String(error)}`);
  // 2: bad configuration (systemd's RestartPreventExitStatus=2 stops the restart loop); 1: anything else.
  process.exit(code === 'validation' ? 2 : 1);
});
