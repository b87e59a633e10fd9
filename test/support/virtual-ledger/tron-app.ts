import { sha256 } from 'ethers';
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

const CLA = 0xe0;
const INS = {
  getAddress: 0x02,
  signTransaction: 0x04,
  signTransactionHash: 0x05,
  getAppConfiguration: 0x06,
} as const;

// SIGN P1 as hw-app-trx sets it: one chunk, first / middle / last transaction chunk, then token
// descriptors 0xA0 | index with 0x08 marking the last one.
const P1 = { single: 0x10, first: 0x00, more: 0x80, last: 0x90, token: 0xa0, lastTokenFlag: 0x08 } as const;

export interface TronAppSettings {
  version: string;
  /** Configuration flags: 1 data allowed, 2 custom contracts, 4 truncated address, 8 sign by hash. */
  flags: number;
}

/** The Tron app's APDUs that hw-app-trx uses, answered as the app answers them. */
export class TronApp implements DeviceApp {
  readonly name = 'Tron';
  private signing: { path: number[]; rawData: Buffer; tokens: Buffer[] } | null = null;

  constructor(readonly settings: TronAppSettings) {}

  get version(): string {
    return this.settings.version;
  }

  async handle(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    if (apdu.cla !== CLA) return statusOnly(StatusWord.claNotSupported);
    switch (apdu.ins) {
      case INS.getAppConfiguration:
        return answer(Buffer.concat([Buffer.from([this.settings.flags]), versionBytes(this.version)]));
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

  private async getAddress(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    const parsed = readPath(apdu.data);
    if (!parsed || parsed.rest.length !== 0 || apdu.p1 > 1 || apdu.p2 > 1) return statusOnly(StatusWord.invalidData);
    const key = device.keys.key(parsed.path);
    const address = tronAddressText(key.publicKey);
    if (apdu.p1 === 1 && !(await device.confirm({ app: 'Tron', kind: 'address', address }))) {
      return statusOnly(StatusWord.rejectedOnDevice);
    }
    return addressAnswer(key.publicKey, address, apdu.p2 === 1 ? key.chainCode : null);
  }

  private async signTransaction(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    const p1 = apdu.p1;
    const isTokenChunk = (p1 & 0xf0) === P1.token;
    if (p1 === P1.single || p1 === P1.first) {
      const parsed = readPath(apdu.data);
      if (!parsed) return this.fail(StatusWord.invalidData);
      this.signing = { path: parsed.path, rawData: Buffer.from(parsed.rest), tokens: [] };
    } else if (!this.signing) {
      return this.fail(StatusWord.invalidData);
    } else if (isTokenChunk) {
      this.signing.tokens.push(Buffer.from(apdu.data));
    } else if (p1 === P1.more || p1 === P1.last) {
      this.signing.rawData = Buffer.concat([this.signing.rawData, apdu.data]);
    } else {
      return this.fail(StatusWord.invalidData);
    }
    const complete = p1 === P1.single || p1 === P1.last || (isTokenChunk && (p1 & P1.lastTokenFlag) !== 0);
    if (!complete) return answer();

    const { path, rawData, tokens } = this.signing;
    this.signing = null;
    const review = {
      app: 'Tron',
      kind: 'transaction',
      rawDataHex: rawData.toString('hex'),
      tokenDescriptors: tokens.map((token) => token.toString('hex')),
    } as const;
    if (!(await device.confirm(review))) return statusOnly(StatusWord.rejectedOnDevice);
    return this.signature(device, path, rawData);
  }

  private async signHash(apdu: Apdu, device: DeviceContext): Promise<Buffer> {
    const parsed = readPath(apdu.data);
    if (!parsed || parsed.rest.length !== 32) return statusOnly(StatusWord.invalidData);
    // the app refuses hash signing unless the user enabled it in the settings
    if ((this.settings.flags & 0x08) === 0) return statusOnly(StatusWord.rejectedOnDevice);
    const review: DeviceReview = { app: 'Tron', kind: 'transaction', rawDataHex: '', tokenDescriptors: [] };
    if (!(await device.confirm(review))) return statusOnly(StatusWord.rejectedOnDevice);
    const signature = device.keys.sign(parsed.path, parsed.rest);
    return answer(Buffer.concat([signature.r, signature.s, Buffer.from([signature.yParity])]));
  }

  private signature(device: DeviceContext, path: number[], rawData: Buffer): Buffer {
    // a Tron transaction id, and what its signature covers, is sha256 of raw_data
    const digest = Buffer.from(sha256(rawData).slice(2), 'hex');
    const signature = device.keys.sign(path, digest);
    return answer(Buffer.concat([signature.r, signature.s, Buffer.from([signature.yParity])]));
  }

  private fail(statusWord: number): Buffer {
    this.signing = null;
    return statusOnly(statusWord);
  }
}
