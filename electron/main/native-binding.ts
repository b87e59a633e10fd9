import { join } from 'node:path';

/**
 * Which better-sqlite3 addon a process loads. Node's ABI and Electron's differ, and one addon file
 * serves one ABI: under Node the package's own build (tests, headless host, watcher); under Electron
 * the build made for it into `out/native/electron-<version>/` by scripts/electron-native.mjs (same layout,
 * checked by a test), unpacked from the asar archive in a packaged app. No 'electron' import here, so
 * the choice is unit-tested under Node.
 */
export interface NativeRuntime {
  /** process.versions.electron; undefined under Node. */
  electronVersion: string | undefined;
  /** process.versions.modules: the module ABI of this runtime. */
  abi: string;
  /** app.getAppPath(): the project root in development, `<resources>/app.asar` when packaged. */
  appPath: string;
  readFile: (path: string) => string | null;
  exists: (path: string) => boolean;
}

export type NativeBindingChoice =
  | { kind: 'package' }
  | { kind: 'electron-build'; path: string }
  | { kind: 'missing'; path: string; reason: string };

export const electronNativeDir = (root: string, electronVersion: string) => join(root, 'out', 'native', `electron-${electronVersion}`);
export const sqliteAddonPath = (dir: string) => join(dir, 'better_sqlite3.node');

export function chooseSqliteBinding(runtime: NativeRuntime): NativeBindingChoice {
  if (!runtime.electronVersion) return { kind: 'package' };
  // native files cannot load from inside an asar archive: electron-builder unpacks them beside it
  const root = runtime.appPath.replace(/app\.asar$/, 'app.asar.unpacked');
  const dir = electronNativeDir(root, runtime.electronVersion);
  const path = sqliteAddonPath(dir);
  if (!runtime.exists(path)) {
    return { kind: 'missing', path, reason: `better-sqlite3 has not been built for Electron ${runtime.electronVersion}: run npm start (or node scripts/electron-native.mjs).` };
  }
  const builtFor = runtime.readFile(join(dir, 'abi.txt'))?.trim();
  if (builtFor !== runtime.abi) {
    return { kind: 'missing', path, reason: `better-sqlite3 was built for module ABI ${builtFor ?? 'unknown'}, this Electron needs ${runtime.abi}: run npm start to rebuild it.` };
  }
  return { kind: 'electron-build', path };
}
