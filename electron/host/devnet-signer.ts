import { DEVNET_ERC20_SIGNER_PUBLIC_KEY } from '@engine/signer/token-descriptor-book';
import type { HoldingSignerConfig } from '@engine/withdraw';
import type { VirtualLedger } from '../../test/support/virtual-ledger/virtual-ledger';

/**
 * On the devnet profile the headless app signs with the virtual Ledger (test/support), loaded here at
 * run time so the engine never imports it; mainnet and testnet refuse a software signer anyway. Its
 * seed is the devnet's, from TREASURY_DEVNET_LEDGER_MNEMONIC or a published BIP-39 test vector, which
 * is why both the signer (software: true) and the device sign for the devnet's private chain ids only.
 */
export async function devnetSoftwareSigner(): Promise<HoldingSignerConfig> {
  const devicePath = '../../test/support/virtual-ledger/virtual-ledger';
  const { VirtualLedger } = (await import(devicePath)) as typeof import('../../test/support/virtual-ledger/virtual-ledger');
  return virtualDeviceSigner(VirtualLedger);
}

/**
 * The devnet signer over the virtual device class given: the host imports the class at run time from
 * its sources, the Electron main process from a separately built entry (electron/main/devnet-virtual-signer.ts).
 */
export function virtualDeviceSigner(Device: typeof VirtualLedger): HoldingSignerConfig {
  const mnemonic =
    process.env.TREASURY_DEVNET_LEDGER_MNEMONIC ?? 'legal winner thank year wave sausage worth useful legal winner thank yellow';
  // a factory-fresh device (blind signing off) whose app trusts the devnet's descriptor key, which the
  // engine's devnet descriptor book signs the test tokens with
  const device = new Device({ mnemonic, app: 'eth', ethereum: { tokenSignerPublicKey: DEVNET_ERC20_SIGNER_PUBLIC_KEY } });
  let open: 'eth' | 'tron' = 'eth';
  return {
    openTransport: device.factory(),
    watchDevices: device.watcher(),
    software: true,
    openApp: (chain) => {
      const app = chain === 'tron' ? 'tron' : 'eth';
      if (app !== open) device.open(app);
      open = app;
    },
  };
}
