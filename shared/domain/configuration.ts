import type { Chain, NetworkProfile } from './chains';
import { DEVNET_EVM_CHAIN_IDS } from './devnet-chains';

export interface ChainSettings {
  /** EVM chain id the node must report (not an officer setting); null for Tron. */
  chainId: number | null;
  /** The preferred endpoint: always `rpcUrls[0]`. */
  rpcUrl: string;
  /** Endpoints in order of preference; the engine reads from the first healthy one and fails over down the list. */
  rpcUrls: string[];
  /** Blocks after which a deposit is credited. */
  confirmations: number;
  explorerUrl: string;
  /** The officer runs this node: mainnet then accepts a loopback or private address for it. */
  ownNode: boolean;
  /** Watching waits for this on mainnet and testnet: the officer confirmed (or edited) the endpoint. Always true on devnet. */
  endpointConfirmed: boolean;
  endpointConfirmedAt: string | null;
  /**
   * EVM: the least paid per gas, in wei (decimal string): Polygon's priority fee (its nodes refuse tips under
   * their minimum while public RPCs have suggested 1.5 gwei), BNB Chain's gas price. The node's own
   * suggestion is paid when higher. Null: the node's suggestion alone (and always on Tron).
   */
  feeFloorWei: string | null;
  /**
   * Native base units: the gas tank below this raises a `gas_tank_low` alert and shows as low. Defaults hold
   * roughly a few dozen token sweeps' gas at ordinary fees.
   */
  gasTankThreshold: string;
}

/** A network's built-in settings for a chain, before the officer's. */
export type ChainDefaults = Omit<ChainSettings, 'ownNode' | 'endpointConfirmed' | 'endpointConfirmedAt' | 'rpcUrls'>;

/** At most this many endpoints per chain: failover wants a few, not a crawl of every public RPC. */
export const MAX_ENDPOINTS = 5;

/**
 * Why an endpoint is passed over: unreachable (refused, reset), no answer in time, the server failed (HTTP 5xx),
 * its head lags the best known one, or it serves another network (never used until the list changes).
 */
export type EndpointFault = 'unreachable' | 'timeout' | 'server_error' | 'lagging' | 'wrong_network';

/** One endpoint as the engine last found it, for Settings → chains. Heads are block numbers as decimal strings. */
export interface EndpointHealth {
  url: string;
  /** The endpoint reads and sends go to now. */
  active: boolean;
  /** resting: passed over after a fault until `retryAt`; refused: serves another network, never used. */
  state: 'ok' | 'resting' | 'refused' | 'unchecked' | 'unconfirmed';
  head: string | null;
  /** Blocks behind the best head any endpoint reported; null until compared. */
  behindBy: number | null;
  latencyMs: number | null;
  lastFault: EndpointFault | null;
  lastFaultAt: string | null;
  /** While resting after a fault: when it is tried again. */
  retryAt: string | null;
  checkedAt: string | null;
}

export interface ChainEndpointHealth {
  chain: Chain;
  endpoints: EndpointHealth[];
}

/** Polygon PoS nodes refuse tips under 25 gwei (bor's default since 2023); 30 gwei leaves room. */
export const POLYGON_MIN_TIP_WEI = '30000000000';

export interface Configuration {
  profile: NetworkProfile;
  chains: Record<Chain, ChainSettings>;
}

/** Mainnet and testnet defaults are public endpoints; the devnet lives on loopback (npm run devnet). */
export const DEFAULT_CHAIN_SETTINGS: Record<NetworkProfile, Record<Chain, ChainDefaults>> = {
  mainnet: {
    polygon: { chainId: 137, rpcUrl: 'https://polygon-rpc.com', confirmations: 64, explorerUrl: 'https://polygonscan.com', feeFloorWei: POLYGON_MIN_TIP_WEI, gasTankThreshold: '5000000000000000000' },
    bsc: { chainId: 56, rpcUrl: 'https://bsc-dataseed.bnbchain.org', confirmations: 15, explorerUrl: 'https://bscscan.com', feeFloorWei: null, gasTankThreshold: '50000000000000000' },
    tron: { chainId: null, rpcUrl: 'https://api.trongrid.io', confirmations: 19, explorerUrl: 'https://tronscan.org/#', feeFloorWei: null, gasTankThreshold: '300000000' },
  },
  testnet: {
    polygon: { chainId: 80002, rpcUrl: 'https://rpc-amoy.polygon.technology', confirmations: 64, explorerUrl: 'https://amoy.polygonscan.com', feeFloorWei: POLYGON_MIN_TIP_WEI, gasTankThreshold: '5000000000000000000' },
    bsc: { chainId: 97, rpcUrl: 'https://data-seed-prebsc-1-s1.bnbchain.org:8545', confirmations: 15, explorerUrl: 'https://testnet.bscscan.com', feeFloorWei: null, gasTankThreshold: '50000000000000000' },
    tron: { chainId: null, rpcUrl: 'https://nile.trongrid.io', confirmations: 19, explorerUrl: 'https://nile.tronscan.org/#', feeFloorWei: null, gasTankThreshold: '300000000' },
  },
  // Devnet blocks are mined on demand, so a short depth keeps local work quick while still exercising it.
  // Its chain ids are private ones (devnet-chains.ts): nothing signed there is valid on a public chain.
  devnet: {
    polygon: { chainId: DEVNET_EVM_CHAIN_IDS.polygon, rpcUrl: 'http://127.0.0.1:8545', confirmations: 3, explorerUrl: '', feeFloorWei: POLYGON_MIN_TIP_WEI, gasTankThreshold: '5000000000000000000' },
    bsc: { chainId: DEVNET_EVM_CHAIN_IDS.bsc, rpcUrl: 'http://127.0.0.1:8546', confirmations: 3, explorerUrl: '', feeFloorWei: null, gasTankThreshold: '50000000000000000' },
    tron: { chainId: null, rpcUrl: 'http://127.0.0.1:8090', confirmations: 3, explorerUrl: '', feeFloorWei: null, gasTankThreshold: '300000000' },
  },
};
