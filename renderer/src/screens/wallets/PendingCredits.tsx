import { useCallback, useEffect, useState } from 'react';
import type { CompanyCreditView } from '@shared/domain/controls';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';
import { ErrorState } from '../../components/States';

/**
 * Company credits to this wallet waiting for a second operator. The buttons are the actions the engine
 * allows the signed-in operator: whoever asked for a credit is never offered Approve.
 */
export function PendingCredits({ walletId, version, onDecided }: { walletId: string; version: number; onDecided(message: string): void }) {
  const [credits, setCredits] = useState<CompanyCreditView[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.transfers.companyCredits({ walletId, state: 'requested', limit: 50 });
    if (result.ok) setCredits(result.data.items);
    else setError(result.error);
  }, [walletId]);
  useEffect(() => void load(), [load, version]);

  const decide = async (credit: CompanyCreditView, action: 'approve' | 'reject') => {
    setError(null);
    let result;
    if (action === 'approve') result = await treasury.transfers.approveCompanyCredit({ creditId: credit.id });
    else {
      const reason = window.prompt('Why is this credit turned down?');
      if (!reason) return;
      result = await treasury.transfers.rejectCompanyCredit({ creditId: credit.id, reason });
    }
    if (result.ok) onDecided(action === 'approve' ? 'Company credit approved and booked.' : 'Company credit turned down; nothing was booked.');
    else setError(result.error);
    void load();
  };

  if (credits.length === 0 && !error) return null;
  return (
    <section className="card" aria-labelledby="pending-credits-title" data-testid="pending-credits">
      <h3 id="pending-credits-title">Company credits awaiting approval</h3>
      {error && <ErrorState error={error} />}
      <table>
        <tbody>
          {credits.map((credit) => (
            <tr key={credit.id} data-testid="pending-credit">
              <td className="num">
                <Amount value={credit.amount} assetId={credit.assetId} />
              </td>
              <td>{credit.reason}</td>
              <td className="muted small">
                asked by {credit.requestedBy} · {new Date(credit.requestedAt).toLocaleString()}
              </td>
              <td className="num actions">
                {credit.allowedActions?.includes('approve') && (
                  <button type="button" onClick={() => void decide(credit, 'approve')} data-testid="credit-approve">
                    Approve
                  </button>
                )}
                {credit.allowedActions?.includes('reject') && (
                  <button type="button" className="secondary" onClick={() => void decide(credit, 'reject')} data-testid="credit-reject">
                    Turn down…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
