import Eth from '@ledgerhq/hw-app-eth';
import Trx from '@ledgerhq/hw-app-trx';
import type Transport from '@ledgerhq/hw-transport';
import {
  computeAddress,
  concat,
  dataSlice,
  encodeBase58,
  getAddress,
  keccak256,
  sha256,
  Transaction,
} from 'ethers';
import { chainFamily, type Chain, type NetworkProfile } from '@shared/domain/chains';
import type { RecoverableSignature } from '@engine/chains/adapter';
import { DeviceQueue, type DeviceRequestProgress, type DeviceStateListener } from './device-queue';
import { tronRawDataHasMemo } from './protobuf-fields';
import { SIGNER_MESSAGES, SignerError, signerError, toSignerError } from './signer-error';
import { assertSoftwareSignerAllowed, assertSoftwareSignerChainAllowed } from './software-signer-policy';
import type { DeviceState } from './status-words';
import { tokenDescriptorPayload, type EvmTokenInfo } from './token-descriptor';
import type { TransportFactory } from './transport';

export type { EvmTokenInfo } from './token-descriptor';

type ChainFamily = ReturnType<typeof chainFamily>;

/** A hex TRC-10 token descriptor signed by Ledger, passed through to the Tron app as is. */
export type TronTokenDescriptor = string;

export interface DeviceAddress {
  /** EVM: EIP-55 checksummed 0x address; Tron: base58 T-address. */
  address: string;
  /** Uncompressed secp256k1 public key, 0x-prefixed. */
  publicKey: string;
}

export interface SigningOptions {
  /** The registered holding address: the device must derive it at the path, or nothing is signed. */
  expectedAddress?: string;
}

export interface LedgerSignerOptions {
  openTransport: TransportFactory;
  onStateChange?: DeviceStateListener;
  /** App names (as the device reports them) accepted per chain family. */
  appNames?: Partial<Record<ChainFamily, readonly string[]>>;
  /**
   * The device is a software stand-in (the virtual Ledger): EVM transactions for any chain id but the
   * devnet's private ones are refused before they reach it (SoftwareSignerChainRefusedError).
   */
  software?: boolean;
}

const DEFAULT_APP_NAMES: Record<ChainFamily, readonly string[]> = {
  evm: ['Ethereum'],
  tron: ['Tron'],
};

const COIN_TYPE: Record<ChainFamily, number> = { evm: 60, tron: 195 };

// Every remote service hw-app-eth could reach is switched off: the workstation signs offline and
// token information comes from our own registry.
const OFFLINE_LOAD_CONFIG = {
  nftExplorerBaseURL: null,
  pluginBaseURL: null,
  cryptoassetsBaseURL: null,
  calServiceURL: null,
  extraPlugins: null,
};

const ERC20_TRANSFER_SELECTOR = '0xa9059cbb';

/**
 * The approver's Ledger: addresses and signatures for the holding wallets, on Polygon and BNB Chain
 * through the Ethereum app and on Tron through the Tron app. Requests go through one queue; failures
 * are SignerErrors whose state the UI shows. A rejection on the device signs nothing and changes no
 * withdrawal: the caller keeps it approved and unsigned.
 */
export class LedgerSigner {
  private readonly queue: DeviceQueue;
  private readonly openTransport: TransportFactory;
  private readonly appNames: Record<ChainFamily, readonly string[]>;
  private readonly software: boolean;
  private transport: Transport | null = null;

  constructor(options: LedgerSignerOptions) {
    this.openTransport = options.openTransport;
    this.software = options.software ?? false;
    this.queue = new DeviceQueue(options.onStateChange);
    this.appNames = { ...DEFAULT_APP_NAMES, ...options.appNames };
  }

  /** A signer over a software device (the virtual Ledger); refused outside the devnet profile. */
  static withSoftwareDevice(
    profile: NetworkProfile,
    options: LedgerSignerOptions,
  ): LedgerSigner {
    assertSoftwareSignerAllowed(profile);
    return new LedgerSigner({ ...options, software: true });
  }

  get state(): DeviceState {
    return this.queue.state;
  }

  /** Requests waiting for the device, the running one included. */
  get pendingRequests(): number {
    return this.queue.pending;
  }

  onStateChange(listener: DeviceStateListener): () => void {
    return this.queue.subscribe(listener);
  }

  /** Probes the device for a chain's app without prompting; resolves to the state, never throws. */
  async checkDevice(chain: Chain): Promise<DeviceState> {
    try {
      await this.request(`check ${chain} app`, chainFamily(chain), async () => undefined);
      return 'ready';
    } catch (error) {
      return toSignerError(error).state;
    }
  }

  /** The holding-wallet address at `path`; with `display` the device shows it for the officer to compare. */
  async getAddress(chain: Chain, path: string, options: { display?: boolean } = {}): Promise<DeviceAddress> {
    const family = chainFamily(chain);
    const devicePath = toDevicePath(path, family);
    const display = options.display ?? false;
    return this.request(`address ${chain} ${devicePath}`, family, async (transport, progress) => {
      // with display the device shows the address and waits for the officer to compare and approve it
      if (display) progress.awaitingConfirmation();
      return readAddress(transport, family, devicePath, display);
    });
  }

  /**
   * Signs an unsigned EVM transaction (ethers' `unsignedSerialized`: EIP-1559 on Polygon, legacy with
   * EIP-155 where BNB Chain's fee market calls for it). With `tokenInfo` the device shows the token
   * transfer in clear. A contract call without one needs the app's blind signing: when it is off the
   * request stops with 'blind-signing-required' before the transaction is sent; when it is on, the
   * state says so ('awaiting-blind-confirmation') before the device shows raw data. v is what the
   * transaction encoding takes: parity for typed transactions, chainId * 2 + 35 + parity for legacy ones.
   */
  async signEvmTransaction(
    path: string,
    unsignedSerializedTxHex: string,
    tokenInfo?: EvmTokenInfo,
    options: SigningOptions = {},
  ): Promise<RecoverableSignature> {
    const devicePath = toDevicePath(path, 'evm');
    const tx = parseUnsignedEvmTransaction(unsignedSerializedTxHex);
    if (this.software) assertSoftwareSignerChainAllowed(tx.chainId);
    const descriptor = tokenInfo ? tokenDescriptorFor(tx, tokenInfo) : null;
    const callsContract = tx.data !== '0x';
    const rawHex = strip0x(unsignedSerializedTxHex).toLowerCase();
    return this.request(`sign evm ${devicePath}`, 'evm', async (transport, progress) => {
      if (options.expectedAddress) await assertSameDevice(transport, 'evm', devicePath, options.expectedAddress);
      const eth = new Eth(transport, undefined, OFFLINE_LOAD_CONFIG);
      if (descriptor) {
        await eth.provideERC20TokenInformation(descriptor).catch((error: unknown) => {
          const failure = toSignerError(error);
          throw failure.reason === 'invalid-data'
            ? new SignerError('token-descriptor-refused', SIGNER_MESSAGES['token-descriptor-refused'], { statusWord: failure.statusWord, cause: error })
            : failure;
        });
        progress.awaitingConfirmation();
      } else if (callsContract) {
        const { arbitraryDataEnabled } = await eth.getAppConfiguration();
        if (!arbitraryDataEnabled) throw signerError('blind-signing-required');
        progress.awaitingBlindConfirmation();
      } else {
        progress.awaitingConfirmation();
      }
      const signature = await eth.signTransaction(devicePath, rawHex, NO_RESOLUTION).catch((error: unknown) => {
        const failure = toSignerError(error);
        // hw-app-eth names every 0x6a80 on SIGN "enable blind signing"; it is only that for a contract call
        // the app had no descriptor for (a refused chain id answers the same word)
        if (failure.reason === 'blind-signing-required' && (descriptor || !callsContract)) {
          throw new SignerError('invalid-data', SIGNER_MESSAGES['invalid-data'], { statusWord: failure.statusWord, cause: error });
        }
        throw failure;
      });
      return {
        r: `0x${signature.r.padStart(64, '0')}`,
        s: `0x${signature.s.padStart(64, '0')}`,
        v: Number.parseInt(signature.v, 16),
      };
    });
  }

  /**
   * Signs a Tron transaction's raw_data (protobuf hex); returns r || s || recovery id, 65 bytes hex.
   * Never a memo (the Tron app refuses one unless "Transactions data" is on, and Treasury sends none)
   * and never by hash: the app always parses what it signs.
   */
  async signTronTransaction(
    path: string,
    rawDataHex: string,
    tokenInfo?: readonly TronTokenDescriptor[],
    options: SigningOptions = {},
  ): Promise<string> {
    const devicePath = toDevicePath(path, 'tron');
    const rawHex = strip0x(rawDataHex).toLowerCase();
    if (!/^([0-9a-f]{2})+$/.test(rawHex)) {
      throw signerError('invalid-request', 'raw_data is not hex.');
    }
    const hasMemo = tronRawDataHasMemo(Buffer.from(rawHex, 'hex'));
    if (hasMemo === null) throw signerError('invalid-request', 'raw_data is not a Tron transaction.');
    if (hasMemo) throw signerError('invalid-request', 'The transaction carries a memo, which Treasury never sends.');
    const descriptors = (tokenInfo ?? []).map((descriptor) => strip0x(descriptor));
    return this.request(`sign tron ${devicePath}`, 'tron', async (transport, progress) => {
      if (options.expectedAddress) await assertSameDevice(transport, 'tron', devicePath, options.expectedAddress);
      progress.awaitingConfirmation();
      const signature = await new Trx(transport).signTransaction(devicePath, rawHex, descriptors);
      if (signature.length !== 130) {
        throw signerError('device-error', 'The Tron app answered a signature of the wrong length.');
      }
      return signature;
    });
  }

  /** Closes the connection; the next request opens it again. */
  async close(): Promise<void> {
    await this.dropTransport();
    this.queue.setState('not-connected');
  }

  private request<T>(
    label: string,
    family: ChainFamily,
    run: (transport: Transport, progress: DeviceRequestProgress) => Promise<T>,
  ): Promise<T> {
    return this.queue.enqueue({
      label,
      run: async (progress) => {
        const transport = await this.connection();
        try {
          await this.assertAppOpen(transport, family);
          // `run` says when the device screen starts waiting for the user's answer
          return await run(transport, progress);
        } catch (error) {
          const failure = toSignerError(error);
          if (failure.reason === 'disconnected' || failure.reason === 'not-connected') {
            await this.dropTransport();
          }
          throw failure;
        }
      },
    });
  }

  private async connection(): Promise<Transport> {
    if (this.transport) return this.transport;
    try {
      this.transport = await this.openTransport();
    } catch (error) {
      const failure = toSignerError(error);
      throw failure.reason === 'device-error'
        ? signerError('not-connected', failure.message)
        : failure;
    }
    return this.transport;
  }

  private async dropTransport(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    await transport?.close().catch(() => undefined);
  }

  // Both apps use CLA 0xE0 with the same instruction numbers, so the Tron app would answer an
  // Ethereum address request; the app name (BOLOS "get app and version") tells them apart.
  private async assertAppOpen(transport: Transport, family: ChainFamily): Promise<void> {
    const answer = await transport.send(0xb0, 0x01, 0x00, 0x00);
    const appName = parseAppName(answer);
    if (!this.appNames[family].includes(appName)) {
      const expected = this.appNames[family].join(' or ');
      throw signerError(
        'wrong-app',
        appName === 'BOLOS' ? `Open the ${expected} app.` : `${appName} is open; open the ${expected} app.`,
      );
    }
  }
}

const strip0x = (hex: string): string => (hex.startsWith('0x') ? hex.slice(2) : hex);

const PATH_PATTERN = /^(m\/)?(\d+'?)(\/\d+'?)*$/;

/** "m/44'/60'/0'/0/0" → "44'/60'/0'/0/0" as the apps take it, checked against the chain's coin type. */
function toDevicePath(path: string, family: ChainFamily): string {
  if (!PATH_PATTERN.test(path)) throw signerError('invalid-request', `"${path}" is not a BIP-32 path.`);
  const devicePath = path.startsWith('m/') ? path.slice(2) : path;
  const levels = devicePath.split('/');
  if (levels.length > 10 || levels[0] !== "44'" || levels[1] !== `${COIN_TYPE[family]}'`) {
    throw signerError('invalid-request', `"${path}" is not a BIP-44 path for coin ${COIN_TYPE[family]}.`);
  }
  return devicePath;
}

function parseAppName(answer: Buffer): string {
  // format byte, then length-prefixed name, version and flags
  const nameLength = answer[1];
  if (answer[0] !== 0x01 || nameLength === undefined) return '';
  return answer.subarray(2, 2 + nameLength).toString('ascii');
}

function parseUnsignedEvmTransaction(hex: string): Transaction {
  let tx: Transaction;
  try {
    tx = Transaction.from(`0x${strip0x(hex)}`);
  } catch (error) {
    throw signerError('invalid-request', `Not a serialized EVM transaction: ${String(error)}`);
  }
  if (tx.signature) throw signerError('invalid-request', 'The transaction is already signed.');
  if (tx.chainId === 0n) throw signerError('invalid-request', 'The transaction has no chain id (EIP-155).');
  return tx;
}

/** Reads the address at a path from the open app; with `display` the device shows it for approval. */
async function readAddress(transport: Transport, family: ChainFamily, devicePath: string, display: boolean): Promise<DeviceAddress> {
  if (family === 'evm') {
    const answer = await new Eth(transport, undefined, OFFLINE_LOAD_CONFIG).getAddress(devicePath, display);
    const publicKey = `0x${answer.publicKey}`;
    return { address: checkedEvmAddress(answer.address, publicKey), publicKey };
  }
  const answer = await new Trx(transport).getAddress(devicePath, display);
  const publicKey = `0x${answer.publicKey}`;
  if (answer.address !== tronAddressFromPublicKey(publicKey)) {
    throw signerError('wrong-app', 'The device answered an address that is not a Tron address of its key.');
  }
  return { address: answer.address, publicKey };
}

/**
 * The device plugged in must be the one the holding wallet was registered from: same address at the
 * same path (another seed, or a passphrase wallet, derives another). Checked in the same device turn
 * as the signature, so nothing can be swapped in between.
 */
async function assertSameDevice(transport: Transport, family: ChainFamily, devicePath: string, expected: string): Promise<void> {
  const { address } = await readAddress(transport, family, devicePath, false);
  const same = family === 'evm' ? address.toLowerCase() === expected.toLowerCase() : address === expected;
  if (!same) throw signerError('different-device');
}

const NO_RESOLUTION = { erc20Tokens: [], nfts: [], externalPlugin: [], plugin: [], domains: [] };

/** The descriptor payload for a token transfer, checked against the transaction it is given for. */
function tokenDescriptorFor(tx: Transaction, token: EvmTokenInfo): string {
  const contract = getAddress(token.contractAddress);
  if (!tx.to || getAddress(tx.to) !== contract) {
    throw signerError('invalid-request', `Token ${token.ticker} is not the contract this transaction calls.`);
  }
  if (BigInt(token.chainId) !== tx.chainId) {
    throw signerError('invalid-request', `Token ${token.ticker} is described for another chain.`);
  }
  if (!tx.data.startsWith(ERC20_TRANSFER_SELECTOR)) {
    throw signerError('invalid-request', 'Token information is given for a call that is not a transfer.');
  }
  return tokenDescriptorPayload(token);
}

function checkedEvmAddress(deviceAddress: string, publicKey: string): string {
  const derived = computeAddress(publicKey);
  let answered: string;
  try {
    answered = getAddress(deviceAddress);
  } catch {
    throw signerError('wrong-app', 'The device answered something that is not an EVM address.');
  }
  if (answered !== derived) {
    throw signerError('wrong-app', 'The device answered an address that does not belong to its key.');
  }
  return derived;
}

/** Base58check of 0x41 || last 20 bytes of keccak256(uncompressed key without its 04 prefix). */
export function tronAddressFromPublicKey(publicKey: string): string {
  const body = concat(['0x41', dataSlice(keccak256(dataSlice(publicKey, 1)), 12)]);
  const checksum = dataSlice(sha256(sha256(body)), 0, 4);
  return encodeBase58(concat([body, checksum]));
}

/** A Tron signature (r || s || recovery id) in the shape chain adapters attach. */
export function splitTronSignature(signatureHex: string): RecoverableSignature {
  const hex = strip0x(signatureHex);
  if (hex.length !== 130) throw signerError('invalid-request', 'A Tron signature is 65 bytes.');
  return { r: `0x${hex.slice(0, 64)}`, s: `0x${hex.slice(64, 128)}`, v: Number.parseInt(hex.slice(128), 16) };
}
