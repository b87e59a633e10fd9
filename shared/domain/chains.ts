/** The chains the product runs on, in the product's words. */
export const CHAINS = ['polygon', 'bsc', 'tron'] as const;
export type Chain = (typeof CHAINS)[number];

export const NETWORK_PROFILES = ['mainnet', 'testnet', 'devnet'] as const;
export type NetworkProfile = (typeof NETWORK_PROFILES)[number];

export const CHAIN_LABELS: Record<Chain, string> = {
  polygon: 'Polygon',
  bsc: 'BNB Chain',
  tron: 'Tron',
};

/** Chain family decides which adapter, address format and signer app apply. */
export function chainFamily(chain: Chain): 'evm' | 'tron' {
  return chain === 'tron' ? 'tron' : 'evm';
}
