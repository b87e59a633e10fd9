import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT } from '@engine/custody/seed-vault';
import { OPERATOR_SCRYPT } from '@engine/operators/passphrase-hash';
import { TEST_GAS_TANK_CHECK_MS, testHostSettings, WEAK_TEST_SCRYPT } from '../../../electron/host/test-host';

describe("the E2E suite's host settings (TREASURY_TEST_HOST)", () => {
  const weak = { scrypt: WEAK_TEST_SCRYPT, sweeps: { gasTankCheckMs: TEST_GAS_TANK_CHECK_MS } };
  it.each([
    ['unset, devnet: production settings', undefined, 'devnet', {}],
    ['empty, devnet: production settings', '', 'devnet', {}],
    ['set, devnet: cheap scrypt and a frequent gas tank read', '1', 'devnet', weak],
    ['set, testnet: production settings all the same', '1', 'testnet', {}],
    ['set, mainnet: production settings all the same', '1', 'mainnet', {}],
  ] as const)('%s', (_case, value, network, expected) => {
    const env = value === undefined ? {} : { TREASURY_TEST_HOST: value };
    expect(testHostSettings(network, env)).toEqual(expected);
  });

  it.each(['true', 'yes', '0', ' 1'])('refuses %j with a clear validation error instead of guessing', (value) => {
    expect(() => testHostSettings('devnet', { TREASURY_TEST_HOST: value })).toThrow(
      expect.objectContaining({ code: 'validation', message: expect.stringMatching(/TREASURY_TEST_HOST is for the E2E tests and takes only 1/) }),
    );
  });

  it('is far cheaper than what production stretches with, which stays as it was', () => {
    expect(WEAK_TEST_SCRYPT.N).toBeLessThan(DEFAULT_SCRYPT.N / 64);
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(OPERATOR_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  });
});
