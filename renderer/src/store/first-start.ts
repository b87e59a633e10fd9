import { create } from 'zustand';
import { CHAINS, type NetworkProfile } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import type { RecoveryStatus } from '@shared/domain/workspaces';
import type { AppError } from '@shared/result';
import { treasury } from '../api';

interface FirstStartState {
  /** The recovery words' state; null until read for the signed-in operator. */
  recovery: RecoveryStatus | null;
  /**
   * Mainnet and testnet: whether the endpoints step is over (every endpoint was confirmed when read, or the
   * admin went on). Null until read; devnet never asks.
   */
  endpointsDone: boolean | null;
  error: AppError | null;
  /** Reads what an admin still owes the workspace after sign-in: the recovery words, then the endpoints. */
  load(network: NetworkProfile): Promise<void>;
  loadRecovery(): Promise<void>;
  setRecovery(recovery: RecoveryStatus): void;
  finishEndpoints(): void;
}

export const allEndpointsConfirmed = (configuration: Configuration) => CHAINS.every((chain) => configuration.chains[chain].endpointConfirmed);

export const useFirstStart = create<FirstStartState>((set, get) => ({
  recovery: null,
  endpointsDone: null,
  error: null,
  async load(network) {
    set({ recovery: null, endpointsDone: null, error: null });
    await get().loadRecovery();
    if (network === 'devnet') return set({ endpointsDone: true });
    const configuration = await treasury.configuration.get({});
    if (configuration.ok) set({ endpointsDone: allEndpointsConfirmed(configuration.data) });
    else set({ error: configuration.error });
  },
  async loadRecovery() {
    const result = await treasury.system.recoveryStatus({});
    if (result.ok) set({ recovery: result.data });
    else set({ error: result.error });
  },
  setRecovery(recovery) {
    set({ recovery });
  },
  finishEndpoints() {
    set({ endpointsDone: true });
  },
}));
