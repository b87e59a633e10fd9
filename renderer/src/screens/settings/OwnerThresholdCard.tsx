import { useCallback, useEffect, useState } from 'react';
import type { PolicyProposalView } from '@shared/domain/controls';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useProposals } from '../../store/proposals';

/**
 * Business clients: the share at which a beneficial owner's own KYC must be verified before the business
 * can be. A controls setting, so a change is proposed here and applies once another admin approves it.
 */
export function OwnerThresholdCard() {
  const [current, setCurrent] = useState<number | null>(null);
  const [percent, setPercent] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [proposal, setProposal] = useState<PolicyProposalView | null>(null);
  const applied = useProposals((s) => s.applied);
  const proposed = useProposals((s) => s.proposed);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.controlsGet({});
    if (result.ok) {
      setCurrent(result.data.uboThresholdPercent);
      setPercent(String(result.data.uboThresholdPercent));
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load, applied]);
  // Once a change applied, the card shows the setting itself: the "proposed" notice is history.
  useEffect(() => setProposal(null), [applied]);
  const valid = /^\d{1,3}$/.test(percent) && Number(percent) >= 1 && Number(percent) <= 100;

  const propose = async () => {
    const result = await treasury.withdrawals.controlsSet({ uboThresholdPercent: Number(percent) });
    if (result.ok) {
      setError(null);
      setProposal(result.data);
      proposed(result.data);
    } else setError(result.error);
  };

  return (
    <section className="card" aria-labelledby="owner-threshold-title" data-testid="settings-owner-threshold">
      <h2 id="owner-threshold-title">Business clients</h2>
      <p className="muted small">
        A business is verified only when every beneficial owner holding at least this share has verified KYC of their own. 25% follows FATF and the EU
        directive; some regimes ask for 10%. A change applies once another admin approves it on the Policy screen.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {current === null && !error && <Loading what="the business client rule" />}
      {current !== null && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void propose();
          }}
        >
          <label className="field">
            <span>Owners to verify from (%)</span>
            <input value={percent} inputMode="numeric" onChange={(e) => setPercent(e.target.value)} aria-invalid={!valid} data-testid="owner-threshold" />
          </label>
          <button type="submit" disabled={!valid || Number(percent) === current} data-testid="owner-threshold-propose">
            Propose change
          </button>
          {proposal && (
            <p className="notice" role="status" data-testid="owner-threshold-proposed">
              Proposed: {proposal.summary}. It applies once another admin approves it.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
