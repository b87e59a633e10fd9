import type { Engine } from '../engine';

/**
 * Starts the engine's background work: one deposit watcher loop per chain, the sweep runner, the alert
 * monitor, the daily custody snapshot, the books' backup schedule (hourly by default, and after each withdrawal
 * broadcast) and the webhook delivery worker.
 * The doors (Electron main, headless host) call it once the engine is built; tests and benchmarks leave it
 * off and drive `tick()` themselves. `engine.close()` stops the loops.
 */
export function startDepositWatchAndSweeps(engine: Engine): void {
  engine.services.watch.start();
  engine.services.sweeps.start();
  engine.services.backups.start();
  engine.services.alertMonitor.start();
  // The assets-under-custody series: one snapshot of the books per UTC day.
  engine.services.valuation.start();
  engine.services.webhooks.worker.start();
}
