import { create } from 'zustand';
import type { Chain } from '@shared/domain/chains';
import type { WalletStatus } from '@shared/domain/wallets';

export interface WalletFilters {
  chain: Chain | '';
  status: WalletStatus | '';
  search: string;
}

/** Which wallet the Wallets screen shows (null is the list) and the list's filters, kept across visits. */
interface WalletScreenState {
  walletId: string | null;
  filters: WalletFilters;
  open(walletId: string): void;
  back(): void;
  filter(change: Partial<WalletFilters>): void;
}

export const useWalletScreen = create<WalletScreenState>((set) => ({
  walletId: null,
  filters: { chain: '', status: '', search: '' },
  open: (walletId) => set({ walletId }),
  back: () => set({ walletId: null }),
  filter: (change) => set((s) => ({ filters: { ...s.filters, ...change } })),
}));
