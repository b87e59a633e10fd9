import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@engine': here('./electron/engine'),
      '@shared': here('./shared'),
      '@renderer': here('./renderer/src'),
      '@test': here('./test/support'),
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // Child processes, not threads: better-sqlite3, spawned hosts and anvil behave as in the app.
    pool: 'forks',
    // Two files at a time even on the 2-core CI machine (Vitest's default there is one): most test time is
    // spent waiting on anvil, the devnode, spawned hosts and timers, which the other worker fills.
    maxWorkers: 2,
    minWorkers: 1,
    poolOptions: {
      // A worker process serves file after file: ethers, tronweb, the Ledger libraries and the engine load once
      // per worker instead of once per file (about half of the suite's time was that loading). Every file
      // makes its own engines, folders and chains and closes them; no test changes process.env or mocks a module.
      forks: { isolate: false },
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
