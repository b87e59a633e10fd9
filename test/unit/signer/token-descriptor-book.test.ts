import { describe, expect, it } from 'vitest';
import { wellKnownAssets } from '@shared/domain/assets';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { tokenDescriptorBody } from '@engine/signer/token-descriptor';
import {
  DEVNET_ERC20_SIGNER_PUBLIC_KEY,
  LEDGER_ERC20_SIGNER_PUBLIC_KEY,
  parseLedgerDescriptorList,
  TokenDescriptorBook,
} from '@engine/signer/token-descriptor-book';
import ledgerPolygon from '@engine/signer/descriptors/ledger-erc20-signatures-137.json';
import ledgerBsc from '@engine/signer/descriptors/ledger-erc20-signatures-56.json';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, tokenDescriptorTrusted } from '@test/virtual-ledger/token-signing-key';
import type { EvmTokenInfo } from '@engine/signer/token-descriptor';

// the signed body as the device hashes it (built here byte by byte, not by the code under test)
function body(d: EvmTokenInfo): Buffer {
  const numbers = Buffer.alloc(8);
  numbers.writeUInt32BE(d.decimals, 0);
  numbers.writeUInt32BE(d.chainId, 4);
  return Buffer.concat([Buffer.from(d.ticker, 'ascii'), Buffer.from(d.contractAddress.slice(2), 'hex'), numbers]);
}

const verifies = (descriptor: EvmTokenInfo, publicKey: string) =>
  tokenDescriptorTrusted(body(descriptor), Buffer.from(descriptor.signature, 'hex'), publicKey);

const CHAIN_IDS = { mainnet: { polygon: 137, bsc: 56 }, devnet: DEVNET_EVM_CHAIN_IDS } as const;

describe("Ledger's signed ERC-20 lists shipped with the app", () => {
  it.each([
    ['Polygon', 137, ledgerPolygon],
    ['BNB Chain', 56, ledgerBsc],
  ] as const)('%s: every descriptor is for chain %i and verifies under Ledger’s production key', (_name, chainId, list) => {
    const descriptors = parseLedgerDescriptorList(list);
    expect(descriptors.length).toBeGreaterThan(1000);
    const failing = descriptors.filter((d) => d.chainId !== chainId || !verifies(d, LEDGER_ERC20_SIGNER_PUBLIC_KEY));
    expect(failing).toEqual([]);
  });

  it('a descriptor with one byte changed does not verify', () => {
    const [first] = parseLedgerDescriptorList(ledgerPolygon);
    expect(verifies({ ...first!, decimals: first!.decimals + 1 }, LEDGER_ERC20_SIGNER_PUBLIC_KEY)).toBe(false);
  });
});

describe('the descriptor book of each profile', () => {
  it.each(['mainnet', 'devnet'] as const)('%s: every registry EVM token has a descriptor with its ticker and decimals', (profile) => {
    for (const asset of wellKnownAssets(profile).filter((a) => a.contract && a.chain !== 'tron')) {
      const chainId = CHAIN_IDS[profile][asset.chain as 'polygon' | 'bsc'];
      const descriptor = TokenDescriptorBook.forProfile(profile).find(chainId, asset.contract!);
      expect(descriptor, asset.id).toMatchObject({ ticker: asset.symbol, decimals: asset.decimals, chainId });
      expect(verifies(descriptor!, profile === 'devnet' ? DEVNET_ERC20_SIGNER_PUBLIC_KEY : LEDGER_ERC20_SIGNER_PUBLIC_KEY)).toBe(true);
      // and the payload the signer builds from it is the same signed body
      expect(tokenDescriptorBody(descriptor!)).toEqual(body(descriptor!));
    }
  });

  it("the devnet key is the virtual device's test key, and no mainnet device trusts what it signs", () => {
    expect(DEVNET_ERC20_SIGNER_PUBLIC_KEY).toBe(TEST_TOKEN_SIGNING_PUBLIC_KEY);
    const devnetUsdt = wellKnownAssets('devnet').find((a) => a.id === 'polygon:USDT')!;
    const descriptor = TokenDescriptorBook.forProfile('devnet').find(DEVNET_EVM_CHAIN_IDS.polygon, devnetUsdt.contract!)!;
    expect(verifies(descriptor, LEDGER_ERC20_SIGNER_PUBLIC_KEY)).toBe(false);
  });

  it('keeps the books apart: the devnet book knows no public chain, the others no devnet chain', () => {
    const polygonUsdt = '0xc2132D05D31c914a87C6611C10748AEb04B58e8F';
    expect(TokenDescriptorBook.forProfile('devnet').find(137, polygonUsdt)).toBeNull();
    const devnetUsdt = wellKnownAssets('devnet').find((a) => a.id === 'polygon:USDT')!.contract!;
    expect(TokenDescriptorBook.forProfile('mainnet').find(DEVNET_EVM_CHAIN_IDS.polygon, devnetUsdt)).toBeNull();
    expect(TokenDescriptorBook.forProfile('testnet').find(DEVNET_EVM_CHAIN_IDS.polygon, devnetUsdt)).toBeNull();
  });

  it('finds a contract whatever its letter case, and nothing for a testnet chain Ledger lists nothing for', () => {
    const book = TokenDescriptorBook.forProfile('mainnet');
    expect(book.find(56, '0x55d398326f99059ff775485246999027b3197955')).toMatchObject({ ticker: 'USDT', decimals: 18 });
    expect(book.find(80002, '0x55d398326f99059ff775485246999027b3197955')).toBeNull();
  });
});
