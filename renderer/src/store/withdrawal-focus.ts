import { create } from 'zustand';

/** A withdrawal another part of the window asked the Withdrawals screen to open (the command palette). */
interface WithdrawalFocus {
  withdrawalId: string | null;
  open(withdrawalId: string): void;
  taken(): void;
}

export const useWithdrawalFocus = create<WithdrawalFocus>((set) => ({
  withdrawalId: null,
  open: (withdrawalId) => set({ withdrawalId }),
  taken: () => set({ withdrawalId: null }),
}));
