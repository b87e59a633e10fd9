// The Electron suite (playwright.electron.config.ts): only where Electron's binary is installed; elsewhere
// one line says why it did not run. It builds the app and better-sqlite3 for Electron first (a failure
// to build is a failure). Exit 0 with "skipped" on stdout when not run; the report says what ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { buildElectronNative } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs the suite; resolves to { ran: false, reason } or { ran: true, passed, failed, skipped }. */
export async function runElectronSuite({ build = true } = {}) {
  if (!electronBinary(root)) {
    return { ran: false, reason: "Electron's binary is not installed on this machine (node_modules/electron/dist; npm start downloads it where the network allows)" };
  }
  if (build && spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    return { ran: true, passed: 0, failed: 1, skipped: 0, note: 'the build failed' };
  }
  const native = await buildElectronNative(root, { log: (line) => console.log(line) });
  if (!native.ok) return { ran: true, passed: 0, failed: 1, skipped: 0, note: native.reason };
  const report = join(root, 'test-results', 'e2e-electron-report.json');
  rmSync(report, { force: true });
  const run = spawnSync(bin('playwright'), ['test', '-c', join(root, 'playwright.electron.config.ts')], { cwd: root, stdio: 'inherit' });
  if (!existsSync(report)) return { ran: true, passed: 0, failed: 1, skipped: 0, note: 'Playwright wrote no report' };
  const { stats } = JSON.parse(readFileSync(report, 'utf8'));
  const failed = stats.unexpected + stats.flaky + (run.status !== 0 && stats.unexpected + stats.flaky === 0 ? 1 : 0);
  // a suite that ran nothing where the binary exists is a failure, never a silent pass
  const empty = stats.expected + stats.unexpected + stats.flaky === 0 ? 1 : 0;
  return { ran: true, passed: stats.expected, failed: failed + empty, skipped: stats.skipped, note: empty ? 'no Electron test ran' : undefined };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runElectronSuite();
  if (!result.ran) {
    console.log(`Electron suite not run: ${result.reason}.`);
    process.exit(0);
  }
  if (result.note) console.log(`Electron suite: ${result.note}.`);
  console.log(`${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`);
  process.exit(result.failed === 0 ? 0 : 1);
}
