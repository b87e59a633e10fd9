import { useCallback, useEffect, useState } from 'react';
import { QUORUM_ACTIONS, QUORUM_ACTION_LABELS, QUORUM_MAX, type ControlsSettings, type PolicyProposalView } from '@shared/domain/controls';
import { RISK_LEVELS, RISK_LEVEL_LABELS } from '@shared/domain/screening';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useProposals } from '../../store/proposals';

/**
 * The controls beside the withdrawal policy: the whitelist time lock, the cool-off for new destinations,
 * which risk levels may pay destinations not whitelisted, transfers into the company's own wallets, and how
 * many approvers each kind of item needs. A change is proposed here and applies once another admin approves it.
 */
export function ControlsSettingsCard() {
  const [settings, setSettings] = useState<ControlsSettings | null>(null);
  const [draft, setDraft] = useState<ControlsSettings | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [proposal, setProposal] = useState<PolicyProposalView | null>(null);
  const applied = useProposals((s) => s.applied);
  const proposed = useProposals((s) => s.proposed);
  const load = useCallback(async () => {
    const result = await treasury.withdrawals.controlsGet({});
    if (result.ok) {
      setSettings(result.data);
      setDraft(result.data);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load, applied]);
  // Once a change applied, the card shows the settings themselves: the "proposed" notice is history.
  useEffect(() => setProposal(null), [applied]);

  const hoursValid = (v: number) => Number.isInteger(v) && v >= 0 && v <= 720;
  const changed = settings && draft && JSON.stringify(settings) !== JSON.stringify(draft);
  const valid = draft !== null && hoursValid(draft.whitelistTimeLockHours) && hoursValid(draft.newDestinationCoolOffHours);
  const propose = async () => {
    if (!settings || !draft) return;
    const patch: Partial<ControlsSettings> = {};
    for (const key of Object.keys(draft) as Array<keyof ControlsSettings>) {
      if (JSON.stringify(draft[key]) !== JSON.stringify(settings[key])) (patch as Record<string, unknown>)[key] = draft[key];
    }
    const result = await treasury.withdrawals.controlsSet(patch);
    if (result.ok) {
      setError(null);
      setProposal(result.data);
      proposed(result.data);
    } else setError(result.error);
  };
  const hours = (value: number, set: (v: number) => void, label: string, testId: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={Number.isNaN(value) ? '' : String(value)}
        inputMode="numeric"
        onChange={(e) => set(/^\d{0,3}$/.test(e.target.value) && e.target.value !== '' ? Number(e.target.value) : Number.NaN)}
        aria-invalid={!hoursValid(value)}
        data-testid={testId}
      />
    </label>
  );

  return (
    <section className="card" aria-labelledby="controls-title" data-testid="settings-controls">
      <h2 id="controls-title">Controls</h2>
      <p className="muted small">
        Four eyes always apply: nobody approves, verifies or signs what they asked for. A whitelisted destination waits for its approvers, then for
        the time lock, before it can be paid. Changes here apply once another admin approves them.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {!draft && !error && <Loading what="the controls" />}
      {draft && (
        <form
          className="stack stack--tight"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid && changed) void propose();
          }}
        >
          <div className="row-form row-form--hours">
            {hours(draft.whitelistTimeLockHours, (v) => setDraft({ ...draft, whitelistTimeLockHours: v }), 'Whitelist time lock (hours)', 'controls-time-lock')}
            {hours(draft.newDestinationCoolOffHours, (v) => setDraft({ ...draft, newDestinationCoolOffHours: v }), 'Cool-off for new destinations (hours, 0 for none)', 'controls-cool-off')}
          </div>
          <label className="field field--checkbox">
            <input
              type="checkbox"
              checked={draft.transfersToUnownedWallets}
              onChange={(e) => setDraft({ ...draft, transfersToUnownedWallets: e.target.checked })}
              data-testid="controls-unowned-wallets"
            />
            <span>Internal transfers may land in the company's own wallets (wallets of no client)</span>
          </label>
          <fieldset className="fieldset" data-testid="controls-risk-levels">
            <legend>Clients who may withdraw to destinations not whitelisted</legend>
            <div className="checks-inline">
              {RISK_LEVELS.map((level) => (
                <label key={level} className="field field--checkbox">
                  <input
                    type="checkbox"
                    checked={draft.riskLevelsToAnyDestination.includes(level)}
                    onChange={(e) =>
                      setDraft({
                        ...draft,
                        riskLevelsToAnyDestination: e.target.checked
                          ? RISK_LEVELS.filter((l) => l === level || draft.riskLevelsToAnyDestination.includes(l))
                          : draft.riskLevelsToAnyDestination.filter((l) => l !== level),
                      })
                    }
                  />
                  <span>{RISK_LEVEL_LABELS[level]}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="fieldset" data-testid="controls-quorum">
            <legend>Approvers needed (none of them the one who asked)</legend>
            <div className="quorum-grid">
              {QUORUM_ACTIONS.map((action) => (
                <label key={action} className="field">
                  <span>{QUORUM_ACTION_LABELS[action]}</span>
                  <select value={draft.quorum[action]} onChange={(e) => setDraft({ ...draft, quorum: { ...draft.quorum, [action]: Number(e.target.value) } })}>
                    {Array.from({ length: QUORUM_MAX }, (_, i) => i + 1).map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="actions actions--start">
            <button type="submit" disabled={!valid || !changed} data-testid="controls-propose">
              Propose change
            </button>
            <button type="button" className="secondary" disabled={!changed} onClick={() => setDraft(settings)}>
              Undo
            </button>
          </div>
          {proposal && (
            <p className="notice" role="status" data-testid="controls-proposed">
              Proposed: {proposal.summary}. It applies once another admin approves it.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
