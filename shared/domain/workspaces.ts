import type { Chain, NetworkProfile } from './chains';

/**
 * One workspace per network: its own database, seed vault, KYC files and exports. Nothing crosses them;
 * changing network is opening another workspace.
 */
export interface WorkspaceSummary {
  network: NetworkProfile;
  /** The workspace has been created in this data folder (or, on a shared database, is the one open). */
  exists: boolean;
  /** The workspace this window works in. */
  current: boolean;
}

export interface WorkspaceView {
  network: NetworkProfile;
  workspaces: WorkspaceSummary[];
  /** Said once to the officer after an upgrade moved an older data folder into a workspace; null otherwise. */
  notice: string | null;
}

/** What a workspace still needs before its chains are watched (and on mainnet/testnet, before money moves). */
export interface WorkspaceReadiness {
  /** An operator and the seed exist. */
  setUp: boolean;
  /** The recovery words were shown and three of them confirmed (or the seed was restored from them). */
  recoveryConfirmed: boolean;
  /** Per chain: the officer confirmed (or edited) its endpoint; always true on devnet. */
  endpointsConfirmed: Record<Chain, boolean>;
}

/** The recovery words' state: when they were last confirmed, and which three positions the check asks for. */
export interface RecoveryStatus {
  confirmedAt: string | null;
  confirmedBy: string | null;
  /** How: at first start by the three-word check, or by restoring from the words. */
  confirmedHow: 'word_check' | 'restored' | null;
  /** 1-based positions of the words the check asks for (three, picked at random), while it is open. */
  challenge: number[];
  wordCount: number;
}
