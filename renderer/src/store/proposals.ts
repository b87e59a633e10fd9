import { create } from 'zustand';
import type { PolicyProposalView } from '@shared/domain/controls';
import type { AppError } from '@shared/result';
import { treasury } from '../api';

/**
 * Policy and role changes waiting for a second admin, shared by the policy screen's cards: a card that
 * proposes a change reloads the list; an approval that applies one bumps `applied`, so the cards showing
 * the settings read them again.
 */
interface ProposalsState {
  pending: PolicyProposalView[] | null;
  recent: PolicyProposalView[];
  error: AppError | null;
  applied: number;
  load(): Promise<void>;
  proposed(proposal: PolicyProposalView): void;
  decided(proposal: PolicyProposalView): void;
}

export const useProposals = create<ProposalsState>((set, get) => ({
  pending: null,
  recent: [],
  error: null,
  applied: 0,
  async load() {
    const [pending, all] = await Promise.all([treasury.policy.proposals({ state: 'pending', limit: 50 }), treasury.policy.proposals({ limit: 10 })]);
    if (!pending.ok) return set({ error: pending.error });
    if (!all.ok) return set({ error: all.error });
    set({ pending: pending.data, recent: all.data.filter((p) => p.state !== 'pending'), error: null });
  },
  proposed() {
    void get().load();
  },
  decided(proposal) {
    if (proposal.state === 'applied') set((s) => ({ applied: s.applied + 1 }));
    void get().load();
  },
}));
