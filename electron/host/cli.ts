import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { createEngine } from '@engine/engine';
import { defaultHome } from '@engine/home';
import { startDepositWatchAndSweeps } from '@engine/watch/background';
import { WorkspaceSwitcher } from '@engine/workspace/workspace-switcher';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import { nodeHidDeviceWatcher, nodeHidTransportFactory } from '@engine/signer/transport';
import { devnetSoftwareSigner } from './devnet-signer';
import { reviewBundle } from './review-bundle';
import { startHost } from './server';
import { reportReady, runSupervisor, shouldServe } from './supervised';
import { testHostSettings } from './test-host';

/** `npm run host`: the engine and renderer on loopback, for machines without Electron's binary. */
async function main(): Promise<void> {
  // A supervisor process restarts the host after any crash (supervised.ts); the child below serves.
  if (!shouldServe()) return runSupervisor();
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const bundleAt = process.argv.indexOf('--bundle');
  if (bundleAt !== -1) return reviewBundle(process.argv[bundleAt + 1] ?? '', process.env.TREASURY_RENDERER_DIR ?? resolve(root, 'out/renderer'));
  const home = defaultHome();
  testHostSettings('devnet'); // a malformed test-only setting stops the host before anything opens
  const profileEnv = process.env.TREASURY_PROFILE;
  const network = NETWORK_PROFILES.includes(profileEnv as NetworkProfile) ? (profileEnv as NetworkProfile) : undefined;
  // One workspace per network in the data folder; switching network in Settings closes one engine and opens the other.
  const workspaces = new WorkspaceSwitcher(
    async (workspaceNetwork, workspaceFolder, door) => {
      // The devnet signs on the virtual Ledger (refused by the engine on any other network); else a real one over USB.
      const signer = workspaceNetwork === 'devnet' && process.env.TREASURY_LEDGER !== 'usb' ? await devnetSoftwareSigner() : { openTransport: nodeHidTransportFactory(), watchDevices: nodeHidDeviceWatcher() };
      // The E2E suite's cheap scrypt and frequent gas tank read, on the devnet workspace only (test-host.ts).
      return createEngine({ home: workspaceFolder, host: 'headless', role: 'host', network: workspaceNetwork, signer, workspace: door, ...testHostSettings(workspaceNetwork) });
    },
    {
      root: home,
      ...(network ? { network } : {}),
      onOpened: (engine, opened) => {
        startDepositWatchAndSweeps(engine);
        console.log(`Treasury workspace: ${opened} (${engine.database.location})`);
      },
      log: (message, error) => console.error(message, error instanceof Error ? error.message : (error ?? '')),
    },
  );
  await workspaces.start();
  const host = await startHost({
    engine: workspaces,
    rendererDir: process.env.TREASURY_RENDERER_DIR ?? resolve(root, 'out/renderer'),
    port: process.env.TREASURY_PORT ? Number.parseInt(process.env.TREASURY_PORT, 10) : 0,
    token: process.env.TREASURY_HOST_TOKEN || undefined,
  });
  reportReady();
  console.log(`Treasury data folder: ${home}`);
  console.log(`Treasury is running headless. Open: ${host.openUrl}`);
  const stop = async () => {
    await host.close();
    await workspaces.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error('Treasury host failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
