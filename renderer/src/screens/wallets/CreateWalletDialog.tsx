import { useState, type FormEvent } from 'react';
import type { Chain } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { ChainField } from '../../components/ChainField';
import { ClientPicker } from '../../components/ClientPicker';
import { useDialogKey } from '../../forms/dialog-key';

/** A new deposit address derived from the custody seed on one chain. */
export function CreateWalletDialog(props: { onClose(): void; onCreated(wallet: WalletView): void }) {
  const [chain, setChain] = useState<Chain>('polygon');
  const [label, setLabel] = useState('');
  const [clientId, setClientId] = useState('');
  const [created, setCreated] = useState<WalletView | null>(null);
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const idempotencyKey = useDialogKey();
  const issues = fieldIssues(contract.wallets.create.request, { chain, label });
  const valid = Object.keys(issues).length === 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    setPending(true);
    setError(null);
    // A retry after a refused association does not derive a second address: the wallet made first is reused.
    const result = created ? { ok: true as const, data: created } : await treasury.wallets.create({ chain, label, idempotencyKey });
    if (!result.ok) {
      setPending(false);
      return setError(result.error);
    }
    setCreated(result.data);
    if (!clientId) {
      setPending(false);
      return props.onCreated(result.data);
    }
    const owned = await treasury.clients.associateWallet({ clientId, walletId: result.data.id });
    setPending(false);
    if (owned.ok) props.onCreated(owned.data);
    else setError(owned.error);
  };

  return (
    <Dialog title="New wallet" onClose={props.onClose} testId="create-wallet-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <ChainField value={chain} onChange={(c) => !created && setChain(c)} testId="create-wallet-chain" />
        <label className="field">
          <span>Label</span>
          <input
            value={label}
            maxLength={200}
            placeholder="Client name and purpose"
            aria-invalid={touched && !!issues.label}
            aria-describedby="create-wallet-label-error"
            onChange={(e) => setLabel(e.target.value)}
            onBlur={() => setTouched(true)}
            data-testid="create-wallet-label"
          />
          <FieldError id="create-wallet-label-error" message={touched ? issues.label : undefined} />
        </label>
        <ClientPicker label="Client" none="No client yet (associate later)" value={clientId} onChange={setClientId} testId="create-wallet-client" />
        {created && error && <p className="notice small">The wallet was created without its client; choose another client or close and associate it from the client's page.</p>}
        <p className="muted small">The deposit address is derived from the custody seed at the next free index on that chain.</p>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || (touched && !valid)} data-testid="create-wallet-submit">
            {pending ? 'Deriving address…' : 'Create wallet'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
