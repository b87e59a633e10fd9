import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlsSettings, PolicyProposalView } from '@shared/domain/controls';
import type { OperatorView } from '@shared/domain/operators';
import type { WithdrawalPolicy } from '@shared/domain/withdrawals';
import { checker, refusedAndAudited } from '@test/controls';
import { callOk, snapshotRows, startTestEngine, type TestEngine, type TestOperator } from '@test/engine';

/**
 * Policy and role changes under four eyes: a change is a proposal that applies only when a different admin
 * approves it (both steps audited); its proposer is refused approval with nothing changed and is offered
 * no Approve; a rejected change never applies; with a quorum of two, one approval is not enough.
 */
let t: TestEngine;
let second: TestOperator;
let third: TestOperator;

const audit = async (action: string) =>
  (await t.engine.database.db.selectFrom('audit_log').select(['operator', 'entity_id', 'change']).where('action', '=', action).orderBy('seq').execute()).map((r) => ({
    ...r,
    change: JSON.parse(r.change) as Record<string, unknown>,
  }));
const controls = () => callOk<ControlsSettings>(t.engine, 'withdrawals:controlsGet', {});
const listed = (who?: TestOperator) => callOk<PolicyProposalView[]>(t.engine, 'policy:proposals', { state: 'pending', limit: 10 }, who);

beforeAll(async () => {
  t = await startTestEngine();
  second = await checker(t, 'admin');
  third = await t.signInAs('admin', 'third-admin');
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

describe('policy changes wait for a second admin', () => {
  it('a controls change is pending until another admin approves it; its proposer may not, and sees no Approve', async () => {
    const before = await snapshotRows(t.engine);
    const proposal = await callOk<PolicyProposalView>(t.engine, 'withdrawals:controlsSet', { whitelistTimeLockHours: 48 });
    expect(proposal).toMatchObject({ state: 'pending', proposedBy: 'admin', summary: 'Whitelist time lock: 24 h → 48 h', approvals: [], approvalsNeeded: 1 });
    expect((await controls()).whitelistTimeLockHours).toBe(24);
    expect(await snapshotRows(t.engine)).not.toBe(before);
    expect((await audit('policy.proposed')).at(-1)).toMatchObject({ operator: 'admin', entity_id: proposal.id, change: { kind: 'controls', payload: { whitelistTimeLockHours: 48 } } });

    expect((await listed()).find((p) => p.id === proposal.id)?.allowedActions).toEqual(['reject']);
    expect((await listed(second)).find((p) => p.id === proposal.id)?.allowedActions).toEqual(['approve', 'reject']);
    const refused = await refusedAndAudited(t, 'policy:approveProposal', { proposalId: proposal.id }, 'maker_checker');
    expect(refused.operator).toBe('admin');

    const applied = await callOk<PolicyProposalView>(t.engine, 'policy:approveProposal', { proposalId: proposal.id }, second);
    expect(applied).toMatchObject({ state: 'applied', decidedBy: second.name, approvals: [second.name] });
    expect((await controls()).whitelistTimeLockHours).toBe(48);
    expect((await audit('controls.changed')).at(-1)).toMatchObject({ operator: second.name, change: { proposalId: proposal.id, proposedBy: 'admin', next: { whitelistTimeLockHours: 48 } } });
    expect((await audit('policy.applied')).at(-1)).toMatchObject({ operator: second.name, entity_id: proposal.id });
  });

  it('withdrawal limits read in the asset’s units and apply on approval', async () => {
    const proposal = await callOk<PolicyProposalView>(t.engine, 'withdrawals:policySet', { assetId: 'polygon:USDT', rules: { clientDailyLimit: '2500000000' } });
    expect(proposal.summary).toBe('USDT on Polygon limits: per client, 24 hours: none → 2,500.00 USDT');
    expect((await callOk<WithdrawalPolicy>(t.engine, 'withdrawals:policyGet', {})).assets['polygon:USDT']).toBeUndefined();
    await callOk(t.engine, 'policy:approveProposal', { proposalId: proposal.id }, second);
    expect((await callOk<WithdrawalPolicy>(t.engine, 'withdrawals:policyGet', {})).assets['polygon:USDT']).toEqual({ clientDailyLimit: '2500000000' });
  });

  it('a rejected change never applies and cannot be approved afterwards', async () => {
    const proposal = await callOk<PolicyProposalView>(t.engine, 'withdrawals:controlsSet', { transfersToUnownedWallets: false });
    const rejected = await callOk<PolicyProposalView>(t.engine, 'policy:rejectProposal', { proposalId: proposal.id, reason: 'not now, please' }, second);
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: second.name, decisionNote: 'not now, please' });
    expect(await third.call('policy:approveProposal', { proposalId: proposal.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await controls()).transfersToUnownedWallets).toBe(true);
    expect((await audit('policy.rejected')).at(-1)).toMatchObject({ operator: second.name, change: { reason: 'not now, please' } });
  });

  it('only admins approve policy changes', async () => {
    const proposal = await callOk<PolicyProposalView>(t.engine, 'withdrawals:controlsSet', { whitelistTimeLockHours: 12 });
    const officer = await checker(t, 'officer');
    expect((await listed(officer)).find((p) => p.id === proposal.id)?.allowedActions).toEqual([]);
    expect(await officer.call('policy:approveProposal', { proposalId: proposal.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await callOk(t.engine, 'policy:rejectProposal', { proposalId: proposal.id, reason: 'withdrawn by its proposer' });
  });
});

describe('quorum of policy-change approvers', () => {
  it('with two approvers needed, the first approval records progress and the second applies; nobody approves twice', async () => {
    const raise = await callOk<PolicyProposalView>(t.engine, 'withdrawals:controlsSet', { quorum: { policyChange: 2 } });
    expect(raise.summary).toBe('Policy and role change approvers: 1 → 2');
    await callOk(t.engine, 'policy:approveProposal', { proposalId: raise.id }, second);
    expect((await controls()).quorum.policyChange).toBe(2);

    const proposal = await callOk<PolicyProposalView>(t.engine, 'withdrawals:controlsSet', { newDestinationCoolOffHours: 6 });
    const first = await callOk<PolicyProposalView>(t.engine, 'policy:approveProposal', { proposalId: proposal.id }, second);
    expect(first).toMatchObject({ state: 'pending', approvals: [second.name], approvalsNeeded: 2 });
    expect((await controls()).newDestinationCoolOffHours).toBe(0);
    expect((await listed(second)).find((p) => p.id === proposal.id)?.allowedActions).toEqual(['reject']);
    await refusedAndAudited(t, 'policy:approveProposal', { proposalId: proposal.id }, 'already_approved', second);
    const applied = await callOk<PolicyProposalView>(t.engine, 'policy:approveProposal', { proposalId: proposal.id }, third);
    expect(applied).toMatchObject({ state: 'applied', approvals: [second.name, third.name] });
    expect((await controls()).newDestinationCoolOffHours).toBe(6);
    expect((await audit('policy.approval_recorded')).slice(-2).map((r) => r.operator)).toEqual([second.name, third.name]);
  });
});

describe('role changes', () => {
  it("a role change waits for other admins; disabling applies at once", async () => {
    const officer = await checker(t, 'officer');
    const answer = await callOk<{ operator: OperatorView; proposal: PolicyProposalView }>(t.engine, 'system:operators:update', { operatorId: officer.operatorId, role: 'approver' });
    expect(answer.operator.role).toBe('officer');
    expect(answer.proposal.summary).toBe(`Operator ${officer.name}: role officer → approver`);
    await callOk(t.engine, 'policy:approveProposal', { proposalId: answer.proposal.id }, second);
    await callOk(t.engine, 'policy:approveProposal', { proposalId: answer.proposal.id }, third);
    const operators = await callOk<OperatorView[]>(t.engine, 'system:operators:list', {});
    expect(operators.find((o) => o.id === officer.operatorId)?.role).toBe('approver');
    expect((await audit('operator.updated')).at(-1)).toMatchObject({ operator: third.name, change: { role: { from: 'officer', to: 'approver' }, proposedBy: 'admin' } });
    // The role change ended the operator's session: it takes effect now.
    expect(await officer.call('wallets:list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });

    const disabled = await callOk<{ operator: OperatorView; proposal: null }>(t.engine, 'system:operators:update', { operatorId: officer.operatorId, disabled: true });
    expect(disabled).toMatchObject({ operator: { disabled: true }, proposal: null });
  });
});
