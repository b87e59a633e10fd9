import type Transport from '@ledgerhq/hw-transport';
import { SignerError } from './signer-error';

/** Opens a connection to a device; the real one is USB HID, tests pass a virtual device. */
export type TransportFactory = () => Promise<Transport>;

type TransportNodeHidClass = {
  create(openTimeout?: number, listenTimeout?: number): Promise<Transport>;
};

/**
 * The HID transport, loaded on first use: node-hid is a native module, and the engine must still load
 * (headless host, tests, a workstation without the USB stack) when it is missing.
 */
export function nodeHidTransportFactory(
  options: { openTimeoutMs?: number; listenTimeoutMs?: number } = {},
): TransportFactory {
  return async () => {
    let TransportNodeHid: TransportNodeHidClass;
    try {
      const loaded = (await import('@ledgerhq/hw-transport-node-hid')) as unknown as {
        default: TransportNodeHidClass | { default: TransportNodeHidClass };
      };
      // CommonJS interop can wrap the class in one more `default` depending on the loader.
      TransportNodeHid = 'create' in loaded.default ? loaded.default : loaded.default.default;
    } catch (error) {
      throw new SignerError('not-connected', 'USB HID support is not available on this machine.', {
        cause: error,
      });
    }
    try {
      return await TransportNodeHid.create(options.openTimeoutMs ?? 3_000, options.listenTimeoutMs ?? 3_000);
    } catch (error) {
      throw new SignerError('not-connected', 'No Ledger device is connected.', { cause: error });
    }
  };
}
