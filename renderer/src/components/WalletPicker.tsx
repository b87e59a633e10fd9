import { useEffect, useState } from 'react';
import type { WalletView } from '@shared/domain/wallets';
import { treasury } from '../api';
import { walletName } from '../words/names';

/** A wallet chosen by label or address (searched as typed), never by typing its id. */
export function WalletPicker(props: { value: string; onChange(wallet: WalletView | null): void; testId?: string; label?: string; /** The empty choice's words where no wallet is a choice too (a filter). */ none?: string }) {
  const [search, setSearch] = useState('');
  const [wallets, setWallets] = useState<WalletView[] | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      void treasury.wallets.list({ search: search.trim() || undefined, limit: 50 }).then((result) => setWallets(result.ok ? result.data.items : []));
    }, 200);
    return () => clearTimeout(timer);
  }, [search]);
  return (
    <div className="field wallet-picker">
      <span>{props.label ?? 'Wallet'}</span>
      <div className="wallet-picker__row">
        <input type="search" value={search} placeholder="Find a wallet" title="Type part of a wallet’s label or address" onChange={(e) => setSearch(e.target.value)} aria-label="Search wallets" />
        <select value={props.value} onChange={(e) => props.onChange(wallets?.find((w) => w.id === e.target.value) ?? null)} data-testid={props.testId}>
          <option value="">{wallets === null ? 'Searching…' : wallets.length === 0 ? 'No wallet matches' : (props.none ?? 'Choose a wallet…')}</option>
          {wallets?.map((w) => (
            <option key={w.id} value={w.id}>
              {walletName(w)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
