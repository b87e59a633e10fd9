// `npm test`: type-checks node and web code, builds the renderer, runs the unit and integration tests
// (Vitest) and the E2E tests (Playwright in Debian's Chromium), then prints one closing line
// "N passed, N failed" over all of them. A failing type-check or build counts as a failed test.
// The four gates (two type-checks, the build, Electronegativity) read the sources only and share no output,
// so they run side by side; each one's output is printed as one block, in this order, when all have ended.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runElectronSuite } from './test-electron.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;

function step(label, command, args, env = {}) {
  console.log(`\n== ${label}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return run.status === 0;
}

/** Runs one gate with its output captured: resolves to its label, exit status, output and seconds. */
function gate(label, command, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const done = (ok, extra = '') => resolve({ label, ok, output: Buffer.concat(chunks).toString() + extra, seconds: (Date.now() - started) / 1000 });
    child.on('error', (error) => done(false, `could not start: ${error.message}\n`));
    child.on('close', (code) => done(code === 0));
  });
}

// A terminal gets tsc's coloured, framed errors even though its output goes through a pipe here.
const pretty = process.stdout.isTTY ? ['--pretty'] : [];
const gates = await Promise.all([
  gate('type-check node code (electron/, shared/, test/)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit', ...pretty]),
  gate('type-check web code (renderer/, shared/)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit', ...pretty]),
  gate('build main, preload and renderer', bin('electron-vite'), ['build']),
  gate('Electronegativity (no unexplained high or medium finding)', process.execPath, [join(root, 'scripts', 'electronegativity.mjs')]),
]);
for (const { label, ok, output, seconds } of gates) {
  console.log(`\n== ${label} (${seconds.toFixed(0)} s, run alongside the other gates)`);
  process.stdout.write(output);
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`!! ${label} failed`);
  }
}

const vitestReport = join(results, 'vitest-report.json');
rmSync(vitestReport, { force: true });
const vitestOk = step('unit and integration tests (Vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load reports no tests; count it so it cannot pass silently.
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
} else if (!vitestOk) failed += 1;

const e2eReport = join(results, 'e2e-report.json');
rmSync(e2eReport, { force: true });
const e2eOk = step('E2E tests (Playwright, Chromium, headless host)', bin('playwright'), ['test']);
if (existsSync(e2eReport)) {
  const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
  if (!e2eOk && stats.unexpected + stats.flaky === 0) failed += 1;
} else if (!e2eOk) failed += 1;

console.log('\n== Electron suite (Playwright, the app inside Electron)');
const electronSuite = await runElectronSuite({ build: false });
if (!electronSuite.ran) console.log(`Electron suite not run: ${electronSuite.reason}.`);
else {
  if (electronSuite.note) console.log(`Electron suite: ${electronSuite.note}.`);
  passed += electronSuite.passed;
  failed += electronSuite.failed;
  skipped += electronSuite.skipped;
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
