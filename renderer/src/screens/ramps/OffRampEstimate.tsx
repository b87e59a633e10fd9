import { useEffect, useState } from 'react';
import type { OffRampSimulation } from '@shared/domain/ramps';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import type { ReviewLine } from '../../components/SubmitActions';
import { explainRefusal } from '../../words/refusals';
import { formatFiat } from './fiat';

type Estimate = { simulation: OffRampSimulation | null; error: AppError | null };

/** The engine's estimate of an off-ramp's payout (rate and fee share of the last one converted), asked once the form is complete. */
export function useOffRampEstimate(request: { clientId: string; walletId: string; bankAccountId: string; assetId: string; amount: string } | null): Estimate {
  const [estimate, setEstimate] = useState<Estimate>({ simulation: null, error: null });
  const key = request ? Object.values(request).join('|') : '';
  useEffect(() => {
    setEstimate({ simulation: null, error: null });
    if (!request) return;
    let live = true;
    const timer = setTimeout(() => {
      void treasury.ramps.simulateOffRamp(request).then((result) => {
        if (live) setEstimate(result.ok ? { simulation: result.data, error: null } : { simulation: null, error: result.error });
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return estimate;
}

/** Rate, converted amount, fee and final payout as review lines; a sentence when there is no basis yet. */
export function estimateLines({ simulation: s, error }: Estimate): ReviewLine[] {
  if (error) return [['Payout', <span className="muted">No estimate: {explainRefusal(error).message}</span>]];
  if (!s) return [['Payout', <span className="muted">Estimating…</span>]];
  const basis = new Date(s.basis.convertedAt).toLocaleDateString();
  return [
    ['Rate', <>{s.rate} {s.currency} per unit <span className="muted small">(as the last conversion, {basis})</span></>],
    ['Converted', formatFiat(s.convertedAmount, s.currency)],
    ['Fee', formatFiat(s.fee, s.currency)],
    ['Payout', <strong data-testid="offramp-review-final">about {formatFiat(s.finalAmount, s.currency)}</strong>],
  ];
}
