import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PolicyProposalView, ProposalKind, ProposalState } from '@shared/domain/controls';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database, PolicyProposalsTable } from '../db/schema';
import type { Selectable } from 'kysely';
import type { Quorum } from './quorum';

type Db = Kysely<Database>;
type Row = Selectable<PolicyProposalsTable>;

/** How one kind of change is checked when proposed (its summary in words) and applied when approved. */
export interface ProposalApplier<P> {
  /** Refuses a change that could not apply now; otherwise says what it changes, from what to what. */
  describe(payload: P, proposer: string): Promise<string>;
  /**
   * Applies it inside the approval's transaction (reading only through `trx`: SQLite has one connection),
   * audited as the approver's act naming the proposal.
   */
  apply(trx: Db, payload: P, approver: string, proposal: { id: string; proposedBy: string }): Promise<void>;
  /** Runs after the approval committed (a role change ends the operator's sessions). */
  afterApply?(payload: P): void;
}

/**
 * Policy and role changes under four eyes: a change is a proposal until admins other than its proposer
 * approve it (the policy-change quorum, controls/quorum.ts), and the last approval applies it in the same
 * transaction. Anyone allowed may reject a pending proposal, its proposer included (withdrawing it). Each
 * step is audited: proposed, each approval, applied (with the change's own record), rejected.
 */
export class PolicyProposals {
  private readonly appliers = new Map<ProposalKind, ProposalApplier<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly quorum: Quorum,
    private readonly now: () => number = Date.now,
  ) {}

  register<P>(kind: ProposalKind, applier: ProposalApplier<P>): void {
    this.appliers.set(kind, applier as ProposalApplier<unknown>);
  }

  async propose(kind: ProposalKind, payload: unknown, proposer: string): Promise<PolicyProposalView> {
    const summary = await this.applier(kind).describe(payload, proposer);
    const row: Row = {
      id: randomUUID(),
      kind,
      payload: JSON.stringify(payload),
      summary,
      state: 'pending',
      proposed_by: proposer,
      proposed_at: new Date(this.now()).toISOString(),
      decided_by: null,
      decided_at: null,
      decision_note: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('policy_proposals').values(row).execute();
      await this.audit.record({ operator: proposer, action: 'policy.proposed', entity: { type: 'policy_proposal', id: row.id }, change: { kind, summary, payload } }, trx);
    });
    return this.view(row, [], await this.quorum.needed('policyChange'));
  }

  /** An admin other than the proposer approves; the approval that reaches the quorum applies the change. */
  async approve(proposalId: string, operator: string): Promise<PolicyProposalView> {
    let applied: { kind: ProposalKind; payload: unknown } | null = null;
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await this.pending(proposalId, trx);
      const progress = await this.quorum.approve(trx, 'policyChange', { type: 'policy_proposal', id: row.id, maker: row.proposed_by, madeWhat: 'proposed this change', details: { proposalId } }, operator);
      await this.audit.record(
        { operator, action: 'policy.approval_recorded', entity: { type: 'policy_proposal', id: row.id }, change: { summary: row.summary, proposedBy: row.proposed_by, approvals: progress.approvals, needed: progress.needed } },
        trx,
      );
      if (!progress.reached) return this.view(row, progress.approvals, progress.needed);
      const payload = JSON.parse(row.payload) as unknown;
      const kind = row.kind as ProposalKind;
      // Appliers check again, on this transaction, what may have moved since (the last admin disabled).
      await this.applier(kind).apply(trx, payload, operator, { id: row.id, proposedBy: row.proposed_by });
      const decided = await this.decide(trx, row, 'applied', operator, null);
      await this.audit.record(
        { operator, action: 'policy.applied', entity: { type: 'policy_proposal', id: row.id }, change: { kind, summary: row.summary, proposedBy: row.proposed_by, approvals: progress.approvals } },
        trx,
      );
      applied = { kind, payload };
      return this.view(decided, progress.approvals, progress.needed);
    });
    if (applied) {
      const { kind, payload } = applied as { kind: ProposalKind; payload: unknown };
      this.applier(kind).afterApply?.(payload);
    }
    return result;
  }

  async reject(proposalId: string, reason: string, operator: string): Promise<PolicyProposalView> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.pending(proposalId, trx);
      const decided = await this.decide(trx, row, 'rejected', operator, reason);
      await this.audit.record(
        { operator, action: 'policy.rejected', entity: { type: 'policy_proposal', id: row.id }, change: { summary: row.summary, proposedBy: row.proposed_by, reason } },
        trx,
      );
      return this.view(decided, await this.quorum.approvals(trx, 'policy_proposal', row.id), await this.quorum.needed('policyChange', trx));
    });
  }

  async list(filter: { state?: ProposalState; limit: number }): Promise<PolicyProposalView[]> {
    let query = this.db.selectFrom('policy_proposals').selectAll();
    if (filter.state) query = query.where('state', '=', filter.state);
    const rows = await query.orderBy('proposed_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    const approvals = await this.quorum.approvalsOf('policy_proposal', rows.map((r) => r.id));
    const needed = await this.quorum.needed('policyChange');
    return rows.map((row) => this.view(row, approvals.get(row.id) ?? [], needed));
  }

  private applier(kind: ProposalKind): ProposalApplier<unknown> {
    const applier = this.appliers.get(kind);
    if (!applier) throw new Error(`No applier for ${kind} proposals`);
    return applier;
  }

  private async pending(proposalId: string, ex: Db): Promise<Row> {
    const row = await ex.selectFrom('policy_proposals').selectAll().where('id', '=', proposalId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such proposal.', { proposalId });
    if (row.state !== 'pending') throw new DomainError('conflict', `This change was already ${row.state} by ${row.decided_by}.`, { proposalId, state: row.state });
    return row;
  }

  private async decide(trx: Db, row: Row, state: 'applied' | 'rejected', operator: string, note: string | null): Promise<Row> {
    const decided = { state, decided_by: operator, decided_at: new Date(this.now()).toISOString(), decision_note: note };
    const updated = await trx.updateTable('policy_proposals').set(decided).where('id', '=', row.id).where('state', '=', 'pending').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('conflict', 'This change was just decided by someone else.', { proposalId: row.id });
    return { ...row, ...decided };
  }

  private view(row: Row, approvals: string[], needed: number): PolicyProposalView {
    return {
      id: row.id,
      kind: row.kind as ProposalKind,
      summary: row.summary,
      state: row.state,
      proposedBy: row.proposed_by,
      proposedAt: row.proposed_at,
      approvals,
      approvalsNeeded: needed,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
      decisionNote: row.decision_note,
    };
  }
}
