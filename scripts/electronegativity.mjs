// Electronegativity over the app's Electron code (main, preload) and its page (renderer), as one of
// `npm test`'s gates: it fails on any HIGH or MEDIUM finding that scripts/electronegativity-allow.json does
// not explain with a reason. Runs offline: the Electron version comes from package.json, not the network.
//   node scripts/electronegativity.mjs [--input <folder laid out like the repo>] [--allow <file>]
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const source = arg('--input') ?? root;
const allowFile = arg('--allow') ?? join(root, 'scripts', 'electronegativity-allow.json');
const GATED = new Set(['CRITICAL', 'HIGH', 'MEDIUM']);

// Scan only what ships to Electron, laid out as in the repo, so findings name stable paths.
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const stage = join(work, 'app');
for (const part of ['electron/main', 'electron/preload', 'renderer/index.html', 'renderer/src', 'package.json']) {
  if (existsSync(join(source, part))) cpSync(join(source, part), join(stage, part), { recursive: true });
}
const electronVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron.replace(/^[^\d]*/, '');
// The programmatic API, not `-o report.csv`: the CLI writes the CSV header and the rows with two racing
// async writes, so under load the file can end up with the header alone (zero findings, a false pass).
// It asks the network for Electron's release list and carries on without it; never wait long for that.
setTimeout(() => {
  console.error('!! Electronegativity did not finish within 3 minutes');
  process.exit(1);
}, 180_000).unref();
const runElectronegativity = createRequire(import.meta.url)('@doyensec/electronegativity');
let scan;
try {
  scan = await runElectronegativity(
    { input: stage, isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [], parserPlugins: [], isVerbose: false },
    false,
  );
} catch (error) {
  console.error('!! Electronegativity did not run to the end:', error);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
if (!scan || scan.atomicChecks === 0 || !Array.isArray(scan.issues)) {
  console.error('!! Electronegativity loaded no checks');
  process.exit(1);
}
for (const error of scan.errors ?? []) console.log(`   (could not parse ${error.file ?? ''}: ${error.message ?? error})`);
const findings = scan.issues.map((issue) => ({
  check: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  location: `${issue.location.line}:${issue.location.column}`,
}));

const allow = JSON.parse(readFileSync(allowFile, 'utf8'));
const explained = (f) =>
  allow.find((a) => a.check === f.check && a.file === f.file && typeof a.reason === 'string' && a.reason.trim().length >= 20);

let unexplained = 0;
for (const f of findings) {
  const gated = GATED.has(f.severity);
  const why = gated ? explained(f) : undefined;
  const mark = !gated ? '  ' : why ? 'ok' : '!!';
  if (gated && !why) unexplained += 1;
  console.log(`${mark} ${f.severity.padEnd(8)} ${f.check} ${f.file}:${f.location}${why ? `\n     allowed: ${why.reason}` : ''}`);
}
const unused = allow.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
for (const a of unused) console.log(`   (allow-list entry no longer needed: ${a.check} ${a.file})`);
console.log(`Electronegativity: ${scan.globalChecks + scan.atomicChecks} checks, ${findings.length} findings, ${unexplained} unexplained high or medium`);
process.exit(unexplained === 0 ? 0 : 1);
