import type { Asset } from '@shared/domain/assets';
import { chainFamily, type Chain, type NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { RecoverableSignature, UnsignedTransaction } from '../chains/adapter';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { EventBus } from '../events';
import { LedgerSigner, splitTronSignature, type DeviceAddress } from '../signer/ledger-signer';
import { SignerError, toSignerError } from '../signer/signer-error';
import { isSoftwareSignerAllowed, SoftwareSignerChainRefusedError } from '../signer/software-signer-policy';
import { DEVICE_STATE_LABELS, type DeviceState } from '../signer/status-words';
import type { EvmTokenInfo } from '../signer/token-descriptor';
import { TokenDescriptorBook } from '../signer/token-descriptor-book';
import type { DeviceUsbEvent, DeviceWatcher, TransportFactory } from '../signer/transport';

/** Which device signs for the holding wallets; the doors choose it, the engine never imports a software one. */
export interface HoldingSignerConfig {
  openTransport: TransportFactory;
  /** A software stand-in (the virtual Ledger): refused on mainnet and testnet and for any public chain id. */
  software?: boolean;
  /**
   * Token descriptors the Ethereum app needs to show an ERC-20 transfer in clear, signed by a key the
   * device trusts. Absent: the profile's book (Ledger's signed lists, shipped; the devnet's own on
   * devnet). A token without one needs the app's blind signing, and the officer is told so.
   */
  evmTokenInfo?: (asset: Asset, chainId: number) => EvmTokenInfo | null;
  /** A software device opens the chain's app itself before each request; on a real Ledger the officer does. */
  openApp?: (chain: Chain) => void;
  /** USB plug and unplug of the device, pushed to the renderer as 'device.plugged'. */
  watchDevices?: DeviceWatcher;
}

/** The holding wallet's default Ledger account path per chain family. */
export function holdingPath(chain: Chain, account = 0): string {
  return chainFamily(chain) === 'tron' ? `m/44'/195'/${account}'/0/0` : `m/44'/60'/${account}'/0/0`;
}

/**
 * The approver's Ledger as the withdrawal flow sees it: one LedgerSigner (one queue) for the engine,
 * device states pushed to the renderer as 'device.status', and device failures turned into the
 * engine's `device` error with the state the UI names.
 */
export class HoldingSigner {
  private signer: LedgerSigner | null = null;
  /** One device request at a time from here, so a software device's app switch never cuts into another. */
  private turn: Promise<unknown> = Promise.resolve();

  private readonly stopWatching: () => void;

  constructor(
    private readonly config: HoldingSignerConfig | undefined,
    private readonly configuration: ConfigurationService,
    private readonly events: EventBus,
  ) {
    this.stopWatching = config?.watchDevices?.((event) => this.plugged(event)) ?? (() => undefined);
  }

  get source(): 'ledger' | 'virtual-ledger' {
    return this.config?.software ? 'virtual-ledger' : 'ledger';
  }

  get state(): DeviceState {
    return this.signer?.state ?? 'not-connected';
  }

  /** Reads an address; with `display` the officer compares it on the device's screen. */
  async address(chain: Chain, path: string, display: boolean): Promise<DeviceAddress> {
    const device = await this.device();
    return this.guard(chain, () => device.getAddress(chain, path, { display }));
  }

  /**
   * Signs on the device after checking, in the same device turn, that it derives the registered holding
   * address (`unsigned.intent.from`) at `path`: another Ledger is named 'different-device'.
   */
  async sign(unsigned: UnsignedTransaction, path: string, asset: Asset): Promise<RecoverableSignature> {
    const device = await this.device();
    const options = { expectedAddress: unsigned.intent.from };
    if (unsigned.chain === 'tron') {
      return splitTronSignature(await this.guard('tron', () => device.signTronTransaction(path, unsigned.signingPayload, undefined, options)));
    }
    const { profile, chains } = await this.configuration.get();
    const chainId = chains[unsigned.chain].chainId!;
    const tokenInfo = asset.contract ? (this.tokenInfo(profile, asset, chainId) ?? undefined) : undefined;
    return this.guard(unsigned.chain, () => device.signEvmTransaction(path, unsigned.signingPayload, tokenInfo, options));
  }

  private tokenInfo(profile: NetworkProfile, asset: Asset, chainId: number): EvmTokenInfo | null {
    if (this.config?.evmTokenInfo) return this.config.evmTokenInfo(asset, chainId);
    return asset.contract ? TokenDescriptorBook.forProfile(profile).find(chainId, asset.contract) : null;
  }

  async close(): Promise<void> {
    this.stopWatching();
    await this.signer?.close();
  }

  /** A device pulled out drops the connection at once, so the next request opens the one plugged in. */
  private plugged(event: DeviceUsbEvent): void {
    this.events.publish({ type: 'device.plugged', plugged: event.plugged, ...(event.model ? { model: event.model } : {}) });
    if (!event.plugged) void this.signer?.close();
  }

  private async device(): Promise<LedgerSigner> {
    if (!this.config) throw new DomainError('device', 'No Ledger connection is configured on this workstation.', { state: 'not-connected' });
    const { profile } = await this.configuration.get();
    if (this.config.software && !isSoftwareSignerAllowed(profile)) {
      throw new DomainError('forbidden', `A software signer is refused on the ${profile} profile: connect a Ledger device.`, { profile });
    }
    if (!this.signer) {
      this.signer = new LedgerSigner({
        openTransport: this.config.openTransport,
        software: this.config.software ?? false,
        onStateChange: (state) => this.events.publish({ type: 'device.status', state, detail: DEVICE_STATE_LABELS[state] }),
      });
    }
    return this.signer;
  }

  private guard<T>(chain: Chain, work: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.config?.openApp?.(chain);
      return work();
    };
    const result = this.turn.then(run, run).catch((error: unknown) => {
      throw this.failure(error);
    });
    this.turn = result.catch(() => undefined);
    return result;
  }

  private failure(error: unknown): Error {
    if (error instanceof DomainError) return error;
    if (error instanceof SoftwareSignerChainRefusedError) {
      return new DomainError('forbidden', error.message, { chainId: error.chainId.toString() });
    }
    const failure = error instanceof SignerError ? error : toSignerError(error);
    return new DomainError('device', failure.message, { state: failure.state, reason: failure.reason });
  }
}
