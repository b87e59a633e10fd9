import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const alias = {
  '@engine': here('./electron/engine'),
  '@shared': here('./shared'),
  '@renderer': here('./renderer/src'),
};

/** zod's sources carry comments Rollup cannot place; they are harmless and only drown real warnings. */
const onwarn = (warning: { code?: string; id?: string }, warn: (w: never) => void) => {
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
  warn(warning as never);
};

export default defineConfig({
  main: {
    resolve: { alias },
    // Native and heavy runtime packages stay in node_modules (unpacked from asar by electron-builder).
    build: {
      externalizeDeps: true,
      outDir: 'out/main',
      // devnet-signer: the virtual Ledger for unpackaged devnet runs only (left out of the package)
      rollupOptions: { input: { index: here('./electron/main/index.ts'), 'devnet-signer': here('./electron/main/devnet-virtual-signer.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    // A sandboxed preload cannot require packages: bundle everything it uses (zod) into one CJS file.
    build: {
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: here('./electron/preload/index.ts') },
        onwarn,
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('./renderer'),
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: here('./out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: { index: here('./renderer/index.html') }, onwarn },
    },
  },
});
