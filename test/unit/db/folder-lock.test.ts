import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '@engine/db/open';
import { processOwner } from '@engine/db/leases';

const ROOT = resolve(__dirname, '../../..');
const HOLDER = resolve(ROOT, 'test/support/hold-database.ts');

const children: ChildProcess[] = [];
const opened: OpenDatabase[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const db of opened.splice(0)) await db.close();
});

/** Opens the database in another process; resolves with its first line (held or refused) and its exit. */
function otherProcess(path: string, role: string): { child: ChildProcess; line: Promise<Record<string, unknown>>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, path, role], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = new Promise<Record<string, unknown>>((done) => createInterface({ input: child.stdout! }).once('line', (l) => done(JSON.parse(l))));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, line, exit };
}

const folder = () => join(mkdtempSync(join(tmpdir(), 'treasury-lock-')), 'treasury.sqlite');
const open = async (path: string, role = 'engine') => {
  const db = await openDatabase({ dialect: 'sqlite', path }, processOwner(role));
  opened.push(db);
  return db;
};

describe('one engine per SQLite data folder', () => {
  it('refuses a second process on the same folder, naming the holder\'s pid and door', async () => {
    const path = folder();
    await open(path, 'host');
    const second = otherProcess(path, 'watcher');
    const answer = await second.line;
    expect(await second.exit).toBe(3);
    expect(answer.code).toBe('conflict');
    expect(answer.refused).toContain(`pid ${process.pid}`);
    expect(answer.refused).toContain('the headless host');
  });

  it('refuses this process while another one holds the folder, and takes it once the holder is killed with -9', async () => {
    const path = folder();
    const holder = otherProcess(path, 'app');
    const { held } = await holder.line;
    expect(held).toBe(holder.child.pid);
    await expect(open(path)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`the desktop app, pid ${held}`) });

    holder.child.kill('SIGKILL');
    await holder.exit;
    const db = await open(path);
    expect(db.appliedMigrations.length).toBeGreaterThan(0);
  });

  it('shares the lock among engines of this process and frees it when the last one closes', async () => {
    const path = folder();
    const first = await open(path);
    const second = await open(path);
    await first.close();
    const other = otherProcess(path, 'watcher');
    expect((await other.line).code).toBe('conflict');
    await second.close();
    opened.splice(0);
    const third = otherProcess(path, 'watcher');
    expect(await third.line).toEqual({ held: third.child.pid });
  });

  it('keeps separate databases apart: two folders open side by side', async () => {
    await open(folder());
    await open(folder());
  });
});
