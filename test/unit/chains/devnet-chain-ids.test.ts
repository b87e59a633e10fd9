import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAIN_SETTINGS } from '@shared/domain/configuration';
import { DEVNET_EVM_CHAIN_IDS, isDevnetEvmChainId } from '@shared/domain/devnet-chains';
import { tokenDescriptorBody } from '@engine/signer/token-descriptor';
import { signTokenDescriptor, tokenDescriptorTrusted, TEST_TOKEN_SIGNING_PUBLIC_KEY } from '@test/virtual-ledger/token-signing-key';
import { DEVNET_TOKEN_ADDRESSES } from '@test/devnet/evm';

/**
 * Registered public EVM chain ids (ethereum-lists/chains) a devnet signature must never be valid on:
 * the product's chains and testnets, Ethereum's, the large L2s, the ids local tools default to, and
 * the ids registered for Tron's networks (the last 4 bytes of their genesis block ids).
 */
const PUBLIC_CHAIN_IDS: ReadonlyArray<readonly [number, string]> = [
  [137, 'Polygon PoS'],
  [80002, 'Polygon Amoy'],
  [80001, 'Polygon Mumbai'],
  [1101, 'Polygon zkEVM'],
  [56, 'BNB Smart Chain'],
  [97, 'BNB Smart Chain testnet'],
  [204, 'opBNB'],
  [5611, 'opBNB testnet'],
  [1, 'Ethereum'],
  [11155111, 'Sepolia'],
  [17000, 'Holesky'],
  [560048, 'Hoodi'],
  [5, 'Goerli'],
  [3, 'Ropsten'],
  [4, 'Rinkeby'],
  [42, 'Kovan'],
  [10, 'OP Mainnet'],
  [11155420, 'OP Sepolia'],
  [42161, 'Arbitrum One'],
  [421614, 'Arbitrum Sepolia'],
  [8453, 'Base'],
  [84532, 'Base Sepolia'],
  [43114, 'Avalanche C-Chain'],
  [43113, 'Avalanche Fuji'],
  [250, 'Fantom'],
  [100, 'Gnosis'],
  [324, 'zkSync Era'],
  [59144, 'Linea'],
  [1337, 'Geth/Ganache local (registered)'],
  [31337, "anvil/Hardhat default (registered: GoChain testnet)"],
  [728126428, 'Tron mainnet'],
  [2494104990, 'Tron Shasta'],
  [3448148188, 'Tron Nile'],
];

const devnetIds = Object.entries(DEVNET_EVM_CHAIN_IDS) as Array<[keyof typeof DEVNET_EVM_CHAIN_IDS, number]>;

describe('devnet chain ids', () => {
  it.each(PUBLIC_CHAIN_IDS)('are not %i (%s)', (publicId) => {
    expect(Object.values(DEVNET_EVM_CHAIN_IDS)).not.toContain(publicId);
    expect(isDevnetEvmChainId(publicId)).toBe(false);
    expect(isDevnetEvmChainId(BigInt(publicId))).toBe(false);
  });

  it('are two different ids, neither the mainnet nor the testnet profile uses', () => {
    const ids = Object.values(DEVNET_EVM_CHAIN_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    for (const profile of ['mainnet', 'testnet'] as const) {
      for (const chain of ['polygon', 'bsc'] as const) {
        expect(ids).not.toContain(DEFAULT_CHAIN_SETTINGS[profile][chain].chainId);
      }
    }
  });

  it.each(devnetIds)('are what the devnet profile expects the %s node to report', (chain, id) => {
    expect(DEFAULT_CHAIN_SETTINGS.devnet[chain].chainId).toBe(id);
    expect(isDevnetEvmChainId(id)).toBe(true);
  });

  it.each(devnetIds)('fit the 4 bytes of a Ledger token descriptor, whose signature verifies (%s)', (chain, chainId) => {
    expect(chainId).toBeLessThan(2 ** 32);
    const token = { ticker: 'USDT', contractAddress: DEVNET_TOKEN_ADDRESSES.USDT, decimals: chain === 'bsc' ? 18 : 6, chainId };
    const body = tokenDescriptorBody(token);
    expect(body.readUInt32BE(body.length - 4)).toBe(chainId);
    const signature = Buffer.from(signTokenDescriptor(token), 'hex');
    expect(tokenDescriptorTrusted(body, signature, TEST_TOKEN_SIGNING_PUBLIC_KEY)).toBe(true);
    // the same signature does not describe the token on the public chain
    const onPublicChain = tokenDescriptorBody({ ...token, chainId: chain === 'bsc' ? 56 : 137 });
    expect(tokenDescriptorTrusted(onPublicChain, signature, TEST_TOKEN_SIGNING_PUBLIC_KEY)).toBe(false);
  });
});
