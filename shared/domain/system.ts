import type { Chain, NetworkProfile } from './chains';

export interface ChainHealth {
  chain: Chain;
  endpoint: string;
  reachable: boolean;
  /** Latest block as a decimal string, when reachable. */
  head?: string;
  error?: string;
  /** Mainnet and testnet: the officer has not confirmed this endpoint yet, so it is not even asked for its head. */
  awaitingConfirmation?: boolean;
  /**
   * Which process credits this chain's deposits now (holds its watch lease): this one, another workstation or
   * the watcher service on a shared database, or nobody (null). Absent when it could not be read.
   */
  watchedBy?: { here: boolean; who: string; since: string | null } | null;
}

export interface CustodyStatus {
  /** A seed vault exists in this data folder. */
  initialized: boolean;
  unlocked: boolean;
  /** Public fingerprint of the seed, when known. */
  fingerprint: string | null;
}

export interface SystemStatus {
  version: string;
  profile: NetworkProfile;
  /** Which door the renderer came through. */
  host: 'electron' | 'headless';
  database: {
    dialect: 'sqlite' | 'postgres';
    location: string;
    migrations: string[];
    healthy: boolean;
  };
  chains: ChainHealth[];
  custody: CustodyStatus;
  startedAt: string;
  now: string;
}
