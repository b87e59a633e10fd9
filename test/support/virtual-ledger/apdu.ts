import { StatusWord } from '@engine/signer/status-words';
import type { DeviceKeys } from './device-keys';

export interface Apdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
}

/** What the device screen asks the user to confirm; tests read it to assert what a signer would see. */
export type DeviceReview =
  | { app: 'Ethereum'; kind: 'address'; address: string }
  | { app: 'Ethereum'; kind: 'transfer'; chainId: bigint; to: string; value: bigint }
  | {
      app: 'Ethereum';
      /** The app clear-signs ERC-20 transfer and approve once it knows the token. */
      kind: 'token-transfer' | 'token-approval';
      chainId: bigint;
      ticker: string;
      decimals: number;
      contract: string;
      /** Recipient of a transfer, spender of an approval. */
      recipient: string;
      amount: bigint;
    }
  | { app: 'Ethereum'; kind: 'blind-signing'; chainId: bigint; to: string | null; data: string }
  | { app: 'Tron'; kind: 'address'; address: string }
  | { app: 'Tron'; kind: 'trx-transfer'; to: string; amount: bigint; memo: boolean; rawDataHex: string }
  | {
      app: 'Tron';
      /** A TRC-20 the app knows (compiled into it): ticker and amount in clear. */
      kind: 'token-transfer' | 'token-approval';
      ticker: string;
      decimals: number;
      contract: string;
      recipient: string;
      amount: bigint;
      memo: boolean;
      rawDataHex: string;
    }
  /** "Custom contracts" on: the contract address and method selector, not a token and amount. */
  | { app: 'Tron'; kind: 'custom-contract'; contract: string; selector: string; callValue: bigint; memo: boolean; rawDataHex: string }
  /** Another contract type the app decodes (votes, freezes…), not modelled field by field here. */
  | { app: 'Tron'; kind: 'transaction'; contractType: number; memo: boolean; rawDataHex: string }
  /** "Sign by hash" on: a bare transaction id, nothing to check it against. */
  | { app: 'Tron'; kind: 'hash'; hash: string };

/** The device services an app can use: its keys and the user in front of it. */
export interface DeviceContext {
  keys: DeviceKeys;
  /** Shows the review and resolves to the user's answer; throws if the cable is pulled meanwhile. */
  confirm(review: DeviceReview): Promise<boolean>;
}

export interface DeviceApp {
  readonly name: string;
  readonly version: string;
  handle(apdu: Apdu, device: DeviceContext): Promise<Buffer>;
}

export function parseApdu(bytes: Buffer): Apdu | null {
  if (bytes.length < 5) return null;
  const length = bytes[4] ?? 0;
  if (bytes.length !== 5 + length) return null;
  return {
    cla: bytes[0] ?? 0,
    ins: bytes[1] ?? 0,
    p1: bytes[2] ?? 0,
    p2: bytes[3] ?? 0,
    data: bytes.subarray(5),
  };
}

export function answer(data: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([data, statusOnly(StatusWord.ok)]);
}

export function statusOnly(statusWord: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(statusWord, 0);
  return bytes;
}

/** Reads the BIP-32 path that starts most payloads: a count, then big-endian u32 indexes. */
export function readPath(data: Buffer): { path: number[]; rest: Buffer } | null {
  const count = data[0];
  if (count === undefined || count === 0 || count > 10 || data.length < 1 + count * 4) return null;
  const path: number[] = [];
  for (let i = 0; i < count; i += 1) path.push(data.readUInt32BE(1 + i * 4));
  return { path, rest: data.subarray(1 + count * 4) };
}

export function addressAnswer(publicKey: Buffer, addressText: string, chainCode: Buffer | null): Buffer {
  const address = Buffer.from(addressText, 'ascii');
  return answer(
    Buffer.concat([
      Buffer.from([publicKey.length]),
      publicKey,
      Buffer.from([address.length]),
      address,
      chainCode ?? Buffer.alloc(0),
    ]),
  );
}

export function versionBytes(version: string): Buffer {
  return Buffer.from(version.split('.').map((part) => Number.parseInt(part, 10) & 0xff));
}
