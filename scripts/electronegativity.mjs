// Electronegativity over the app's Electron code (main, preload) and its page (renderer), as one of
// `npm test`'s gates: it fails on any HIGH or MEDIUM finding that scripts/electronegativity-allow.json does
// not explain with a reason. Runs offline: the Electron version comes from package.json, not the network.
//   node scripts/electronegativity.mjs [--input <folder laid out like the repo>] [--allow <file>]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const report = join(work, 'report.csv');
const run = spawnSync(join(root, 'node_modules', '.bin', 'electronegativity'), ['-i', stage, '-r', '-e', electronVersion, '-v', 'false', '-o', report], {
  encoding: 'utf8',
  // It asks the network for Electron's release list and carries on without it; never wait long for that.
  timeout: 180_000,
});
if (run.status !== 0 || !existsSync(report)) {
  console.error(run.stdout, run.stderr);
  console.error('!! Electronegativity did not run to the end');
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const findings = parseCsv(readFileSync(report, 'utf8'))
  .slice(1)
  .filter((row) => row.length >= 5)
  .map(([check, severity, confidence, file, location, sample]) => ({ check, severity, confidence, file, location, sample }));
rmSync(work, { recursive: true, force: true });

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
console.log(`Electronegativity: ${findings.length} findings, ${unexplained} unexplained high or medium`);
process.exit(unexplained === 0 ? 0 : 1);

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n') {
      row.push(field.trim());
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) rows.push([...row, field.trim()]);
  return rows;
}
