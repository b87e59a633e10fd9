import type { Chain, NetworkProfile } from './chains';

export interface ChainHealth {
  chain: Chain;
  endpoint: string;
  reachable: boolean;
  /** Latest block as a decimal string, when reachable. */
  head?: string;
  error?: string;
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
  startedAt: string;
  now: string;
}
