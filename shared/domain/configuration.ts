import type { Chain, NetworkProfile } from './chains';

export interface ChainSettings {
  rpcUrl: string;
  /** Blocks after which a deposit is credited. */
  confirmations: number;
  explorerUrl: string;
}

export interface Configuration {
  profile: NetworkProfile;
  chains: Record<Chain, ChainSettings>;
}

/** Mainnet and testnet defaults are public endpoints; the devnet lives on loopback (npm run devnet). */
export const DEFAULT_CHAIN_SETTINGS: Record<NetworkProfile, Record<Chain, ChainSettings>> = {
  mainnet: {
    polygon: { rpcUrl: 'https://polygon-rpc.com', confirmations: 64, explorerUrl: 'https://polygonscan.com' },
    bsc: { rpcUrl: 'https://bsc-dataseed.bnbchain.org', confirmations: 15, explorerUrl: 'https://bscscan.com' },
    tron: { rpcUrl: 'https://api.trongrid.io', confirmations: 19, explorerUrl: 'https://tronscan.org/#' },
  },
  testnet: {
    polygon: { rpcUrl: 'https://rpc-amoy.polygon.technology', confirmations: 64, explorerUrl: 'https://amoy.polygonscan.com' },
    bsc: { rpcUrl: 'https://data-seed-prebsc-1-s1.bnbchain.org:8545', confirmations: 15, explorerUrl: 'https://testnet.bscscan.com' },
    tron: { rpcUrl: 'https://nile.trongrid.io', confirmations: 19, explorerUrl: 'https://nile.tronscan.org/#' },
  },
  // Devnet blocks are mined on demand, so a short depth keeps local work quick while still exercising it.
  devnet: {
    polygon: { rpcUrl: 'http://127.0.0.1:8545', confirmations: 3, explorerUrl: '' },
    bsc: { rpcUrl: 'http://127.0.0.1:8546', confirmations: 3, explorerUrl: '' },
    tron: { rpcUrl: 'http://127.0.0.1:8090', confirmations: 3, explorerUrl: '' },
  },
};
