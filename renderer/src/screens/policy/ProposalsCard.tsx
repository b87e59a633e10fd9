import { useEffect, useState } from 'react';
import type { PolicyProposalView } from '@shared/domain/controls';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { ReasonDialog } from '../../forms/ReasonDialog';
import { useProposals } from '../../store/proposals';
import { useSystem } from '../../store/system';

/**
 * Policy and role changes waiting for a second admin. The buttons come from the engine's allowed actions:
 * its proposer is never offered Approve (they may withdraw it), nor is an admin who already approved it.
 */
export function ProposalsCard() {
  const { pending, recent, error, load, decided } = useProposals();
  const me = useSystem((s) => s.session?.session?.operator.name);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [rejecting, setRejecting] = useState<PolicyProposalView | null>(null);
  useEffect(() => void load(), [load]);

  const approve = async (proposal: PolicyProposalView) => {
    const result = await treasury.policy.approveProposal({ proposalId: proposal.id });
    if (result.ok) {
      setActionError(null);
      decided(result.data);
    } else setActionError(result.error);
  };

  return (
    <section className="card" aria-labelledby="proposals-title" data-testid="policy-proposals">
      <h2 id="proposals-title">Changes waiting for approval</h2>
      <p className="muted small">A change of the policy or of an operator's role applies only once another admin approves it.</p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {actionError && <ErrorState error={actionError} />}
      {!pending && !error && <Loading what="changes waiting for approval" />}
      {pending && pending.length === 0 && <EmptyState title="Nothing waiting" />}
      {pending && pending.length > 0 && (
        <table data-testid="proposals-pending">
          <thead>
            <tr>
              <th>Change</th>
              <th>Proposed by</th>
              <th>Approvals</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pending.map((p) => (
              <tr key={p.id} data-testid="proposal-row">
                <td>{p.summary}</td>
                <td>
                  {p.proposedBy === me ? 'you' : p.proposedBy} <div className="muted small">{new Date(p.proposedAt).toLocaleString()}</div>
                </td>
                <td>
                  {p.approvals.length} of {p.approvalsNeeded}
                  {p.approvals.length > 0 && <div className="muted small">{p.approvals.join(', ')}</div>}
                </td>
                <td className="actions">
                  {p.allowedActions?.includes('approve') && (
                    <button type="button" onClick={() => void approve(p)} data-testid="proposal-approve">
                      Approve
                    </button>
                  )}
                  {p.allowedActions?.includes('reject') && (
                    <button type="button" className="secondary" onClick={() => setRejecting(p)} data-testid="proposal-reject">
                      {p.proposedBy === me ? 'Withdraw' : 'Reject'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recent.length > 0 && (
        <>
          <h3>Recently decided</h3>
          <ul className="small" data-testid="proposals-recent">
            {recent.map((p) => (
              <li key={p.id}>
                <strong>{p.state === 'applied' ? 'Applied' : 'Rejected'}</strong>: {p.summary} — proposed by {p.proposedBy},{' '}
                {p.state === 'applied' ? `approved by ${p.approvals.join(', ')}` : `rejected by ${p.decidedBy}${p.decisionNote ? ` (${p.decisionNote})` : ''}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {rejecting && (
        <ReasonDialog
          title={rejecting.proposedBy === me ? 'Withdraw this change' : 'Reject this change'}
          explanation={rejecting.summary}
          confirmLabel={rejecting.proposedBy === me ? 'Withdraw' : 'Reject'}
          onSubmit={(reason) => treasury.policy.rejectProposal({ proposalId: rejecting.id, reason })}
          onDone={(result) => {
            setRejecting(null);
            decided(result);
          }}
          onClose={() => setRejecting(null)}
        />
      )}
    </section>
  );
}
