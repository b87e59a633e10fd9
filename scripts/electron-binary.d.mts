// Types of scripts/electron-binary.mjs for the TypeScript that imports it (the Electron suite).
export declare function electronBinary(root: string): string | null;
