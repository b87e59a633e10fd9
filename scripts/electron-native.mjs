// Builds better-sqlite3 for Electron's ABI in a folder of its own (.cache/electron-native/) and keeps the
// addon in `out/native/electron-<version>/`, so node_modules/better-sqlite3 keeps Node's build for the
// tests, the headless host and the watcher, and the packaged app carries only the addon. The
// main process loads this build through better-sqlite3's `nativeBinding` option
// (electron/main/native-binding.ts reads the same layout). `npm start` calls it once Electron's binary
// is there; `npm run dist` calls it before packaging. Needs @electron/rebuild and the network (prebuilt
// binaries or Electron's headers), like Electron's own download.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder the app loads the Electron addon from, for one Electron version. */
export const electronNativeDir = (root, electronVersion) => join(root, 'out', 'native', `electron-${electronVersion}`);

/** The addon file in it. */
export const sqliteAddonPath = (dir) => join(dir, 'better_sqlite3.node');

/** Where the sources are copied and compiled (not packaged). */
const workDir = (root, electronVersion) => join(root, '.cache', 'electron-native', `electron-${electronVersion}`);

/** The file that records which Electron ABI the folder was built for. */
export const abiStampPath = (dir) => join(dir, 'abi.txt');

/** Electron's version and module ABI, from the installed package (null when it is not installed). */
export function installedElectron(root) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json')) || !existsSync(join(pkg, 'abi_version'))) return null;
  return {
    version: JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version,
    abi: readFileSync(join(pkg, 'abi_version'), 'utf8').trim(),
  };
}

/**
 * Builds (or finds already built) the Electron addon. Resolves to { ok: true, path, built } or
 * { ok: false, reason } with one sentence saying why, never throws.
 */
export async function buildElectronNative(root, { log = () => {} } = {}) {
  const electron = installedElectron(root);
  if (!electron) return { ok: false, reason: 'the electron package is not installed' };
  const dir = electronNativeDir(root, electron.version);
  const addon = sqliteAddonPath(dir);
  const stamp = abiStampPath(dir);
  if (existsSync(addon) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === electron.abi) {
    return { ok: true, path: addon, built: false };
  }
  let rebuild;
  try {
    ({ rebuild } = await import('@electron/rebuild'));
  } catch {
    return { ok: false, reason: 'the @electron/rebuild package is not installed (add it to devDependencies)' };
  }
  log(`Building better-sqlite3 for Electron ${electron.version} (ABI ${electron.abi}) into ${relative(root, dir)}…`);
  const work = workDir(root, electron.version);
  rmSync(work, { recursive: true, force: true });
  const source = join(root, 'node_modules', 'better-sqlite3');
  const target = join(work, 'node_modules', 'better-sqlite3');
  mkdirSync(target, { recursive: true });
  // the sources without Node's build, which the rebuild replaces by Electron's
  cpSync(source, target, { recursive: true, filter: (path) => relative(source, path).split(sep)[0] !== 'build' });
  const version = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version;
  writeFileSync(join(work, 'package.json'), `${JSON.stringify({ name: 'treasury-electron-native', private: true, dependencies: { 'better-sqlite3': version } }, null, 2)}\n`);
  try {
    await rebuild({ buildPath: work, electronVersion: electron.version, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  } catch (error) {
    return { ok: false, reason: `building better-sqlite3 for Electron failed (${String(error?.message ?? error).split('\n')[0]})` };
  }
  const built = join(target, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) return { ok: false, reason: `the rebuild left no ${relative(root, built)}` };
  mkdirSync(dir, { recursive: true });
  cpSync(built, addon);
  writeFileSync(stamp, `${electron.abi}\n`);
  return { ok: true, path: addon, built: true };
}

// `node scripts/electron-native.mjs`: the build step of `npm run dist`; fails the packaging if it fails.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const result = await buildElectronNative(root, { log: (line) => console.log(line) });
  if (!result.ok) {
    console.error(`Cannot package the Electron build of better-sqlite3: ${result.reason}.`);
    process.exit(1);
  }
  console.log(`better-sqlite3 for Electron: ${relative(root, result.path)}${result.built ? ' (built)' : ' (already built)'}`);
}
