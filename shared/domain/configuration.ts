import type { Chain, NetworkProfile } from './chains';

export interface ChainSettings {
  /** EVM chain id the node must report (not an officer setting); null for Tron. */
  chainId: number | null;
  rpcUrl: string;
  /** Blocks after which a deposit is credited. */
  confirmations: number;
  explorerUrl: string;
  /**
   * EVM: the least paid per gas, in wei (decimal string): Polygon's priority fee (its nodes refuse tips under
   * their minimum while public RPCs have suggested 1.5 gwei), BNB Chain's gas price. The node's own
   * suggestion is paid when higher. Null: the node's suggestion alone (and always on Tron).
   */
  feeFloorWei: string | null;
}

/** Polygon PoS nodes refuse tips under 25 gwei (bor's default since 2023); 30 gwei leaves room. */
export const POLYGON_MIN_TIP_WEI = '30000000000';

export interface Configuration {
  profile: NetworkProfile;
  chains: Record<Chain, ChainSettings>;
}

/** Mainnet and testnet defaults are public endpoints; the devnet lives on loopback (npm run devnet). */
export const DEFAULT_CHAIN_SETTINGS: Record<NetworkProfile, Record<Chain, ChainSettings>> = {
  mainnet: {
    polygon: { chainId: 137, rpcUrl: 'https://polygon-rpc.com', confirmations: 64, explorerUrl: 'https://polygonscan.com', feeFloorWei: POLYGON_MIN_TIP_WEI },
    bsc: { chainId: 56, rpcUrl: 'https://bsc-dataseed.bnbchain.org', confirmations: 15, explorerUrl: 'https://bscscan.com', feeFloorWei: null },
    tron: { chainId: null, rpcUrl: 'https://api.trongrid.io', confirmations: 19, explorerUrl: 'https://tronscan.org/#', feeFloorWei: null },
  },
  testnet: {
    polygon: { chainId: 80002, rpcUrl: 'https://rpc-amoy.polygon.technology', confirmations: 64, explorerUrl: 'https://amoy.polygonscan.com', feeFloorWei: POLYGON_MIN_TIP_WEI },
    bsc: { chainId: 97, rpcUrl: 'https://data-seed-prebsc-1-s1.bnbchain.org:8545', confirmations: 15, explorerUrl: 'https://testnet.bscscan.com', feeFloorWei: null },
    tron: { chainId: null, rpcUrl: 'https://nile.trongrid.io', confirmations: 19, explorerUrl: 'https://nile.tronscan.org/#', feeFloorWei: null },
  },
  // Devnet blocks are mined on demand, so a short depth keeps local work quick while still exercising it.
  devnet: {
    polygon: { chainId: 137, rpcUrl: 'http://127.0.0.1:8545', confirmations: 3, explorerUrl: '', feeFloorWei: POLYGON_MIN_TIP_WEI },
    bsc: { chainId: 56, rpcUrl: 'http://127.0.0.1:8546', confirmations: 3, explorerUrl: '', feeFloorWei: null },
    tron: { chainId: null, rpcUrl: 'http://127.0.0.1:8090', confirmations: 3, explorerUrl: '', feeFloorWei: null },
  },
};
