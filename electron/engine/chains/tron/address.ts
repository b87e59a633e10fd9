import { decodeBase58, encodeBase58, getBytes, hexlify, sha256, toBeHex } from 'ethers';
import { AddressError } from '@engine/chains/errors';

/**
 * Tron addresses: 21 bytes (0x41 + the 20-byte account id) shown as base58check "T..." strings.
 * Written against ethers rather than tronweb so validation does not depend on the SDK's leniency
 * (tronweb's isAddress also accepts hex forms, which must not pass as a canonical address here).
 */

const TRON_PREFIX = 0x41;
const BASE58_ALPHABET = /^[1-9A-HJ-NP-Za-km-z]+$/;

function checksum(payload: Uint8Array): Uint8Array {
  return getBytes(sha256(sha256(payload))).slice(0, 4);
}

function fromPayload(payload: Uint8Array): string {
  const full = new Uint8Array(25);
  full.set(payload, 0);
  full.set(checksum(payload), 21);
  return encodeBase58(full);
}

/**
 * The canonical base58 T-address for a Tron address given as base58check or as 41-prefixed hex.
 * Refuses EVM 0x addresses (a wrong-chain paste), broken checksums and anything malformed.
 */
export function normalizeTronAddress(input: string): string {
  const address = typeof input === 'string' ? input.trim() : '';
  const refuse = (reason: ConstructorParameters<typeof AddressError>[2], detail: string) =>
    new AddressError('tron', address, reason, `Invalid Tron address "${address}": ${detail}`);
  if (!address) throw refuse('empty', 'it is empty');

  if (/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw refuse('wrong_chain', 'this is an EVM (0x…) address; Tron addresses start with T');
  }
  if (/^41[0-9a-fA-F]{40}$/.test(address)) {
    return fromPayload(getBytes('0x' + address));
  }
  if (/^[0-9a-fA-F]{42}$/.test(address)) {
    throw refuse('wrong_prefix', 'a hex Tron address must start with 41');
  }
  if (!BASE58_ALPHABET.test(address)) {
    throw refuse('malformed', 'it contains characters that are not base58');
  }
  if (address.length !== 34) {
    throw refuse('malformed', `a Tron address has 34 characters, this one has ${address.length}`);
  }
  const value = decodeBase58(address);
  // A 25-byte value always fits 34 base58 digits; more than 25 bytes means it is not an address.
  if (value >= 1n << 200n) throw refuse('malformed', 'it does not decode to 25 bytes');
  const bytes = getBytes(toBeHex(value, 25));
  const payload = bytes.slice(0, 21);
  if (hexlify(bytes.slice(21)) !== hexlify(checksum(payload))) {
    throw refuse('bad_checksum', 'the checksum does not match (a mistyped character?)');
  }
  if (payload[0] !== TRON_PREFIX) {
    throw refuse('wrong_prefix', 'the version byte is not 0x41, so this is not a Tron mainnet-format address');
  }
  return address;
}

/** "41" + 20 bytes, lowercase: the form java-tron takes with visible=false. */
export function tronAddressToHex(address: string): string {
  const canonical = normalizeTronAddress(address);
  return toBeHex(decodeBase58(canonical), 25).slice(2, 44).toLowerCase();
}

/** The 20-byte account id as an EVM-style 0x address, the form ABI `address` arguments take. */
export function tronAddressToAbi(address: string): string {
  return '0x' + tronAddressToHex(address).slice(2);
}

/** Base58 address from the 20 bytes an ABI word or a log topic carries. */
export function tronAddressFromAbiWord(word: string): string {
  const hex = word.replace(/^0x/, '').slice(-40);
  return fromPayload(getBytes('0x41' + hex));
}

/** Base58 address from a 41-prefixed hex address as java-tron prints it. */
export function tronAddressFromHex(hex41: string): string {
  return normalizeTronAddress(hex41.replace(/^0x/, ''));
}
