import { getAddress, keccak256, Transaction } from 'ethers';
import { StatusWord } from '@engine/signer/status-words';
import { evmAddressText } from './device-keys';
import {
  addressAnswer,
  answer,
  readPath,
  statusOnly,
  versionBytes,
  type Apdu,
  type DeviceApp,
  type DeviceContext,
} from './apdu';
import { tokenDescriptorTrusted } from './token-signing-key';

const CLA = 0xe0;
const INS = {
  getAddress: 0x02,
  signTransaction: 0x04,
  getAppConfiguration: 0x06,
  provideErc20TokenInformation: 0x0a,
} as const;
const P1_FIRST_CHUNK = 0x00;
const P1_MORE_CHUNK = 0x80;
const ERC20_TRANSFER = 'a9059cbb';
const MAX_TICKER_LENGTH = 12;
const ERC20_APPROVE = '095ea7b3';

export interface EthereumAppSettings {
  version: string;
  /** "Blind signing" in the app settings; without it, contract data it cannot decode is refused. */
  blindSigning: boolean;
  /** Uncompressed public key (hex, no 0x) whose signatures on ERC-20 descriptors the app trusts. */
  tokenSignerPublicKey: string;
  /**
   * Chain ids the app signs for; any other is refused with 0x6A80, as an Ethereum app built for one
   * chain refuses another's transaction. Default: the devnet's private ids, so the simulator never
   * produces a transaction valid on a public chain. 'any' only to replay recordings made on hardware.
   */
  signableChainIds: readonly bigint[] | 'any';
}

interface ProvidedToken {
  ticker: string;
  decimals: number;
}

/**
 * The Ethereum app's APDUs that hw-app-eth uses for addresses, token information and transaction
 * signing, answered as the app answers them.
 */
export class EthereumApp implements DeviceApp {
  readonly name = 'Ethereum';
  private signing: { path: number[]; payload: Buffer } | null = null;
  // The app keeps provided tokens for the transaction that follows, then forgets them.
  private tokens = new Map<string, ProvidedToken>();

  constructor(readonly settings: EthereumAppSettings) {}

  get version(): string {
    return this.settings.version;
  }

  async handle(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    const response = await this.dispatch(apdu, device);
    // app-ethereum's main loop resets the whole app context (tokens given, transaction half received)
    // after any answer that is not 0x9000
    if (response.readUInt16BE(response.length - 2) !== StatusWord.ok) this.reset();
    return response;
  }

  private async dispatch(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    if (apdu.cla !== CLA) return statusOnly(StatusWord.claNotSupported);
    switch (apdu.ins) {
      case INS.getAppConfiguration:
        // flags: 0x01 blind signing ("data allowed"), 0x02 token descriptors needed (always set since 1.x)
        return answer(Buffer.concat([Buffer.from([(this.settings.blindSigning ? 0x01 : 0x00) | 0x02]), versionBytes(this.version)]));
      case INS.getAddress:
        return this.getAddress(apdu, device);
      case INS.provideErc20TokenInformation:
        return this.provideToken(apdu);
      case INS.signTransaction:
        return this.signTransaction(apdu, device);
      default:
        return statusOnly(StatusWord.insNotSupported);
    }
  }

  /** Switches "Blind signing" in the app's settings, as the user does on the device. */
  setBlindSigning(on: boolean): void {
    (this.settings as { blindSigning: boolean }).blindSigning = on;
  }

  /** Forgets a half-received transaction, as the app does when the user leaves it. */
  reset(): void {
    this.signing = null;
    this.tokens.clear();
  }

  private async getAddress(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    // P1 confirm or not, P2 chain code or not, anything else 0x6b00 (cmd_get_public_key.c)
    if (apdu.p1 > 1 || apdu.p2 > 1) return statusOnly(StatusWord.incorrectP1P2);
    const parsed = readPath(apdu.data);
    // the payload may end with an 8-byte chain id, used only to pick the network shown on screen
    if (!parsed || (parsed.rest.length !== 0 && parsed.rest.length !== 8)) {
      return statusOnly(StatusWord.invalidData);
    }
    const key = device.keys.key(parsed.path);
    const address = evmAddressText(key.publicKey);
    if (apdu.p1 === 1 && !(await device.confirm({ app: 'Ethereum', kind: 'address', address: `0x${address}` }))) {
      return statusOnly(StatusWord.rejectedOnDevice);
    }
    return addressAnswer(key.publicKey, address, apdu.p2 === 1 ? key.chainCode : null);
  }

  private provideToken(apdu: Apdu): Buffer {
    const data = apdu.data;
    const tickerLength = data[0] ?? 0;
    const bodyEnd = 1 + tickerLength + 20 + 4 + 4;
    // the ticker must fit the app's buffer (MAX_TICKER_LEN 12 with its terminating zero)
    if (data.length < 1 || tickerLength + 1 > MAX_TICKER_LENGTH || data.length <= bodyEnd) {
      return statusOnly(StatusWord.invalidData);
    }
    const body = data.subarray(1, bodyEnd);
    if (!tokenDescriptorTrusted(body, data.subarray(bodyEnd), this.settings.tokenSignerPublicKey)) {
      return statusOnly(StatusWord.invalidData);
    }
    const ticker = body.subarray(0, tickerLength).toString('ascii');
    const contract = body.subarray(tickerLength, tickerLength + 20).toString('hex');
    const decimals = body.readUInt32BE(tickerLength + 20);
    const chainId = body.readUInt32BE(tickerLength + 24);
    this.tokens.set(`${chainId}:0x${contract}`, { ticker, decimals });
    return answer();
  }

  private async signTransaction(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    // P2 0 is the plain signing hw-app-eth uses; the store / clear-signing-flow modes (1, 2) are not
    // modelled, so they are refused like any unknown mode (cmd_sign_tx.c: SWO_WRONG_P1_P2)
    if (apdu.p2 !== 0x00) return this.fail(StatusWord.incorrectP1P2);
    if (apdu.p1 === P1_FIRST_CHUNK) {
      const parsed = readPath(apdu.data);
      if (!parsed || parsed.rest.length === 0) return this.fail(StatusWord.invalidData);
      const type = parsed.rest[0] ?? 0;
      // EIP-2718 types the app knows: 1 (2930), 2 (1559), 4 (7702); any other typed tx is refused
      if (type <= 0x7f && type !== 1 && type !== 2 && type !== 4) return this.fail(StatusWord.unsupportedTransactionType);
      this.signing = { path: parsed.path, payload: Buffer.from(parsed.rest) };
    } else if (apdu.p1 === P1_MORE_CHUNK) {
      // a continuation with no transaction started: "Signature not initialized"
      if (!this.signing) return this.fail(StatusWord.commandNotAllowed);
      this.signing.payload = Buffer.concat([this.signing.payload, apdu.data]);
    } else {
      return this.fail(StatusWord.incorrectP1P2);
    }
    const expected = transactionLength(this.signing.payload);
    if (expected === null || this.signing.payload.length < expected) return answer();
    if (this.signing.payload.length > expected) return this.fail(StatusWord.invalidData);

    const { path, payload } = this.signing;
    this.signing = null;
    let tx: Transaction;
    try {
      tx = Transaction.from(`0x${payload.toString('hex')}`);
    } catch {
      return this.fail(StatusWord.invalidData);
    }
    const allowed = this.settings.signableChainIds;
    if (allowed !== 'any' && !allowed.includes(tx.chainId)) {
      // app-ethereum's finalize step checks the chain before any screen, then drops the context
      this.tokens.clear();
      return statusOnly(StatusWord.invalidData);
    }
    const review = this.review(tx);
    this.tokens.clear();
    if (!review) return statusOnly(StatusWord.invalidData);
    if (!(await device.confirm(review))) return statusOnly(StatusWord.rejectedOnDevice);

    const signature = device.keys.sign(path, Buffer.from(keccak256(payload).slice(2), 'hex'));
    const v = tx.type === 0 ? legacyV(tx.chainId, signature.yParity) : signature.yParity;
    return answer(Buffer.concat([Buffer.from([v]), signature.r, signature.s]));
  }

  private review(tx: Transaction) {
    const data = tx.data.slice(2);
    if (data.length === 0) {
      return { app: 'Ethereum', kind: 'transfer', chainId: tx.chainId, to: tx.to ?? '', value: tx.value } as const;
    }
    const token = tx.to ? this.tokens.get(`${chainIdAsUint32(tx.chainId)}:${tx.to.toLowerCase()}`) : undefined;
    const selector = data.slice(0, 8);
    if (token && tx.to && (selector === ERC20_TRANSFER || selector === ERC20_APPROVE) && data.length === 8 + 128) {
      return {
        app: 'Ethereum',
        kind: selector === ERC20_TRANSFER ? 'token-transfer' : 'token-approval',
        chainId: tx.chainId,
        ticker: token.ticker,
        decimals: token.decimals,
        contract: getAddress(tx.to),
        recipient: getAddress(`0x${data.slice(8 + 24, 8 + 64)}`),
        amount: BigInt(`0x${data.slice(8 + 64)}`),
      } as const;
    }
    if (!this.settings.blindSigning) return null;
    return { app: 'Ethereum', kind: 'blind-signing', chainId: tx.chainId, to: tx.to, data: tx.data } as const;
  }

  private fail(statusWord: number): Buffer {
    this.signing = null;
    return statusOnly(statusWord);
  }
}

/** Bytes the whole transaction takes: the RLP list, after the type byte for typed transactions. */
function transactionLength(payload: Buffer): number | null {
  const first = payload[0];
  if (first === undefined) return null;
  if (first <= 0x7f) {
    const list = rlpLength(payload, 1);
    return list === null ? null : 1 + list;
  }
  return rlpLength(payload, 0);
}

function rlpLength(bytes: Buffer, offset: number): number | null {
  const head = bytes[offset];
  if (head === undefined) return null;
  if (head < 0x80) return 1;
  if (head < 0xb8) return 1 + head - 0x80;
  if (head < 0xc0) return longLength(bytes, offset, head - 0xb7);
  if (head < 0xf8) return 1 + head - 0xc0;
  return longLength(bytes, offset, head - 0xf7);
}

function longLength(bytes: Buffer, offset: number, lengthOfLength: number): number | null {
  if (bytes.length < offset + 1 + lengthOfLength) return null;
  let length = 0;
  for (let i = 0; i < lengthOfLength; i += 1) length = length * 256 + (bytes[offset + 1 + i] ?? 0);
  return 1 + lengthOfLength + length;
}

// The app keeps a chain id in 4 bytes (the most significant ones of a longer id) and answers v in one
// byte, so chainId * 2 + 35 + parity wraps modulo 256; hw-app-eth rebuilds the full v from the tx.
function chainIdAsUint32(chainId: bigint): number {
  let hex = chainId.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Number.parseInt(hex.slice(0, 8), 16);
}

function legacyV(chainId: bigint, yParity: 0 | 1): number {
  if (chainId === 0n) return 27 + yParity;
  return (chainIdAsUint32(chainId) * 2 + 35 + yParity) % 256;
}
