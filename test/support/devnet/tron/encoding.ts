import { TronWeb, utils as tronUtils } from 'tronweb';
import { getBytes, hexlify, keccak256, recoverAddress, sha256, Signature, toUtf8Bytes } from 'ethers';

/**
 * Byte-level helpers of the devnode: addresses, transaction ids and block ids, and the JSON writer
 * that prints int64 values the way java-tron does. The devnode leans on tronweb's own protobuf
 * definitions so the bytes it hashes are exactly the bytes tronweb (and a Ledger) sign.
 */

/** A 21-byte Tron address as java-tron prints it with visible=false: "41" + 20 bytes, lowercase. */
export type HexAddress = string;

export function isHexAddress(value: unknown): value is HexAddress {
  return typeof value === 'string' && /^41[0-9a-fA-F]{40}$/.test(value);
}

/** Accepts what java-tron accepts in a request: 41-hex always, base58 when visible=true. */
export function parseAddress(value: unknown): HexAddress | null {
  if (typeof value !== 'string') return null;
  if (isHexAddress(value)) return value.toLowerCase();
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(value) && TronWeb.isAddress(value)) {
    return TronWeb.address.toHex(value).toLowerCase();
  }
  return null;
}

export function toBase58(address: HexAddress): string {
  return TronWeb.address.fromHex(address);
}

/** The 20 bytes an ABI `address` word carries (Tron drops the 0x41 prefix inside the TVM). */
export function abiWordAddress(address: HexAddress): string {
  return '0x' + address.slice(2);
}

export function fromAbiAddress(evmStyle: string): HexAddress {
  return ('41' + evmStyle.replace(/^0x/, '')).toLowerCase();
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The address a 65-byte r||s||v signature over `digestHex` recovers to. java-tron accepts high-s
 * signatures and v as 0/1 or 27/28; ethers only low-s, so high-s is mirrored (n - s, other v) first.
 */
export function addressFromPublicKeyRecovery(digestHex: string, signatureHex: string): HexAddress {
  const r = '0x' + signatureHex.slice(0, 64);
  let s = BigInt('0x' + signatureHex.slice(64, 128));
  let recovery = parseInt(signatureHex.slice(128, 130), 16);
  if (recovery >= 27) recovery -= 27;
  if (recovery !== 0 && recovery !== 1) throw new Error('recovery id must be 0, 1, 27 or 28');
  if (s > SECP256K1_N / 2n) {
    s = SECP256K1_N - s;
    recovery ^= 1;
  }
  const signature = Signature.from({ r, s: '0x' + s.toString(16).padStart(64, '0'), v: 27 + recovery });
  return fromAbiAddress(recoverAddress('0x' + digestHex, signature));
}

/**
 * Re-encodes a transaction's raw_data into protobuf with tronweb's generated classes, as java-tron
 * re-serializes the JSON it receives; txID is the sha256 of these bytes.
 */
export function encodeRawData(transaction: { raw_data: unknown; visible?: boolean }): {
  rawDataHex: string;
  txID: string;
} {
  const pb = tronUtils.transaction.txJsonToPb(transaction);
  const rawDataHex = (tronUtils.transaction.txPbToRawDataHex(pb) as string).toLowerCase();
  return { rawDataHex, txID: sha256('0x' + rawDataHex).slice(2) };
}

/** Size java-tron bills as bandwidth: the serialized Transaction (raw + signatures) plus 64 result bytes. */
export function bandwidthBytes(rawDataHex: string, signatureCount: number): number {
  const rawLength = rawDataHex.length / 2;
  const signatureField = 1 + 1 + 65;
  return 1 + varintLength(rawLength) + rawLength + signatureCount * signatureField + 64;
}

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    length += 1;
  }
  return length;
}

function varint(value: bigint): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

function field(tag: number, wire: 0 | 2, payload: number[] | Uint8Array): number[] {
  const key = varint(BigInt((tag << 3) | wire));
  if (wire === 0) return [...key, ...payload];
  return [...key, ...varint(BigInt(payload.length)), ...payload];
}

/**
 * protocol.BlockHeader.raw in protobuf (timestamp=1, txTrieRoot=2, parentHash=3, number=7,
 * witness_address=9, version=10); tronweb ships no class for it, and the block id must be
 * sha256 of these bytes with the first 8 bytes replaced by the block number, as in java-tron.
 */
export function blockId(header: {
  timestamp: bigint;
  txTrieRoot: string;
  parentHash: string;
  number: bigint;
  witnessAddress: string;
  version: number;
}): string {
  const bytes: number[] = [];
  if (header.timestamp !== 0n) bytes.push(...field(1, 0, varint(header.timestamp)));
  bytes.push(...field(2, 2, getBytes('0x' + header.txTrieRoot)));
  bytes.push(...field(3, 2, getBytes('0x' + header.parentHash)));
  if (header.number !== 0n) bytes.push(...field(7, 0, varint(header.number)));
  bytes.push(...field(9, 2, getBytes('0x' + header.witnessAddress)));
  if (header.version !== 0) bytes.push(...field(10, 0, varint(BigInt(header.version))));
  const digest = sha256(new Uint8Array(bytes)).slice(2);
  return header.number.toString(16).padStart(16, '0') + digest.slice(16);
}

/** A merkle-ish root over the block's txids; only needs to be deterministic for the devnode. */
export function txTrieRoot(txIds: string[]): string {
  if (txIds.length === 0) return '0'.repeat(64);
  return sha256('0x' + txIds.join('')).slice(2);
}

export function keccakId(text: string): string {
  return keccak256(toUtf8Bytes(text)).slice(2);
}

export function utf8Hex(text: string): string {
  return hexlify(toUtf8Bytes(text)).slice(2);
}

/**
 * java-tron prints int64 fields as bare JSON numbers (exact digits, even past 2^53) and, when a GET
 * carries int64_as_string=true, as strings. Values held as bigint are printed either way.
 */
export function writeJson(value: unknown, int64AsString: boolean): string {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `\u0000int64:${v}` : v));
  return marked.replace(/"\\u0000int64:(-?\d+)"/g, int64AsString ? '"$1"' : '$1');
}
