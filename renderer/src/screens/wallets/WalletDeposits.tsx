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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
