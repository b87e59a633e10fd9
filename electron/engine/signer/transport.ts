import type Transport from '@ledgerhq/hw-transport';
import { SignerError } from './signer-error';

/** Opens a connection to a device; the real one is USB HID, tests pass a virtual device. */
export type TransportFactory = () => Promise<Transport>;

/** A Ledger plugged in or pulled out; `model` as the USB product id names it ("nanoX"), when known. */
export interface DeviceUsbEvent {
  plugged: boolean;
  model?: string;
}

/** Subscribes to USB plug and unplug of Ledger devices; returns the unsubscribe. */
export type DeviceWatcher = (listener: (event: DeviceUsbEvent) => void) => () => void;

type TransportNodeHidClass = {
  create(openTimeout?: number, listenTimeout?: number): Promise<Transport>;
  listen(observer: {
    next(event: { type: 'add' | 'remove'; deviceModel?: { id?: string } | null }): void;
    error(error: unknown): void;
    complete(): void;
  }): { unsubscribe(): void };
};

async function loadTransportNodeHid(): Promise<TransportNodeHidClass> {
  const loaded = (await import('@ledgerhq/hw-transport-node-hid')) as unknown as {
    default: TransportNodeHidClass | { default: TransportNodeHidClass };
  };
  // CommonJS interop can wrap the class in one more `default` depending on the loader.
  return 'create' in loaded.default ? loaded.default : loaded.default.default;
}

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
      TransportNodeHid = await loadTransportNodeHid();
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

/**
 * USB plug and unplug of Ledger devices through the HID transport's hotplug listener (the `usb`
 * package). Where the USB stack is missing it reports nothing, and requests still say "not connected".
 * The devices present at subscription are reported as plugged.
 */
export function nodeHidDeviceWatcher(): DeviceWatcher {
  return (listener) => {
    let subscription: { unsubscribe(): void } | null = null;
    let stopped = false;
    void loadTransportNodeHid()
      .then((TransportNodeHid) => {
        if (stopped) return;
        subscription = TransportNodeHid.listen({
          next: (event) => listener({ plugged: event.type === 'add', ...(event.deviceModel?.id ? { model: event.deviceModel.id } : {}) }),
          error: () => undefined,
          complete: () => undefined,
        });
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
      subscription?.unsubscribe();
    };
  };
}
