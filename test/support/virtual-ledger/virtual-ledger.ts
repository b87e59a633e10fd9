import Transport from '@ledgerhq/hw-transport';
import { StatusWord } from '@engine/signer/status-words';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import type { DeviceUsbEvent, DeviceWatcher, TransportFactory } from '@engine/signer/transport';
import {
  answer,
  parseApdu,
  statusOnly,
  type DeviceApp,
  type DeviceContext,
  type DeviceReview,
} from './apdu';
import { DeviceKeys } from './device-keys';
import { EthereumApp, type EthereumAppSettings } from './ethereum-app';
import { LEDGER_ERC20_SIGNER_PUBLIC_KEY } from '@engine/signer/token-descriptor-book';
import { DEFAULT_KNOWN_TRC20, TronApp, type TronAppSettings } from './tron-app';

export type OpenApp = 'eth' | 'tron' | 'none';

export interface VirtualLedgerOptions {
  /** BIP-39 mnemonic the device was set up with. */
  mnemonic: string;
  passphrase?: string;
  app?: OpenApp;
  locked?: boolean;
  /** 0x5515 on current firmware, 0x6b0c on older ones. */
  lockedStatusWord?: number;
  /** What the dashboard answers to an app command: 0x6e00, 0x6d00, 0x6511 or 0x6e01 by firmware. */
  dashboardStatusWord?: number;
  ethereum?: Partial<EthereumAppSettings>;
  tron?: Partial<TronAppSettings>;
}

export interface RecordedExchange {
  command: string;
  response: string;
}

const BOLOS = { name: 'BOLOS', version: '2.2.3' };

const disconnectedError = (name: 'DisconnectedDevice' | 'DisconnectedDeviceDuringOperation') =>
  Object.assign(new Error(name === 'DisconnectedDevice' ? 'Device disconnected' : 'Device disconnected during operation'), {
    name,
  });

/**
 * A Ledger device in software, behind the same Transport interface the libraries use. It answers the
 * Ethereum and Tron apps' APDUs from a mnemonic, with deterministic signatures, and has the knobs a
 * test needs: which app is open, locked, the user rejecting or the cable coming out mid-signature.
 */
export class VirtualLedger extends Transport {
  readonly ethereumApp: EthereumApp;
  readonly tronApp: TronApp;
  /** Every exchange as RecordStore lines would show it, for assertions and for new recordings. */
  readonly exchanges: RecordedExchange[] = [];
  /** Every screen the user was asked to confirm, in order. */
  readonly reviews: DeviceReview[] = [];

  private readonly keys: DeviceKeys;
  private openApp: OpenApp;
  private locked: boolean;
  private plugged = true;
  private readonly lockedStatusWord: number;
  private readonly dashboardStatusWord: number;
  private nextAnswer: 'approve' | 'reject' | 'disconnect' | 'hold' = 'approve';
  private held: { review: DeviceReview; settle: (approved: boolean) => void } | null = null;
  private promptWaiters: Array<(review: DeviceReview) => void> = [];
  private readonly usbListeners = new Set<(event: DeviceUsbEvent) => void>();

  constructor(options: VirtualLedgerOptions) {
    super();
    this.keys = new DeviceKeys(options.mnemonic, options.passphrase);
    this.openApp = options.app ?? 'eth';
    this.locked = options.locked ?? false;
    this.lockedStatusWord = options.lockedStatusWord ?? StatusWord.lockedDevice;
    this.dashboardStatusWord = options.dashboardStatusWord ?? StatusWord.claNotSupported;
    // factory-fresh apps of the current releases (app-ethereum 1.23, app-tron 0.7): every setting off
    this.ethereumApp = new EthereumApp({
      version: '1.23.0',
      blindSigning: false,
      tokenSignerPublicKey: LEDGER_ERC20_SIGNER_PUBLIC_KEY,
      signableChainIds: Object.values(DEVNET_EVM_CHAIN_IDS).map(BigInt),
      ...options.ethereum,
    });
    this.tronApp = new TronApp({ version: '0.7.1', flags: 0x00, knownTrc20: DEFAULT_KNOWN_TRC20, ...options.tron });
  }

  /** A transport factory for LedgerSigner; it fails like node-hid does while the device is unplugged. */
  factory(): TransportFactory {
    return async () => {
      if (!this.plugged) {
        throw Object.assign(new Error('Cannot open device'), { name: 'CantOpenDevice' });
      }
      return this;
    };
  }

  /** USB hotplug as the HID listener reports it: the device present at subscription, then each change. */
  watcher(): DeviceWatcher {
    return (listener) => {
      this.usbListeners.add(listener);
      if (this.plugged) queueMicrotask(() => this.usbListeners.has(listener) && listener({ plugged: true, model: 'nanoX' }));
      return () => this.usbListeners.delete(listener);
    };
  }

  // ---- knobs ----

  open(app: OpenApp): void {
    this.openApp = app;
    this.ethereumApp.reset();
    this.tronApp.reset();
  }

  lock(): void {
    this.locked = true;
  }

  unlock(): void {
    this.locked = false;
  }

  unplug(): void {
    this.plugged = false;
    this.open('none');
    for (const listener of this.usbListeners) listener({ plugged: false, model: 'nanoX' });
  }

  plugIn(app: OpenApp = 'none'): void {
    this.plugged = true;
    this.open(app);
    for (const listener of this.usbListeners) listener({ plugged: true, model: 'nanoX' });
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** The user presses "Reject" at the next confirmation screen. */
  rejectNextConfirmation(): void {
    this.nextAnswer = 'reject';
  }

  /** The cable comes out while the next confirmation screen is up. */
  disconnectAtNextConfirmation(): void {
    this.nextAnswer = 'disconnect';
  }

  /** The next confirmation screen stays up until the test calls approve() or reject(). */
  holdNextConfirmation(): void {
    this.nextAnswer = 'hold';
  }

  /** Resolves with the review as soon as a held confirmation screen is shown. */
  whenPrompted(): Promise<DeviceReview> {
    if (this.held) return Promise.resolve(this.held.review);
    return new Promise((resolve) => this.promptWaiters.push(resolve));
  }

  approve(): void {
    this.settleHeld(true);
  }

  reject(): void {
    this.settleHeld(false);
  }

  /** The exchanges as RecordStore text ("=> e002…\n<= …9000"). */
  recording(): string {
    return this.exchanges.map(({ command, response }) => `=> ${command}\n<= ${response}`).join('\n');
  }

  // ---- Transport ----

  override async exchange(apdu: Buffer): Promise<Buffer> {
    if (!this.plugged) throw disconnectedError('DisconnectedDevice');
    const response = await this.respond(apdu);
    this.exchanges.push({ command: apdu.toString('hex'), response: response.toString('hex') });
    return response;
  }

  override setScrambleKey(): void {}

  override async close(): Promise<void> {}

  private async respond(bytes: Buffer): Promise<Buffer> {
    if (this.locked) return statusOnly(this.lockedStatusWord);
    const apdu = parseApdu(bytes);
    // the SDK's apdu_parser: Lc that does not match the data is SWO_WRONG_DATA_LENGTH
    if (!apdu) return statusOnly(StatusWord.wrongDataLength);
    const app = this.currentApp();
    // BOLOS answers "get app and version" whatever app is open
    if (apdu.cla === 0xb0 && apdu.ins === 0x01) return this.appAndVersion(app);
    if (!app) return statusOnly(this.dashboardStatusWord);
    return app.handle(apdu, this.context());
  }

  private currentApp(): DeviceApp | null {
    if (this.openApp === 'eth') return this.ethereumApp;
    if (this.openApp === 'tron') return this.tronApp;
    return null;
  }

  private appAndVersion(app: DeviceApp | null): Buffer {
    const name = Buffer.from(app?.name ?? BOLOS.name, 'ascii');
    const version = Buffer.from(app?.version ?? BOLOS.version, 'ascii');
    return answer(
      Buffer.concat([Buffer.from([0x01, name.length]), name, Buffer.from([version.length]), version, Buffer.from([0x01, 0x00])]),
    );
  }

  private context(): DeviceContext {
    return { keys: this.keys, confirm: (review) => this.confirm(review) };
  }

  private async confirm(review: DeviceReview): Promise<boolean> {
    this.reviews.push(review);
    const next = this.nextAnswer;
    this.nextAnswer = 'approve';
    if (next === 'reject') return false;
    if (next === 'disconnect') {
      this.unplug();
      throw disconnectedError('DisconnectedDeviceDuringOperation');
    }
    if (next === 'hold') {
      return new Promise<boolean>((settle) => {
        this.held = { review, settle };
        for (const waiter of this.promptWaiters.splice(0)) waiter(review);
      });
    }
    return true;
  }

  private settleHeld(approved: boolean): void {
    const held = this.held;
    if (!held) throw new Error('No confirmation screen is waiting on the virtual Ledger.');
    this.held = null;
    held.settle(approved);
  }
}
