import { useCallback, useEffect, useState } from 'react';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { RampSettingsView } from '@shared/domain/ramps';
import { BANK_RAILS, type BankRail } from '@shared/validation/bank-account';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { addressProblem } from '../../forms/address';
import { ChainField } from '../../components/ChainField';
import { RAIL_LABELS, railName } from '../../words/names';

/** The company's side of the ramps: where clients pay fiat, where sold crypto goes, how long instructions last. */
export function RampSettings() {
  const [settings, setSettings] = useState<RampSettingsView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [rail, setRail] = useState<BankRail>('sepa');
  const [beneficiary, setBeneficiary] = useState('');
  const [accountField, setAccountField] = useState('');
  const [chain, setChain] = useState<Chain>('polygon');
  const [address, setAddress] = useState('');
  const load = useCallback(async () => {
    const result = await treasury.ramps.settings({});
    if (result.ok) setSettings(result.data);
    else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  const FIELD: Record<BankRail, string> = { sepa: 'iban', spei: 'clabe', ach: 'accountNumber', pix: 'key', ar_transfer: 'cbu' };
  const saveAccount = async () => {
    const result = await treasury.ramps.setReceivingAccount({ rail, beneficiary, account: { [FIELD[rail]]: accountField.replace(/\s+/g, '') } });
    if (result.ok) {
      setSettings(result.data);
      setError(null);
    } else setError(result.error);
  };
  const saveDestination = async () => {
    const result = await treasury.ramps.setOffRampDestination({ chain, address: address.trim() });
    if (result.ok) {
      setSettings(result.data);
      setError(null);
    } else setError(result.error);
  };
  const destinationProblem = address ? addressProblem(chain, address) : undefined;
  return (
    <section className="card" aria-labelledby="ramp-settings-title">
      <h2 id="ramp-settings-title">Ramps</h2>
      {error && <ErrorState error={error} />}
      {!settings && !error && <Loading what="ramp settings" />}
      {settings && (
        <div className="stack">
          <table data-testid="settings-receiving-accounts">
            <thead>
              <tr>
                <th>Receiving account (rail)</th>
                <th>Beneficiary</th>
                <th>Account</th>
              </tr>
            </thead>
            <tbody>
              {settings.receivingAccounts.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    None yet: on-ramps cannot issue payment instructions until one is set.
                  </td>
                </tr>
              )}
              {settings.receivingAccounts.map((a) => (
                <tr key={a.rail}>
                  <td>{railName(a.rail)}</td>
                  <td>{a.beneficiary}</td>
                  <td>
                    <code>{Object.values(a.account).join(' · ')}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="row-form row-form--operator"
            onSubmit={(e) => {
              e.preventDefault();
              void saveAccount();
            }}
          >
            <label className="field">
              <span>Beneficiary</span>
              <input value={beneficiary} onChange={(e) => setBeneficiary(e.target.value)} data-testid="ramp-beneficiary" />
            </label>
            <label className="field">
              <span>Rail</span>
              <select value={rail} onChange={(e) => setRail(e.target.value as BankRail)}>
                {BANK_RAILS.map((r) => (
                  <option key={r} value={r}>
                    {RAIL_LABELS[r]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{FIELD[rail]}</span>
              <input value={accountField} onChange={(e) => setAccountField(e.target.value)} data-testid="ramp-account" />
            </label>
            <button type="submit" disabled={beneficiary.trim().length < 2 || accountField.trim() === ''} data-testid="ramp-account-save">
              Set account
            </button>
          </form>
          <table>
            <thead>
              <tr>
                <th>Off-ramp destination (chain)</th>
                <th>Address</th>
              </tr>
            </thead>
            <tbody>
              {settings.offRampDestinations.map((d) => (
                <tr key={d.chain}>
                  <td>{CHAIN_LABELS[d.chain as Chain] ?? d.chain}</td>
                  <td>
                    <code>{d.address}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="row-form row-form--token"
            onSubmit={(e) => {
              e.preventDefault();
              if (!destinationProblem) void saveDestination();
            }}
          >
            <ChainField value={chain} onChange={setChain} />
            <label className="field">
              <span>Liquidity address the sold crypto is sent to</span>
              <input className="mono" value={address} onChange={(e) => setAddress(e.target.value)} aria-invalid={!!destinationProblem} />
              {destinationProblem && <small className="field__error">{destinationProblem}</small>}
            </label>
            <button type="submit" disabled={!address || !!destinationProblem}>
              Set destination
            </button>
          </form>
          <p className="muted small">Payment instructions of an on-ramp expire after {settings.onRampTtlHours} hours.</p>
        </div>
      )}
    </section>
  );
}
