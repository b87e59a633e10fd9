import { useEffect } from 'react';
import { create } from 'zustand';
import { treasury } from '../api';

/**
 * Names behind ids (a history's counterparty wallet, a wallet's owner), fetched once each and kept for the
 * session, so no screen has to show an id.
 */
interface Names {
  names: Record<string, string | null>;
  request(kind: 'wallet' | 'client', id: string): void;
}

const useNames = create<Names>((set, get) => ({
  names: {},
  request(kind, id) {
    const key = `${kind}:${id}`;
    if (key in get().names) return;
    set((s) => ({ names: { ...s.names, [key]: null } }));
    const lookup =
      kind === 'wallet'
        ? treasury.wallets.get({ walletId: id }).then((r) => (r.ok ? r.data.label : null))
        : treasury.clients.get({ clientId: id }).then((r) => (r.ok ? r.data.legalName : null));
    void lookup.then((name) => {
      if (name !== null) set((s) => ({ names: { ...s.names, [key]: name } }));
    });
  },
}));

function useName(kind: 'wallet' | 'client', id: string | null): string | null {
  const name = useNames((s) => (id ? (s.names[`${kind}:${id}`] ?? null) : null));
  const request = useNames((s) => s.request);
  useEffect(() => {
    if (id) request(kind, id);
  }, [kind, id, request]);
  return name;
}

export const useWalletLabel = (walletId: string | null) => useName('wallet', walletId);
export const useClientName = (clientId: string | null) => useName('client', clientId);
