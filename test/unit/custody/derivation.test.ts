import { mnemonicToSeedSync } from '@scure/bip39';
import { describe, expect, it } from 'vitest';
import { depositPath, gasTankPath, SeedKeyring, tronAddressFromPublicKey } from '@engine/custody/derivation';
import type { Chain } from '@shared/domain/chains';

const TEST_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const seed = mnemonicToSeedSync(TEST_MNEMONIC);
const keyring = new SeedKeyring(() => seed);

// Published BIP-44 vectors for the BIP-39 test mnemonic (Ian Coleman's tool, Ledger's Tron app tests).
const VECTORS: { chain: Chain; index: number; address: string }[] = [
  { chain: 'polygon', index: 0, address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94' },
  { chain: 'polygon', index: 1, address: '0x6Fac4D18c912343BF86fa7049364Dd4E424Ab9C0' },
  { chain: 'bsc', index: 2, address: '0xb6716976A3ebe8D39aCEB04372f22Ff8e6802D7A' },
  { chain: 'tron', index: 0, address: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH' },
  { chain: 'tron', index: 1, address: 'TSeJkUh4Qv67VNFwY8LaAxERygNdy6NQZK' },
  { chain: 'tron', index: 2, address: 'TYJPRrdB5APNeRs4R7fYZSwW3TcrTKw2gx' },
];

describe('deposit address derivation', () => {
  it.each(VECTORS)('$chain deposit $index is $address', ({ chain, index, address }) => {
    expect(keyring.depositAddress(chain, index)).toBe(address);
  });

  it('uses the BIP-44 paths of the design', () => {
    expect(depositPath('polygon', 7)).toBe("m/44'/60'/0'/0/7");
    expect(depositPath('bsc', 7)).toBe("m/44'/60'/0'/0/7");
    expect(depositPath('tron', 7)).toBe("m/44'/195'/0'/0/7");
    expect(gasTankPath('polygon')).toBe("m/44'/60'/1'/0/0");
    expect(gasTankPath('tron')).toBe("m/44'/195'/1'/0/0");
  });

  it('gives the same address on Polygon and BNB Chain, and another on Tron', () => {
    expect(keyring.depositAddress('polygon', 5)).toBe(keyring.depositAddress('bsc', 5));
    expect(keyring.depositAddress('tron', 5)).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  });

  it('puts the gas tank apart from every deposit address', () => {
    const tank = keyring.gasTankAddress('polygon');
    const deposits = new Set(Array.from({ length: 50 }, (_, i) => keyring.depositAddress('polygon', i)));
    expect(deposits.has(tank)).toBe(false);
    expect(keyring.gasTankAddress('tron')).toMatch(/^T/);
  });

  it('hands out the key that controls the derived address', async () => {
    const { Wallet } = await import('ethers');
    const key = keyring.depositKey('bsc', 3);
    expect(new Wallet(key.privateKey).address).toBe(key.address);
    expect(key.path).toBe("m/44'/60'/0'/0/3");
  });

  it('encodes Tron addresses from compressed or uncompressed public keys alike', async () => {
    const { SigningKey } = await import('ethers');
    const publicKey = new SigningKey(keyring.depositKey('tron', 0).privateKey).publicKey;
    expect(tronAddressFromPublicKey(publicKey)).toBe('TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH');
    expect(tronAddressFromPublicKey(SigningKey.computePublicKey(publicKey, true))).toBe(
      'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH',
    );
  });

  it.each([-1, 1.5, 2 ** 31])('refuses deposit index %s', (index) => {
    expect(() => keyring.depositAddress('polygon', index)).toThrow(RangeError);
  });
});
