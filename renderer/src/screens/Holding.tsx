import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { QRCodeSVG } from 'qrcode.react';
import { CHAINS, CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { HoldingAddressView, HoldingBalanceView, WithdrawalView } from '@shared/domain/withdrawals';
import { contract } from '@shared/ipc/contract';
import { formatDisplay } from '../words/amounts';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Dialog } from '../components/Dialog';
import { FieldError } from '../components/FieldError';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { addressProblem } from '../forms/address';
import { readAmount } from '../forms/amount';
import { useSubmission } from '../forms/submission';
import { fieldIssues } from '../forms/validation';
import { useAssets } from '../store/assets';
import { useEngineEvents } from '../store/engine-events';
import { AmountField } from './wallets/AmountField';
import { SubmitActions } from '../components/SubmitActions';
import { Address } from '../components/Address';

/** A signed base-unit string (available may be negative when holding is short) with the asset's decimals. */
function signedAmount(value: string, asset: { decimals: number; symbol: string }) {
  const { text, exact } = formatDisplay(BigInt(value), asset);
  return <span title={`${exact} ${asset.symbol} exactly`}>{text}</span>;
}

export function Holding() {
  const [balances, setBalances] = useState<HoldingBalanceView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await treasury.holding.balances({});
    if (result.ok) {
      setBalances(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);
  useEngineEvents((event) => {
    if (event.type === 'withdrawal.status' || event.type === 'deposit.confirmed' || event.type === 'sweep.status') void load();
  });

  return (
    <div className="stack">
      <section className="card" aria-labelledby="holding-balances-title">
        <div className="card__head">
          <h2 id="holding-balances-title">Holding wallet balances</h2>
          <span className="spacer" />
          <button type="button" className="secondary" onClick={() => void load()}>
            Refresh from chain
          </button>
          <button type="button" onClick={() => setWithdrawing(true)} data-testid="holding-withdraw">
            Company withdrawal…
          </button>
        </div>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {error && <ErrorState error={error} onRetry={() => void load()} />}
        {balances === null && !error && <Loading what="holding balances (read from the chains)" />}
        {balances !== null && balances.length === 0 && (
          <EmptyState title="No holding wallet registered yet">Register the Ledger’s address for each chain below; balances are read from the chain.</EmptyState>
        )}
        {balances !== null && balances.length > 0 && (
          <table data-testid="holding-balances">
            <thead>
              <tr>
                <th>Chain</th>
                <th>Asset</th>
                <th className="num">On chain</th>
                <th className="num">In flight</th>
                <th className="num">Available</th>
              </tr>
            </thead>
            <tbody>
              {balances.map((b) => (
                <tr key={b.assetId}>
                  <td>{CHAIN_LABELS[b.chain]}</td>
                  <td>{b.symbol}</td>
                  <td className="num">{signedAmount(b.onChain, b)}</td>
                  <td className="num">{signedAmount(b.inFlight, b)}</td>
                  <td className={b.available.startsWith('-') ? 'num bad strong' : 'num strong'}>{signedAmount(b.available, b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="grid grid--3">
        {CHAINS.map((chain) => (
          <HoldingAddress key={chain} chain={chain} onRegistered={() => void load()} />
        ))}
      </div>
      {withdrawing && (
        <CompanyWithdrawalDialog
          onClose={() => setWithdrawing(false)}
          onDone={(w) => {
            setWithdrawing(false);
            setNotice(`Company withdrawal requested (${w.state}); approve and sign it on the Withdrawals screen.`);
            void load();
          }}
        />
      )}
    </div>
  );
}

function HoldingAddress({ chain, onRegistered }: { chain: Chain; onRegistered(): void }) {
  const [address, setAddress] = useState<HoldingAddressView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [registering, setRegistering] = useState(false);
  const load = useCallback(async () => {
    const result = await treasury.holding.address({ chain });
    setLoading(false);
    if (result.ok) setAddress(result.data);
    else setError(result.error);
  }, [chain]);
  useEffect(() => void load(), [load]);
  const register = async () => {
    setRegistering(true);
    setError(null);
    const result = await treasury.holding.register({ chain, account: 0 });
    setRegistering(false);
    if (result.ok) {
      setAddress(result.data);
      onRegistered();
    } else setError(result.error);
  };
  return (
    <section className="card" aria-label={`${CHAIN_LABELS[chain]} holding address`} data-testid={`holding-address-${chain}`}>
      <h3>{CHAIN_LABELS[chain]}</h3>
      {loading && <Loading what="address" />}
      {address ? (
        <div className="stack stack--tight">
          <div className="qr" style={{ alignSelf: 'flex-start' }} role="img" aria-label={`QR code of ${address.address}`}>
            <QRCodeSVG value={address.address} size={120} marginSize={2} />
          </div>
          <Address value={address.address} className="address" />
          <span className="muted small">
            {address.source === 'virtual-ledger' ? 'Virtual Ledger (devnet)' : 'Ledger'} · {address.derivationPath}
          </span>
        </div>
      ) : (
        !loading && (
          <div className="stack stack--tight">
            {error && error.code !== 'not_found' && <ErrorState error={error} />}
            <p className="muted">No holding address registered on this chain.</p>
            <button type="button" className="secondary" disabled={registering} onClick={() => void register()} data-testid={`holding-register-${chain}`}>
              {registering ? 'Approve the address on the Ledger…' : 'Register from Ledger'}
            </button>
            <p className="muted small">
              The Ledger shows the holding address on its screen and asks you to approve it; it is registered here only once you do.
              Write it down from the device: every sweep and the deposit screens will show this address.
            </p>
          </div>
        )
      )}
    </section>
  );
}

function CompanyWithdrawalDialog(props: { onClose(): void; onDone(w: WithdrawalView): void }) {
  const assets = useAssets((s) => s.list);
  const [assetId, setAssetId] = useState(assets[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [destination, setDestination] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const submission = useSubmission<WithdrawalView>();
  const asset = assets.find((a) => a.id === assetId);
  const amount = readAmount(amountText, asset);
  const destinationProblem = asset ? addressProblem(asset.chain, destination) : undefined;
  const request = { assetId, amount: amount.ok ? amount.baseUnits : '', destination: destination.trim(), reason };
  const issues = fieldIssues(contract.holding.companyWithdraw.request, { ...request, idempotencyKey: submission.idempotencyKey() });
  const valid = Object.keys(issues).length === 0 && amount.ok && !destinationProblem;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    const w = await submission.submit(request, (idempotencyKey) => treasury.holding.companyWithdraw({ ...request, idempotencyKey }));
    if (w) props.onDone(w);
  };
  return (
    <Dialog title="Company withdrawal from holding" onClose={props.onClose} testId="company-withdrawal-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="callout">The company’s own funds leave the holding wallet. It cannot exceed what holding has on chain minus what is already in flight.</p>
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="company-withdrawal-asset">
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.symbol} on {CHAIN_LABELS[a.chain]}
              </option>
            ))}
          </select>
        </label>
        <AmountField
          id="company-withdrawal-amount"
          text={amountText}
          onChange={setAmountText}
          asset={asset}
          reading={amount}
          showError={touched || amountText !== ''}
          testId="company-withdrawal-amount"
        />
        <label className="field">
          <span>Destination address (the company’s)</span>
          <input className="mono" value={destination} spellCheck={false} onChange={(e) => setDestination(e.target.value)} data-testid="company-withdrawal-destination" />
          <FieldError id="company-withdrawal-destination-error" message={touched || destination !== '' ? destinationProblem : undefined} />
        </label>
        <label className="field">
          <span>Reason (kept in the audit log)</span>
          <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="company-withdrawal-reason" />
          <FieldError id="company-withdrawal-reason-error" message={touched || reason !== '' ? issues.reason : undefined} />
        </label>
        <SubmitActions
          pending={submission.pending}
          error={submission.error}
          disabled={touched && !valid}
          onCancel={props.onClose}
          label={{ idle: 'Request company withdrawal', pending: 'Requesting…' }}
          testId="company-withdrawal-submit"
        />
      </form>
    </Dialog>
  );
}
