import { useEffect, useState, type FormEvent } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';

/** Gives an unowned virtual wallet to the client. */
export function AssociateWalletDialog(props: { clientId: string; onClose(): void; onSaved(): void }) {
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<WalletView[] | null>(null);
  const [walletId, setWalletId] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      void treasury.wallets.list({ status: 'active', search: search.trim() || undefined, limit: 100 }).then((result) => {
        setCandidates(result.ok ? result.data.items.filter((w) => w.clientId === null) : []);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [search]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!walletId) return;
    setPending(true);
    const result = await treasury.clients.associateWallet({ clientId: props.clientId, walletId });
    setPending(false);
    if (result.ok) props.onSaved();
    else setError(result.error);
  };
  return (
    <Dialog title="Associate a wallet" onClose={props.onClose} testId="associate-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Find an unowned wallet</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="associate-search" />
        </label>
        <select aria-label="Wallet" size={6} value={walletId} onChange={(e) => setWalletId(e.target.value)} data-testid="associate-wallet">
          {candidates === null && <option disabled>Searching…</option>}
          {candidates?.length === 0 && <option disabled>No unowned active wallet matches.</option>}
          {candidates?.map((w) => (
            <option key={w.id} value={w.id}>
              {w.label} — {CHAIN_LABELS[w.chain]} — {w.address}
            </option>
          ))}
        </select>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || !walletId} data-testid="associate-submit">
            Associate
          </button>
        </div>
      </form>
    </Dialog>
  );
}
