// Types of scripts/electron-native.mjs for the TypeScript that imports it (its unit test).
export declare const electronNativeDir: (root: string, electronVersion: string) => string;
export declare const sqliteAddonPath: (dir: string) => string;
export declare const abiStampPath: (dir: string) => string;
export declare function installedElectron(root: string): { version: string; abi: string } | null;
export declare function buildElectronNative(
  root: string,
  options?: { log?: (line: string) => void },
): Promise<{ ok: true; path: string; built: boolean } | { ok: false; reason: string }>;
