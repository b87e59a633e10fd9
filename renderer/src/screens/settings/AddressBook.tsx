import { useCallback, useEffect, useState } from 'react';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { AddressBookEntry } from '@shared/domain/withdrawals';
import { contract } from '@shared/ipc/contract';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { FieldError } from '../../components/FieldError';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { fieldIssues } from '../../forms/validation';
import { ChainField } from '../../components/ChainField';

/**
 * The withdrawal address book: known destinations per chain, and which of them are whitelisted (a
 * small withdrawal to a whitelisted address needs no second operator under the policy). A whitelisting
 * waits for a second officer, then for its time lock (a countdown here); the buttons are the actions the
 * engine allows this operator, so whoever added an entry is never offered Approve.
 */
export function AddressBook() {
  const [entries, setEntries] = useState<AddressBookEntry[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.addressBookList({});
    if (result.ok) {
      setEntries(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const approve = async (entry: AddressBookEntry) => {
    const result = await treasury.withdrawals.addressBookApprove({ entryId: entry.id });
    if (result.ok) await load();
    else setError(result.error);
  };

  const remove = async (entry: AddressBookEntry) => {
    if (!window.confirm(`Remove "${entry.label}" (${entry.address}) from the address book?`)) return;
    const result = await treasury.withdrawals.addressBookRemove({ entryId: entry.id });
    if (result.ok) await load();
    else setError(result.error);
  };

  return (
    <section className="card" aria-labelledby="address-book-title">
      <h2 id="address-book-title">Withdrawal address book</h2>
      <p className="muted small">Destinations the company knows. Whitelisted ones can skip the second approval below the policy's threshold.</p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!entries && !error && <Loading what="the address book" />}
      {entries && entries.length === 0 && <EmptyState title="No address saved yet." />}
      {entries && entries.length > 0 && (
        <table data-testid="settings-address-book">
          <thead>
            <tr>
              <th>Label</th>
              <th>Chain</th>
              <th>Address</th>
              <th>Whitelisted</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.label}</td>
                <td>{CHAIN_LABELS[entry.chain]}</td>
                <td>
                  <code>{entry.address}</code>
                </td>
                <td data-testid="address-book-whitelist-status">
                  <WhitelistStatus entry={entry} />
                </td>
                <td className="muted small">
                  {entry.addedBy} · {new Date(entry.addedAt).toLocaleDateString()}
                </td>
                <td className="num actions">
                  {entry.allowedActions?.includes('approve') && (
                    <button type="button" onClick={() => void approve(entry)} data-testid="address-book-approve">
                      Approve whitelisting
                    </button>
                  )}
                  {entry.allowedActions?.includes('remove') && (
                    <button type="button" className="secondary" onClick={() => void remove(entry)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddAddressForm onAdded={() => void load()} />
    </section>
  );
}

/** no, waiting for a second officer, locked for a while longer (counting down), or yes. */
function WhitelistStatus({ entry }: { entry: AddressBookEntry }) {
  // Read the time at each render; the timer only makes a render happen while the lock runs.
  const [, setTick] = useState(0);
  const now = Date.now();
  const lockedUntil = entry.usableFrom ? Date.parse(entry.usableFrom) : 0;
  useEffect(() => {
    if (lockedUntil <= Date.now()) return;
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [lockedUntil]);
  if (!entry.whitelisted) return <>no</>;
  if (!entry.approvedBy) return <span className="warn">waiting for a second officer</span>;
  if (lockedUntil > now) {
    const minutes = Math.ceil((lockedUntil - now) / 60_000);
    return (
      <span className="warn" title={`Usable from ${new Date(lockedUntil).toLocaleString()}`}>
        approved by {entry.approvedBy}; usable in {Math.floor(minutes / 60)} h {minutes % 60} min
      </span>
    );
  }
  return <span className="ok">yes</span>;
}

function AddAddressForm({ onAdded }: { onAdded(): void }) {
  const [chain, setChain] = useState<Chain>('polygon');
  const [address, setAddress] = useState('');
  const [label, setLabel] = useState('');
  const [whitelisted, setWhitelisted] = useState(false);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const request = { chain, address: address.trim(), label, whitelisted };
  const issues = fieldIssues(contract.withdrawals.addressBookAdd.request, request);
  const valid = Object.keys(issues).length === 0;

  const submit = async () => {
    setTouched(true);
    if (!valid) return;
    setSaving(true);
    const result = await treasury.withdrawals.addressBookAdd(request);
    setSaving(false);
    if (result.ok) {
      setAddress('');
      setLabel('');
      setWhitelisted(false);
      setTouched(false);
      setError(null);
      onAdded();
    } else setError(result.error);
  };

  return (
    <form
      className="row-form row-form--address"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="address-book-add"
    >
      <ChainField value={chain} onChange={setChain} />
      <label className="field">
        <span>Address</span>
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={touched && !!issues.address}
          aria-describedby="address-book-address-error"
          placeholder={chain === 'tron' ? 'T…' : '0x…'}
        />
        <FieldError id="address-book-address-error" message={touched ? issues.address : undefined} />
      </label>
      <label className="field">
        <span>Label</span>
        <input value={label} onChange={(e) => setLabel(e.target.value)} aria-invalid={touched && !!issues.label} aria-describedby="address-book-label-error" />
        <FieldError id="address-book-label-error" message={touched ? issues.label : undefined} />
      </label>
      <label className="field field--checkbox">
        <input type="checkbox" checked={whitelisted} onChange={(e) => setWhitelisted(e.target.checked)} />
        <span>Whitelisted (after a second officer's approval and the time lock)</span>
      </label>
      <button type="submit" disabled={saving}>
        {saving ? 'Adding…' : 'Add address'}
      </button>
      {error && <div className="bad small row-form__error" role="alert">{error.message}</div>}
    </form>
  );
}
