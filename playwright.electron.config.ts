import { defineConfig } from '@playwright/test';

/**
 * The app inside Electron itself (main process, preload, IPC, native modules built for Electron), driven
 * by Playwright's Electron support. Run by scripts/test-electron.mjs, which runs it only where Electron's
 * binary is installed and says in one line why not elsewhere.
 */
export default defineConfig({
  testDir: 'test/e2e-electron',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e-electron',
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-electron-report.json' }]],
});
