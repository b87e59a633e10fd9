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
        ? treasury.wallets.get({ walletId: id }).then((r) => {
            // The wallet's owner comes with it: a withdrawal or a history row names the client too.
            if (r.ok) set((s) => ({ names: { ...s.names, [`owner:${id}`]: r.data.clientId } }));
            return r.ok ? r.data.label : null;
          })
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

/** "Lucía Romero — Polygon USDT · Lucía Romero Gil": a wallet by its label and its owner's name. */
export function useWalletWithOwner(walletId: string | null): string | null {
  const label = useWalletLabel(walletId);
  const owner = useNames((s) => (walletId ? (s.names[`owner:${walletId}`] ?? null) : null));
  const client = useClientName(owner);
  if (!label) return null;
  return client ? `${label} · ${client}` : label;
}
