import { useEffect, useState } from 'react';
import type { DepositView } from '@shared/domain/deposits';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';
import { ErrorState, Loading } from '../../components/States';

/** The state an officer reads: below the minimum (not credited) and a spent credit a reorg left unbacked are named. */
function stateLabel(d: DepositView): { text: string; tone: string } {
  if (d.creditKept) return { text: 'orphaned, credit kept', tone: 'badge badge--short' };
  if (d.belowMinimum && d.state !== 'orphaned') return { text: d.credited ? 'below minimum, credited by hand' : 'below minimum', tone: 'badge badge--pending' };
  return { text: d.state, tone: TONE[d.state] };
}

/**
 * A deposit below the minimum is credited only when an officer chooses to, after reading what will be credited;
 * the engine credits it once and audits who did.
 */
function CreditByHand({ deposit, onCredited }: { deposit: DepositView; onCredited(next: DepositView): void }) {
  const [step, setStep] = useState<'idle' | 'review' | 'pending'>('idle');
  const [error, setError] = useState<AppError | null>(null);
  const credit = async () => {
    setStep('pending');
    const result = await treasury.wallets.creditBelowMinimum({ depositId: deposit.id });
    setStep('idle');
    if (result.ok) onCredited(result.data);
    else setError(result.error);
  };
  if (step === 'idle')
    return (
      <>
        <button type="button" className="secondary small" onClick={() => setStep('review')} data-testid={`credit-below-minimum-${deposit.id}`}>
          Credit to client…
        </button>
        {error && <ErrorState error={error} />}
      </>
    );
  return (
    <span className="nowrap" role="group" aria-label="Credit below minimum">
      Credit <Amount value={deposit.amount} assetId={deposit.assetId} /> to the client?{' '}
      <button type="button" className="small" disabled={step === 'pending'} onClick={() => void credit()} data-testid={`credit-below-minimum-confirm-${deposit.id}`}>
        {step === 'pending' ? 'Crediting…' : 'Credit'}
      </button>{' '}
      <button type="button" className="secondary small" disabled={step === 'pending'} onClick={() => setStep('idle')}>
        Cancel
      </button>
    </span>
  );
}

/** "3 of 15": blocks on top of the deposit's block against the chain's confirmation depth now. */
export function confirmationsOf(d: DepositView): string {
  return `${Math.min(d.confirmations, d.requiredConfirmations)} of ${d.requiredConfirmations}`;
}

const TONE: Record<DepositView['state'], string> = {
  seen: 'badge badge--pending',
  confirmed: 'badge badge--active',
  swept: 'badge',
  orphaned: 'badge badge--short',
};

/** Incoming chain transfers the watcher found for this wallet, with confirmations and explorer links. */
export function WalletDeposits({ walletId, explorerUrl, version }: { walletId: string; explorerUrl: string | undefined; version: number }) {
  const [deposits, setDeposits] = useState<DepositView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void treasury.wallets.deposits({ walletId, limit: 50 }).then((result) => {
      if (result.ok) setDeposits(result.data.items);
      else setError(result.error);
    });
  }, [walletId, version]);
  return (
    <section className="card" aria-labelledby="deposits-title">
      <h3 id="deposits-title">Deposits on chain</h3>
      {error && <ErrorState error={error} />}
      {!deposits && !error && <Loading what="deposits" />}
      {deposits && deposits.length === 0 && <p className="muted">No deposit seen on this address yet.</p>}
      {deposits && deposits.length > 0 && (
        <table data-testid="wallet-deposits">
          <thead>
            <tr>
              <th>Seen</th>
              <th className="num">Amount</th>
              <th>State</th>
              <th className="num">Confirmations</th>
              <th>Transaction</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deposits.map((d) => (
              <tr key={d.id}>
                <td className="nowrap">{new Date(d.seenAt).toLocaleString()}</td>
                <td className="num">
                  <Amount value={d.amount} assetId={d.assetId} />
                </td>
                <td>
                  <span className={stateLabel(d).tone} style={{ marginLeft: 0 }}>
                    {stateLabel(d).text}
                  </span>
                </td>
                <td className="num">{confirmationsOf(d)}</td>
                <td className="ellipsis">
                  {explorerUrl ? (
                    <a href={`${explorerUrl}/tx/${d.txHash}`} target="_blank" rel="noreferrer">
                      <code>{d.txHash.slice(0, 18)}…</code> ↗
                    </a>
                  ) : (
                    <code title={d.txHash}>{d.txHash.slice(0, 18)}…</code>
                  )}
                </td>
                <td>{d.belowMinimum && !d.credited && (d.state === 'confirmed' || d.state === 'swept') && <CreditByHand deposit={d} onCredited={(next) => setDeposits((all) => all?.map((x) => (x.id === next.id ? next : x)) ?? null)} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
