import { expect } from 'vitest';
import type { CallContext } from '@engine/api/types';
import type { CompanyCreditView, PolicyProposalView } from '@shared/domain/controls';
import type { OnRampView } from '@shared/domain/ramps';
import { callOk, snapshotRows, type TestEngine, type TestOperator } from './engine';

/**
 * Four eyes in tests: the test admin makes an item, a second operator (signed in once per engine) checks
 * it. `checker(t)` is an officer; `checker(t, 'approver')` an approver; `checker(t, 'admin')` a second admin.
 */
const checkers = new WeakMap<TestEngine, Map<string, TestOperator>>();

export async function checker(t: TestEngine, role: 'officer' | 'approver' | 'admin' = 'officer'): Promise<TestOperator> {
  const mine = checkers.get(t) ?? new Map<string, TestOperator>();
  checkers.set(t, mine);
  const known = mine.get(role);
  if (known) return known;
  const signedIn = await t.signInAs(role, `checker-${role}`);
  mine.set(role, signedIn);
  return signedIn;
}

/** The audit log's rows, as the refusal checks compare them. */
async function auditRows(t: TestEngine): Promise<Array<{ seq: number; action: string; operator: string; entity_id: string; change: string }>> {
  return t.engine.database.db.selectFrom('audit_log').select(['seq', 'action', 'operator', 'entity_id', 'change']).orderBy('seq').execute();
}

/**
 * A control's refusal as an auditor wants it: the typed code, nothing changed but one new audit record
 * (`control.refused`, naming the channel, the operator and the code), which is returned. With `alert`, the
 * refusal also raised one alert of that kind (a deny-list hit): one `alerts` row and its `alert.raised`
 * record before the refusal's.
 */
export async function refusedAndAudited(
  t: TestEngine,
  channel: string,
  payload: unknown,
  code: string,
  as?: { context: CallContext },
  options: { alert?: string } = {},
): Promise<{ operator: string; change: { code: string; reason: string; details?: Record<string, unknown> }; alert?: { message: string; details: Record<string, unknown> } }> {
  const before = JSON.parse(await snapshotRows(t.engine)) as Record<string, string[]>;
  const auditBefore = await auditRows(t);
  const result = await t.engine.api.call(channel, payload, as?.context ?? { door: 'test' });
  expect(result).toMatchObject({ ok: false, error: { code } });
  if (!result.ok) expect(result.error.message).not.toMatch(/[a-z]+_[a-z_]+/); // a sentence for people, not a code
  const after = JSON.parse(await snapshotRows(t.engine)) as Record<string, string[]>;
  const auditAfter = await auditRows(t);
  // Nothing but the refusal's own record (and its alert, when it raises one) changed.
  const alertsBefore = before.alerts ?? [];
  const alertsAfter = after.alerts ?? [];
  expect({ ...after, audit_log: [], alerts: [] }).toEqual({ ...before, audit_log: [], alerts: [] });
  expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
  const extra = options.alert ? 1 : 0;
  expect(auditAfter).toHaveLength(auditBefore.length + 1 + extra);
  expect(alertsAfter).toHaveLength(alertsBefore.length + extra);
  const record = auditAfter.at(-1)!;
  expect(record).toMatchObject({ action: 'control.refused', entity_id: channel });
  const change = JSON.parse(record.change) as { code: string; reason: string; details?: Record<string, unknown> };
  expect(change.code).toBe(code);
  if (!options.alert) return { operator: record.operator, change };
  expect(auditAfter.at(-2)).toMatchObject({ action: 'alert.raised' });
  const added = alertsAfter.filter((row) => !alertsBefore.includes(row)).map((row) => JSON.parse(row) as { kind: string; message: string; details: string });
  expect(added).toHaveLength(1);
  expect(added[0]!.kind).toBe(options.alert);
  return { operator: record.operator, change, alert: { message: added[0]!.message, details: JSON.parse(added[0]!.details) as Record<string, unknown> } };
}

/**
 * A company credit as four eyes book it: asked for by `requester` (default the test admin), approved by a
 * second operator with the approver's rights. Returns the approved request (its transferId is the booking).
 */
export async function creditWallet(
  t: TestEngine,
  request: { idempotencyKey: string; walletId: string; assetId: string; amount: string; reason: string },
  requester?: TestOperator,
): Promise<CompanyCreditView> {
  const asked = await callOk<CompanyCreditView>(t.engine, 'transfers:companyCredit', request, requester);
  if (asked.state !== 'requested') return asked;
  return callOk<CompanyCreditView>(t.engine, 'transfers:approveCompanyCredit', { creditId: asked.id }, await checker(t, 'approver'));
}

/**
 * A policy change as four eyes apply it: proposed through `channel` (withdrawals:policySet, withdrawals:controlsSet,
 * system:operators:update) by `proposer` (default the test admin), approved by a second admin. Returns the
 * applied proposal.
 */
export async function applyPolicy(t: TestEngine, channel: string, change: unknown, proposer?: TestOperator): Promise<PolicyProposalView> {
  const answer = await callOk<PolicyProposalView | { proposal: PolicyProposalView | null }>(t.engine, channel, change, proposer);
  const proposal = 'proposal' in answer ? answer.proposal : answer;
  if (!proposal) throw new Error(`${channel} applied at once: nothing to approve`);
  const approved = await callOk<PolicyProposalView>(t.engine, 'policy:approveProposal', { proposalId: proposal.id }, await checker(t, 'admin'));
  expect(approved.state).toBe('applied');
  return approved;
}

/**
 * An on-ramp credit as four eyes book it: asked for by `requester` (default the test admin); one the holdings
 * do not cover (or above its threshold) waits, and a second operator with the approver's rights approves it.
 */
export async function creditOnRamp(t: TestEngine, onRampId: string, cryptoAmount: string, requester?: TestOperator): Promise<OnRampView> {
  const asked = await callOk<OnRampView>(t.engine, 'ramps:onramp:credit', { onRampId, cryptoAmount }, requester);
  if (!asked.creditApproval) return asked;
  return callOk<OnRampView>(t.engine, 'ramps:onramp:approveCredit', { onRampId }, await checker(t, 'approver'));
}
