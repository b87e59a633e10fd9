import { describe, expect, it } from 'vitest';
import { AddressError, type AddressErrorReason } from '@engine/chains/errors';
import { normalizeEvmAddress } from '@engine/chains/evm/address';

const CHECKSUMMED = '0x9858EfFD232B4033E47d90003D41EC34EcaEda94';

describe('EVM address normalization', () => {
  it.each([
    ['a valid EIP-55 checksum', CHECKSUMMED],
    ['all lowercase', CHECKSUMMED.toLowerCase()],
    ['all uppercase hex', `0x${CHECKSUMMED.slice(2).toUpperCase()}`],
    ['surrounding whitespace', ` ${CHECKSUMMED}\n`],
  ])('accepts %s and returns the checksummed form', (_case, input) => {
    expect(normalizeEvmAddress('polygon', input)).toBe(CHECKSUMMED);
  });

  it('does not mistake an EVM address starting with 41 for Tron hex', () => {
    const address = '0x41e825D52582eEC346C839b4875376117904a76C';
    expect(normalizeEvmAddress('bsc', address.toLowerCase())).toBe(address);
  });

  it.each<[string, string, AddressErrorReason]>([
    ['a failed checksum', '0x9858efFD232B4033E47d90003D41EC34EcaEda94', 'bad_checksum'],
    ['a Tron base58 address', 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', 'wrong_chain'],
    ['a Tron hex address', '41e825d52582eec346c839b4875376117904a76cbc', 'wrong_chain'],
    ['too short', CHECKSUMMED.slice(0, 40), 'malformed'],
    ['too long', `${CHECKSUMMED}00`, 'malformed'],
    ['non-hex characters', '0x9858EfFD232B4033E47d90003D41EC34EcaEdaZZ', 'malformed'],
    ['no 0x prefix', CHECKSUMMED.slice(2), 'wrong_prefix'],
    ['an empty string', '  ', 'empty'],
  ])('refuses %s', (_case, input, reason) => {
    let error: unknown;
    try {
      normalizeEvmAddress('bsc', input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AddressError);
    expect((error as AddressError).code).toBe('invalid_address');
    expect((error as AddressError).reason).toBe(reason);
    expect((error as AddressError).chain).toBe('bsc');
  });

  it('names the wrong chain in the message', () => {
    expect(() => normalizeEvmAddress('polygon', 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH')).toThrow(/Tron address/);
  });
});
