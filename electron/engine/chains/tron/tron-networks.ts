import type { NetworkProfile } from '@shared/domain/chains';

/**
 * Tron networks have no chain id: a node is known by its genesis block id (block 0), which TaPoS also binds every
 * transaction to. Mainnet, Nile and Shasta, as java-tron's configurations and the public nodes give them.
 */
export const PUBLIC_TRON_GENESIS_BLOCK_IDS = {
  mainnet: '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc',
  nile: '0000000000000000d698d4192c56cb6be724a558448e2684802de4d6cd8690dc',
  shasta: '0000000000000000de1aa88295e1fcf982742f773e0419c5a9c134c994a9059e',
} as const;

/** Null when the genesis fits the workspace's network; otherwise why not, in words. */
export function tronNetworkMismatch(network: NetworkProfile, genesisBlockId: string): string | null {
  const id = genesisBlockId.toLowerCase();
  const known = Object.entries(PUBLIC_TRON_GENESIS_BLOCK_IDS).find(([, value]) => value === id)?.[0] ?? null;
  if (network === 'mainnet') return known === 'mainnet' ? null : `the Tron node is ${known ? `on ${known}` : 'a private network'}, not Tron mainnet`;
  if (network === 'testnet') return known === 'nile' || known === 'shasta' ? null : `the Tron node is ${known ? `on ${known}` : 'a private network'}, not a Tron testnet (Nile or Shasta)`;
  return known ? `the Tron node is on ${known}: a devnet never talks to a public network` : null;
}
