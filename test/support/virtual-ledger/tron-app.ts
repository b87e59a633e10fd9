import { encodeBase58, sha256 } from 'ethers';
import { DEVNET_TRON_USDT } from '@shared/domain/assets';
import { StatusWord } from '@engine/signer/status-words';
import { tronAddressText } from './device-keys';
import {
  addressAnswer,
  answer,
  readPath,
  statusOnly,
  versionBytes,
  type Apdu,
  type DeviceApp,
  type DeviceContext,
  type DeviceReview,
} from './apdu';
import { parseRawDataChunk, type TronContract } from './tron-transaction';

const CLA = 0xe0;
const INS = {
  getAddress: 0x02,
  signTransaction: 0x04,
  signTransactionHash: 0x05,
  getAppConfiguration: 0x06,
} as const;

// SIGN P1 (app-tron handlers.h): one chunk, first / middle / last transaction chunk, then token names
// 0xA0 | index with 0x08 marking the last one.
const P1 = { single: 0x10, first: 0x00, more: 0x80, last: 0x90, token: 0xa0, lastTokenFlag: 0x08 } as const;

/** The app settings bits (app-tron settings.h); a factory-fresh app has all of them off. */
export const TronSetting = { dataAllowed: 0x01, customContracts: 0x02, truncateAddress: 0x04, signByHash: 0x08 } as const;

/** Contract types the app decodes (app-tron parse.c processTx); any other is a fault (0x6a80). */
const DECODED_CONTRACT_TYPES = new Set([1, 2, 4, 10, 11, 12, 13, 16, 17, 18, 31, 41, 42, 43, 44, 46, 54, 55, 56, 57, 58]);
const TRC20_TRANSFER = 'a9059cbb';
const TRC20_APPROVE = '095ea7b3';

export interface KnownTrc20 {
  /** Base58 T-address of the contract. */
  address: string;
  ticker: string;
  decimals: number;
}

/**
 * TRC-20 tokens compiled into the app (app-tron src/tokens.c lists 380 or so; these are the ones the
 * treasury meets), plus the devnet's test USDT, as a devnet build of the app would list it.
 */
export const DEFAULT_KNOWN_TRC20: readonly KnownTrc20[] = [
  { address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', ticker: 'USDT', decimals: 6 },
  { address: 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8', ticker: 'USDC', decimals: 6 },
  { address: DEVNET_TRON_USDT, ticker: 'USDT', decimals: 6 },
];

export interface TronAppSettings {
  version: string;
  /** TronSetting bits: 1 transactions data (memo), 2 custom contracts, 4 truncated address, 8 sign by hash. */
  flags: number;
  knownTrc20: readonly KnownTrc20[];
}

interface Signing {
  path: number[];
  rawData: Buffer;
  dataBytes: number;
  contract: TronContract | null;
}

/** The Tron app's APDUs that hw-app-trx uses, answered as app-tron 0.7 answers them. */
export class TronApp implements DeviceApp {
  readonly name = 'Tron';
  private signing: Signing | null = null;

  constructor(readonly settings: TronAppSettings) {}

  get version(): string {
    return this.settings.version;
  }

  /** Switches an app setting on or off, as the user does in the app's Settings menu. */
  setSetting(setting: number, on: boolean): void {
    (this.settings as { flags: number }).flags = on ? this.settings.flags | setting : this.settings.flags & ~setting;
  }

  async handle(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    if (apdu.cla !== CLA) return statusOnly(StatusWord.claNotSupported);
    switch (apdu.ins) {
      case INS.getAppConfiguration:
        return answer(Buffer.concat([Buffer.from([this.settings.flags & 0x0f]), versionBytes(this.version)]));
      case INS.getAddress:
        return this.getAddress(apdu, device);
      case INS.signTransaction:
        return this.signTransaction(apdu, device);
      case INS.signTransactionHash:
        return this.signHash(apdu, device);
      default:
        return statusOnly(StatusWord.insNotSupported);
    }
  }

  reset(): void {
    this.signing = null;
  }

  private has(setting: number): boolean {
    return (this.settings.flags & setting) !== 0;
  }

  private async getAddress(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    if (apdu.p1 > 1 || (apdu.p2 & 0x3f) > 1) return statusOnly(StatusWord.incorrectP1P2);
    const parsed = readPath(apdu.data);
    if (!parsed) return statusOnly(StatusWord.tronIncorrectPath);
    const key = device.keys.key(parsed.path);
    const address = tronAddressText(key.publicKey);
    if (apdu.p1 === 1 && !(await device.confirm({ app: 'Tron', kind: 'address', address }))) {
      return statusOnly(StatusWord.rejectedOnDevice);
    }
    return addressAnswer(key.publicKey, address, (apdu.p2 & 0x3f) === 1 ? key.chainCode : null);
  }

  private async signTransaction(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    const p1 = apdu.p1;
    if (apdu.p2 !== 0x00) return this.fail(StatusWord.incorrectP1P2);
    let chunk = apdu.data;
    if (p1 === P1.single || p1 === P1.first) {
      const parsed = readPath(apdu.data);
      if (!parsed) return this.fail(StatusWord.tronIncorrectPath);
      this.signing = { path: parsed.path, rawData: Buffer.alloc(0), dataBytes: 0, contract: null };
      chunk = parsed.rest;
    } else if ((p1 & 0xf0) === P1.token) {
      // token names are for TRC-10 transfers and exchanges only; their Ledger-signed names are not
      // modelled here, so every token chunk is refused as the app refuses one for any other contract
      return this.fail(StatusWord.invalidData);
    } else if (p1 !== P1.more && p1 !== P1.last) {
      return this.fail(StatusWord.incorrectP1P2);
    }
    // "Context must be initialized first": a continuation without a first chunk is a P1 sequence error
    if (!this.signing) return this.fail(StatusWord.incorrectP1P2);

    const signing = this.signing;
    if (chunk.length > 0) {
      const content = parseRawDataChunk(chunk);
      if (!content) return this.fail(StatusWord.invalidData);
      signing.dataBytes += content.dataBytes;
      if (!this.has(TronSetting.dataAllowed) && content.dataBytes !== 0) return this.fail(StatusWord.tronDataNotAllowed);
      if (content.contract) {
        if (content.contract.type === 'other' && !DECODED_CONTRACT_TYPES.has(content.contract.contractType)) {
          return this.fail(StatusWord.invalidData);
        }
        signing.contract = content.contract;
      }
      signing.rawData = Buffer.concat([signing.rawData, chunk]);
    }
    if (p1 !== P1.single && p1 !== P1.last) return answer();

    this.signing = null;
    const review = this.review(signing);
    if (typeof review === 'number') return statusOnly(review);
    if (!(await device.confirm(review))) return statusOnly(StatusWord.rejectedOnDevice);
    return this.signature(device, signing.path, sha256Bytes(signing.rawData));
  }

  /** What the app shows for the transaction, or the status word it answers instead of a screen. */
  private review(signing: Signing): DeviceReview | number {
    const rawDataHex = signing.rawData.toString('hex');
    const contract = signing.contract;
    if (!contract) return StatusWord.invalidData;
    const memo = signing.dataBytes > 0;
    if (contract.type === 'transfer') {
      return { app: 'Tron', kind: 'trx-transfer', to: base58(contract.to), amount: contract.amount, memo, rawDataHex };
    }
    if (contract.type === 'other') return { app: 'Tron', kind: 'transaction', contractType: contract.contractType, memo, rawDataHex };

    const data = contract.data;
    const selector = data.subarray(0, 4).toString('hex');
    const isTokenCall = selector === TRC20_TRANSFER || selector === TRC20_APPROVE;
    if (data.length < 4) return StatusWord.invalidData;
    if (isTokenCall ? data.length !== 4 + 64 : (data.length - 4) % 32 !== 0) return StatusWord.invalidData;
    const token = this.settings.knownTrc20.find((t) => t.address === base58(contract.contract));
    if (isTokenCall && token) {
      return {
        app: 'Tron',
        kind: selector === TRC20_TRANSFER ? 'token-transfer' : 'token-approval',
        ticker: token.ticker,
        decimals: token.decimals,
        contract: token.address,
        // the app rebuilds the recipient from the last 20 bytes of the argument with the 0x41 prefix
        recipient: base58(Buffer.concat([Buffer.from([0x41]), data.subarray(4 + 12, 4 + 32)])),
        amount: BigInt(`0x${data.subarray(4 + 32).toString('hex')}`),
        memo,
        rawDataHex,
      };
    }
    // an unknown token is treated as an arbitrary contract call, which needs "Custom contracts"
    if (!this.has(TronSetting.customContracts)) return StatusWord.tronCustomContractNotAllowed;
    return { app: 'Tron', kind: 'custom-contract', contract: base58(contract.contract), selector, callValue: contract.callValue, memo, rawDataHex };
  }

  private async signHash(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) return statusOnly(StatusWord.incorrectP1P2);
    if (!this.has(TronSetting.signByHash)) return statusOnly(StatusWord.tronSignByHashNotAllowed);
    const parsed = readPath(apdu.data);
    if (!parsed) return statusOnly(StatusWord.tronIncorrectPath);
    if (parsed.rest.length !== 32) return statusOnly(StatusWord.wrongLength);
    const review: DeviceReview = { app: 'Tron', kind: 'hash', hash: parsed.rest.toString('hex') };
    if (!(await device.confirm(review))) return statusOnly(StatusWord.rejectedOnDevice);
    return this.signature(device, parsed.path, parsed.rest);
  }

  private signature(device: DeviceContext, path: number[], digest: Buffer): Buffer {
    const signature = device.keys.sign(path, digest);
    return answer(Buffer.concat([signature.r, signature.s, Buffer.from([signature.yParity])]));
  }

  private fail(statusWord: number): Buffer {
    this.signing = null;
    return statusOnly(statusWord);
  }
}

// a Tron transaction id, and what its signature covers, is sha256 of raw_data
const sha256Bytes = (bytes: Buffer): Buffer => Buffer.from(sha256(bytes).slice(2), 'hex');

function base58(address: Buffer): string {
  if (address.length !== 21) return `0x${address.toString('hex')}`;
  const checksum = Buffer.from(sha256(sha256(address)).slice(2, 10), 'hex');
  return encodeBase58(Buffer.concat([address, checksum]));
}
