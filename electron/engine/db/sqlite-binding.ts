import type BetterSqlite3 from 'better-sqlite3';

/**
 * Which compiled better-sqlite3 addon this process loads. Node (tests, the headless host, the watcher)
 * uses the package's own build; Electron has another ABI and loads a build made for it (see
 * electron/main/native-binding.ts), set once by the main process before any database is opened.
 */
let nativeBinding: string | undefined;

export function useSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** better-sqlite3 options with the process's addon, for every `new BetterSqlite3(...)` of the engine. */
export function sqliteOptions(options: BetterSqlite3.Options = {}): BetterSqlite3.Options {
  return nativeBinding === undefined ? options : { ...options, nativeBinding };
}
