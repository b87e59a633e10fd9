import { useEffect } from 'react';
import { create } from 'zustand';
import { treasury } from '../api';

/** Labels of wallets seen as counterparties in histories, fetched once each and kept for the session. */
interface WalletLabels {
  labels: Record<string, string | null>;
  request(walletId: string): void;
}

const useWalletLabels = create<WalletLabels>((set, get) => ({
  labels: {},
  request(walletId) {
    if (walletId in get().labels) return;
    set((s) => ({ labels: { ...s.labels, [walletId]: null } }));
    void treasury.wallets.get({ walletId }).then((result) => {
      if (result.ok) set((s) => ({ labels: { ...s.labels, [walletId]: result.data.label } }));
    });
  },
}));

export function useWalletLabel(walletId: string | null): string | null {
  const label = useWalletLabels((s) => (walletId ? (s.labels[walletId] ?? null) : null));
  const request = useWalletLabels((s) => s.request);
  useEffect(() => {
    if (walletId) request(walletId);
  }, [walletId, request]);
  return label;
}
