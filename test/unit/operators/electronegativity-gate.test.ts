import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The `npm test` gate: passes on this app, and fails on a window that drops the hardening. */
const script = join(process.cwd(), 'scripts', 'electronegativity.mjs');
const gate = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 });
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('Electronegativity gate', () => {
  it('passes on the app: every high or medium finding is explained in the allow list', () => {
    const run = gate();
    expect(run.stdout).toMatch(/Electronegativity: \d+ checks, \d+ findings, 0 unexplained high or medium/);
    expect(run.status).toBe(0);
  });

  it('fails on a window without context isolation or sandbox, navigation limits and permission handler', () => {
    const folder = mkdtempSync(join(tmpdir(), 'electronegativity-bad-'));
    folders.push(folder);
    mkdirSync(join(folder, 'electron', 'main'), { recursive: true });
    mkdirSync(join(folder, 'renderer'), { recursive: true });
    copyFileSync(join(process.cwd(), 'package.json'), join(folder, 'package.json'));
    writeFileSync(
      join(folder, 'electron', 'main', 'index.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nvoid w.loadURL('http://example.com/');\n",
    );
    writeFileSync(join(folder, 'renderer', 'index.html'), '<!doctype html><title>x</title><script src="http://example.com/a.js"></script>');
    const run = gate('--input', folder);
    expect(run.status).toBe(1);
    for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']) {
      expect(run.stdout).toMatch(new RegExp(`!! (HIGH|MEDIUM) +${check}`));
    }
  });
});
