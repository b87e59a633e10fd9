import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseSqliteBinding, electronNativeDir, sqliteAddonPath, type NativeRuntime } from '../../../electron/main/native-binding';
import { sqliteOptions, useSqliteNativeBinding } from '@engine/db/sqlite-binding';

const folders: string[] = [];
afterEach(() => {
  useSqliteNativeBinding(undefined);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runtime(root: string, overrides: Partial<NativeRuntime> = {}): NativeRuntime {
  return {
    electronVersion: '39.8.10',
    abi: '140',
    appPath: root,
    exists: existsSync,
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
    ...overrides,
  };
}

/** A project root with an Electron build of the addon for `abi`, as scripts/electron-native.mjs leaves it. */
function rootWithBuild(abi: string, under = ''): string {
  const root = mkdtempSync(join(tmpdir(), 'native-binding-'));
  folders.push(root);
  const dir = electronNativeDir(join(root, under), '39.8.10');
  mkdirSync(dir, { recursive: true });
  writeFileSync(sqliteAddonPath(dir), 'addon');
  writeFileSync(join(dir, 'abi.txt'), `${abi}\n`);
  return root;
}

describe('choosing the better-sqlite3 build for the runtime', () => {
  it('under Node (tests, headless host, watcher): the package’s own build', () => {
    expect(chooseSqliteBinding(runtime('/nowhere', { electronVersion: undefined, abi: process.versions.modules }))).toEqual({ kind: 'package' });
  });

  it('under Electron in development: the build made for its ABI in out/native', () => {
    const root = rootWithBuild('140');
    expect(chooseSqliteBinding(runtime(root))).toEqual({
      kind: 'electron-build',
      path: join(root, 'out', 'native', 'electron-39.8.10', 'better_sqlite3.node'),
    });
  });

  it('packaged: the same build, unpacked beside app.asar', () => {
    const resources = rootWithBuild('140', 'app.asar.unpacked');
    const choice = chooseSqliteBinding(runtime(join(resources, 'app.asar')));
    expect(choice).toEqual({ kind: 'electron-build', path: join(resources, 'app.asar.unpacked', 'out', 'native', 'electron-39.8.10', 'better_sqlite3.node') });
  });

  it('under Electron with no build: says so, never falls back to Node’s build (which Electron cannot load)', () => {
    const choice = chooseSqliteBinding(runtime('/nowhere'));
    expect(choice).toMatchObject({ kind: 'missing', reason: expect.stringContaining('run npm start') });
  });

  it('a build for another Electron ABI is not loaded', () => {
    const root = rootWithBuild('136');
    expect(chooseSqliteBinding(runtime(root))).toMatchObject({ kind: 'missing', reason: expect.stringContaining('ABI 136') });
  });

  it('the build script and the main process agree on where the build lives', async () => {
    const script = await import('../../../scripts/electron-native.mjs');
    expect(script.sqliteAddonPath(script.electronNativeDir('/r', '39.8.10'))).toBe(sqliteAddonPath(electronNativeDir('/r', '39.8.10')));
  });

  it('the engine opens every database with the chosen addon', () => {
    expect(sqliteOptions({ readonly: true })).toEqual({ readonly: true });
    // the package's own addon, named explicitly, opens a database as the default does
    const addon = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    useSqliteNativeBinding(addon);
    expect(sqliteOptions({ readonly: true })).toEqual({ readonly: true, nativeBinding: addon });
    const db = new BetterSqlite3(':memory:', sqliteOptions());
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
    // and an addon built for another ABI is refused by the loader, which is why the choice matters
    const other = join(folders[0] ?? rootWithBuild('1'), 'not-an-addon.node');
    writeFileSync(other, 'not a shared object');
    useSqliteNativeBinding(other);
    expect(() => new BetterSqlite3(':memory:', sqliteOptions())).toThrow();
  });
});
