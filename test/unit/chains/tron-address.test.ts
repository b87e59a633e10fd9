import { describe, expect, it } from 'vitest';
import { AddressError } from '@engine/chains/errors';
import {
  normalizeTronAddress,
  tronAddressFromAbiWord,
  tronAddressToAbi,
  tronAddressToHex,
} from '@engine/chains/tron/address';

describe('Tron address normalization', () => {
  it.each([
    ['USDT contract', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'],
    ['USDC contract', 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8', '413487b63d30b5b2c87fb7ffa8bcfade38eaac1abe'],
    ['zero (burn) address', 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb', '410000000000000000000000000000000000000000'],
  ])('accepts the mainnet %s and maps it to 41-hex', (_label, base58, hex) => {
    expect(normalizeTronAddress(base58)).toBe(base58);
    expect(tronAddressToHex(base58)).toBe(hex);
    expect(normalizeTronAddress(hex)).toBe(base58);
  });

  it.each([
    ['upper-case 41-hex', '41A614F803B6FD780986A42C78EC9C7F77E6DED13C'],
    ['surrounding whitespace from a paste', '  TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\n'],
  ])('normalizes %s to the base58 form', (_label, input) => {
    expect(normalizeTronAddress(input)).toBe('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
  });

  it.each([
    ['one flipped character', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T', 'bad_checksum'],
    ['two swapped characters', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLjt6', 'bad_checksum'],
    ['an EVM address (wrong chain)', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 'wrong_chain'],
    ['a lower-case EVM address', '0xc2132d05d31c914a87c6611c10748aeb04b58e8f', 'wrong_chain'],
    ['a Bitcoin address (valid base58check, other version byte)', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'wrong_prefix'],
    ['hex with another prefix', '42a614f803b6fd780986a42c78ec9c7f77e6ded13c', 'wrong_prefix'],
    ['a character outside base58 (0)', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60', 'malformed'],
    ['a truncated address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6', 'malformed'],
    ['an over-long address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6tt', 'malformed'],
    ['an empty string', '', 'empty'],
  ])('refuses %s with a typed error', (_label, input, reason) => {
    let error: unknown;
    try {
      normalizeTronAddress(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AddressError);
    expect(error).toMatchObject({ code: 'invalid_address', reason, chain: 'tron' });
    expect((error as Error).message).toMatch(/Invalid Tron address/);
  });

  it('round-trips through the ABI word form used in TRC-20 calls and Transfer topics', () => {
    const address = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    const word = tronAddressToAbi(address);
    expect(word).toBe('0xa614f803b6fd780986a42c78ec9c7f77e6ded13c');
    expect(tronAddressFromAbiWord('000000000000000000000000' + word.slice(2))).toBe(address);
  });
});
