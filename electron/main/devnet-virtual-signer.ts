import type { HoldingSignerConfig } from '@engine/withdraw';
import { VirtualLedger } from '../../test/support/virtual-ledger/virtual-ledger';
import { virtualDeviceSigner } from '../host/devnet-signer';

/**
 * The virtual Ledger for the Electron app on devnet, built as its own entry (out/main/devnet-signer.js)
 * and loaded only when TREASURY_LEDGER=virtual in an unpackaged app (the Electron test suite, a developer
 * without a device). electron-builder leaves it out of the package; the engine refuses a software signer
 * outside devnet anyway.
 */
export function devnetVirtualSigner(): HoldingSignerConfig {
  return virtualDeviceSigner(VirtualLedger);
}
