import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyProposalView } from '@shared/domain/controls';
import type { OperatorView } from '@shared/domain/operators';
import type { OnRampView } from '@shared/domain/ramps';
import { applyPolicy, checker, refusedAndAudited } from '@test/controls';
import { callOk, startUnlockedEngine, TEST_PASSPHRASE, type TestEngine, type TestOperator } from '@test/engine';
import { configureReceiving, rampClient, type RampClient } from '../ramps/ramp-fixtures';

/**
 * The controls issue 20 left open: on-ramp credits under n of m (uncovered always, covered above a
 * per-asset threshold), quorums no one could reach refused when set, and a new admin enabled only by a
 * second admin. Each refusal: its code, nothing changed, one audit record.
 */
const ASSET = 'polygon:USDT';
let t: TestEngine;
let alice: RampClient;
let approver: TestOperator;
let secondAdmin: TestOperator;
let ramps = 0;

const as = <T>(who: TestOperator | undefined, channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload, who);
const balance = async () => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: alice.wallet.id })).posted);

/** An on-ramp quoted at 1 USDT per EUR with no fee: `cents` EUR cents become `cents` * 10^4 base units. */
async function quotedOnRamp(cents: bigint): Promise<OnRampView> {
  const requested = await as<OnRampView>(undefined, 'ramps:onramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, assetId: ASSET, currency: 'EUR', amount: cents.toString(), rail: 'sepa' });
  await as(undefined, 'ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: `SEPA-GAPS-${++ramps}`, amount: cents.toString() });
  await as(undefined, 'ramps:onramp:verify', { onRampId: requested.id });
  return as<OnRampView>(undefined, 'ramps:onramp:quote', { onRampId: requested.id, rate: '1', fee: '0' });
}

beforeAll(async () => {
  t = await startUnlockedEngine();
  await configureReceiving(t);
  alice = await rampClient(t, 'polygon');
  approver = await checker(t, 'approver');
  secondAdmin = await checker(t, 'admin');
}, 120_000);
afterAll(async () => {
  await t.dispose();
});

describe('on-ramp credit', () => {
  it('uncovered: waits for an approver other than its maker, n of m, and the last approval books it', async () => {
    const otherApprover = await t.signInAs('approver', 'approver-two');
    await applyPolicy(t, 'withdrawals:controlsSet', { quorum: { onrampCredit: 2 } });
    const quoted = await quotedOnRamp(5_000n);
    const before = await balance();
    const asked = await as<OnRampView>(undefined, 'ramps:onramp:credit', { onRampId: quoted.id, cryptoAmount: quoted.cryptoAmount });
    expect(asked).toMatchObject({ state: 'quoted', creditApproval: { requestedBy: 'admin', approvals: [], needed: 2 }, allowedActions: [] });
    expect(await balance()).toBe(before);
    // the maker approving is refused, audited, and changes nothing
    await refusedAndAudited(t, 'ramps:onramp:approveCredit', { onRampId: quoted.id }, 'maker_checker');
    const first = await as<OnRampView>(approver, 'ramps:onramp:approveCredit', { onRampId: quoted.id });
    expect(first).toMatchObject({ state: 'quoted', creditApproval: { approvals: [approver.name], needed: 2 }, allowedActions: [] });
    expect(await balance()).toBe(before);
    await refusedAndAudited(t, 'ramps:onramp:approveCredit', { onRampId: quoted.id }, 'already_approved', approver);
    expect((await as<OnRampView>(otherApprover, 'ramps:onramp:get', { onRampId: quoted.id })).allowedActions).toEqual(['approveCredit']);
    const booked = await as<OnRampView>(otherApprover, 'ramps:onramp:approveCredit', { onRampId: quoted.id });
    expect(booked).toMatchObject({ state: 'credited', creditApproval: null });
    expect(await balance()).toBe(before + 50_000_000n);
    const audit = await t.engine.services.audit.list({ entityType: 'onramp', entityId: quoted.id, limit: 20 });
    expect(audit[0]).toMatchObject({ action: 'onramp.credited', operator: otherApprover.name });
    await applyPolicy(t, 'withdrawals:controlsSet', { quorum: { onrampCredit: 1 } });
  });

  it('a new quote drops the credit asked for and its approvals', async () => {
    const quoted = await quotedOnRamp(1_000n);
    await as(undefined, 'ramps:onramp:credit', { onRampId: quoted.id, cryptoAmount: quoted.cryptoAmount });
    const requoted = await as<OnRampView>(undefined, 'ramps:onramp:quote', { onRampId: quoted.id, rate: '0.5', fee: '0' });
    expect(requoted).toMatchObject({ state: 'quoted', creditApproval: null, cryptoAmount: '5000000' });
    expect(await t.engine.api.call('ramps:onramp:approveCredit', { onRampId: quoted.id }, approver.context)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('covered by holdings: booked on the maker word below the threshold, waits above it', async () => {
    // Coins in holding beyond what clients are owed (a company top-up), so the next credits are covered.
    const holdings = 1_000_000_000n;
    await t.engine.services.ledger.transfer({
      idempotencyKey: 'gaps:reserve',
      debit: { kind: 'holding', assetId: ASSET },
      credit: { kind: 'company_reserve', assetId: ASSET },
      amount: holdings + (await balance()),
      code: 'reserve_topup',
      cause: { type: 'test', id: 'reserve' },
      memo: 'company coins in holding',
      operator: 'admin',
    });
    await applyPolicy(t, 'withdrawals:controlsSet', { onrampCreditApprovalAbove: { [ASSET]: '20000000' } });
    const small = await quotedOnRamp(1_000n); // 10 USDT, at most 20
    const before = await balance();
    expect(await as<OnRampView>(undefined, 'ramps:onramp:credit', { onRampId: small.id, cryptoAmount: small.cryptoAmount })).toMatchObject({ state: 'credited', creditApproval: null });
    expect(await balance()).toBe(before + 10_000_000n);
    const large = await quotedOnRamp(3_000n); // 30 USDT, above 20
    expect(await as<OnRampView>(undefined, 'ramps:onramp:credit', { onRampId: large.id, cryptoAmount: large.cryptoAmount })).toMatchObject({ state: 'quoted', creditApproval: { requestedBy: 'admin' } });
    expect(await balance()).toBe(before + 10_000_000n);
    await refusedAndAudited(t, 'ramps:onramp:approveCredit', { onRampId: large.id }, 'maker_checker');
    expect(await as<OnRampView>(approver, 'ramps:onramp:approveCredit', { onRampId: large.id })).toMatchObject({ state: 'credited' });
  });
});

describe('a quorum nobody could reach', () => {
  it.each([
    // admins: the test admin and the second admin; minus the maker, one may approve a policy change
    ['policy change', { policyChange: 2 }, 1],
    // approvers and admins approve on-ramp credits: admin, the second admin, two approvers
    ['on-ramp credit', { onrampCredit: 4 }, 3],
  ])('%s above the eligible approvers is refused when proposed', async (_name, quorum, reachable) => {
    const { change } = await refusedAndAudited(t, 'withdrawals:controlsSet', { quorum }, 'quorum_unreachable');
    expect(change.details).toMatchObject({ reachable });
  });

  it('one that can be reached is proposed', async () => {
    const proposal = await as<PolicyProposalView>(undefined, 'withdrawals:controlsSet', { quorum: { policyChange: 1, withdrawal: 2 } });
    expect(proposal.state).toBe('pending');
    await as(undefined, 'policy:rejectProposal', { proposalId: proposal.id, reason: 'only checking' });
  });
});

describe('a new admin', () => {
  it('other roles are created at once', async () => {
    expect(await as<OperatorView & { proposal?: PolicyProposalView }>(undefined, 'system:operators:create', { name: 'new-officer', role: 'officer', passphrase: TEST_PASSPHRASE })).toMatchObject({ disabled: false });
  });

  it('is created disabled and enabled only when a second admin approves', async () => {
    const created = await as<OperatorView & { proposal?: PolicyProposalView }>(undefined, 'system:operators:create', { name: 'third-admin', role: 'admin', passphrase: TEST_PASSPHRASE });
    expect(created).toMatchObject({ name: 'third-admin', role: 'admin', disabled: true, proposal: { state: 'pending', kind: 'operator', summary: 'New admin third-admin: may sign in once approved' } });
    expect(await t.engine.api.call('system:signIn', { operator: 'third-admin', passphrase: TEST_PASSPHRASE }, { door: 'test' })).toMatchObject({ ok: false });
    await refusedAndAudited(t, 'policy:approveProposal', { proposalId: created.proposal!.id }, 'maker_checker');
    expect(await as<PolicyProposalView>(secondAdmin, 'policy:approveProposal', { proposalId: created.proposal!.id })).toMatchObject({ state: 'applied' });
    // (signing in replaces this door's session: the last step of the file)
    expect(await t.engine.api.call('system:signIn', { operator: 'third-admin', passphrase: TEST_PASSPHRASE }, { door: 'test' })).toMatchObject({ ok: true });
  });
});
