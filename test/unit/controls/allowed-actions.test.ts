import { describe, expect, it } from 'vitest';
import { addressBookActions, bankAccountActions, clientActions, onRampActions, proposalActions, withdrawalActions } from '@engine/controls/allowed-actions';
import { ONRAMP_STATES, type OnRampState, type OnRampView } from '@shared/domain/ramps';
import { KYC_STATUSES, type BankAccountView, type ClientView, type KycStatus } from '@shared/domain/clients';
import { PROPOSAL_STATES, type PolicyProposalView, type ProposalState } from '@shared/domain/controls';
import { CHANNEL_ACCESS } from '@engine/operators/roles';
import { ROLES, type Role } from '@shared/domain/operators';
import type { AddressBookEntry, WithdrawalState, WithdrawalView } from '@shared/domain/withdrawals';

/**
 * The role x action matrix, generated from the role table: for every role, as maker and as someone else,
 * in every state, an action is offered exactly when the role table lets the role call its channel, the
 * state allows it, and the operator is not the maker of a checking step. The expected state rules are
 * written out here, independently of the implementation.
 */
const CHANNEL = { approve: 'withdrawals:approve', sign: 'withdrawals:sign', replace: 'withdrawals:replace', cancel: 'withdrawals:cancel' } as const;
const STATES_FOR: Record<keyof typeof CHANNEL, WithdrawalState[]> = {
  approve: ['requested'],
  sign: ['approved', 'signed'],
  replace: ['broadcast'],
  cancel: ['requested', 'approved'],
};
/** Checking steps: the maker may never take them. Cancelling one's own request is allowed. */
const CHECKS = new Set(['approve', 'sign', 'replace']);
const STATES: WithdrawalState[] = ['requested', 'approved', 'signed', 'broadcast', 'confirmed', 'failed', 'cancelled'];

const withdrawal = (state: WithdrawalState, requestedBy: string): WithdrawalView =>
  ({ id: 'w', kind: 'client', state, chain: 'polygon', assetId: 'polygon:USDT', amount: '1', requestedBy }) as WithdrawalView;

describe('withdrawal actions, role x state x maker', () => {
  const cases = ROLES.flatMap((role) => STATES.flatMap((state) => [true, false].map((maker) => ({ role, state, maker }))));
  it.each(cases)('$role, $state, maker=$maker', ({ role, state, maker }) => {
    const expected = (Object.keys(CHANNEL) as Array<keyof typeof CHANNEL>).filter(
      (action) => CHANNEL_ACCESS[CHANNEL[action]]!.roles.includes(role) && STATES_FOR[action].includes(state) && !(maker && CHECKS.has(action)),
    );
    expect(withdrawalActions(withdrawal(state, maker ? 'me' : 'someone else'), { operator: 'me', role })).toEqual(expected);
  });

  it('offers nothing without a signed-in operator', () => {
    expect(withdrawalActions(withdrawal('requested', 'x'), {})).toEqual([]);
  });

  it('offers no replacement of a Tron transaction (it has no nonce)', () => {
    expect(withdrawalActions({ ...withdrawal('broadcast', 'x'), chain: 'tron' }, { operator: 'me', role: 'admin' })).toEqual([]);
  });
});

describe('address book actions', () => {
  const entry = (over: Partial<AddressBookEntry>): AddressBookEntry => ({
    id: 'e',
    chain: 'polygon',
    address: '0x',
    label: 'x',
    whitelisted: true,
    addedBy: 'someone else',
    addedAt: '',
    approvedBy: null,
    approvedAt: null,
    usableFrom: null,
    screeningListVersion: null,
    ...over,
  });
  it.each(ROLES.flatMap((role) => [true, false].map((maker) => ({ role, maker }))))('$role, maker=$maker, a pending whitelisting', ({ role, maker }) => {
    const may = (channel: string) => CHANNEL_ACCESS[channel]!.roles.includes(role as Role);
    const expected = [...(may('withdrawals:addressBookApprove') && !maker ? ['approve'] : []), ...(may('withdrawals:addressBookRemove') ? ['remove'] : [])];
    expect(addressBookActions(entry({ addedBy: maker ? 'me' : 'someone else' }), { operator: 'me', role })).toEqual(expected);
  });

  it('offers no approval of an entry already approved or never meant to be whitelisted', () => {
    expect(addressBookActions(entry({ approvedBy: 'abe' }), { operator: 'me', role: 'admin' })).toEqual(['remove']);
    expect(addressBookActions(entry({ whitelisted: false }), { operator: 'me', role: 'admin' })).toEqual(['remove']);
  });
});

describe('quorum: an approver who already approved is offered Approve no more', () => {
  it.each(ROLES)('%s', (role) => {
    const w = { ...withdrawal('requested', 'someone else'), approvals: ['me'] };
    const mayCancel = CHANNEL_ACCESS['withdrawals:cancel']!.roles.includes(role);
    expect(withdrawalActions(w, { operator: 'me', role })).toEqual(mayCancel ? ['cancel'] : []);
  });
});

describe('policy change actions, role x state x proposer x approved already', () => {
  const proposal = (state: ProposalState, proposedBy: string, approvals: string[]): PolicyProposalView => ({
    id: 'p',
    kind: 'controls',
    summary: 'x',
    state,
    proposedBy,
    proposedAt: '',
    approvals,
    approvalsNeeded: 2,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  });
  const cases = ROLES.flatMap((role) =>
    PROPOSAL_STATES.flatMap((state) => [true, false].flatMap((maker) => [true, false].map((approved) => ({ role, state, maker, approved })))),
  );
  it.each(cases)('$role, $state, proposer=$maker, approved already=$approved', ({ role, state, maker, approved }) => {
    const may = (channel: string) => CHANNEL_ACCESS[channel]!.roles.includes(role);
    const pending = state === 'pending';
    const expected = [
      ...(pending && may('policy:approveProposal') && !maker && !approved ? ['approve'] : []),
      ...(pending && may('policy:rejectProposal') ? ['reject'] : []),
    ];
    expect(proposalActions(proposal(state, maker ? 'me' : 'someone else', approved ? ['me'] : []), { operator: 'me', role })).toEqual(expected);
  });
});

describe('client KYC actions, role x status x submitter', () => {
  const STEPS: Record<string, { channel: string; states: KycStatus[]; check?: boolean }> = {
    edit: { channel: 'clients:update', states: ['draft', 'rejected'] },
    submit: { channel: 'clients:kyc:submit', states: ['draft', 'rejected'] },
    verify: { channel: 'clients:kyc:verify', states: ['submitted'], check: true },
    reject: { channel: 'clients:kyc:reject', states: ['submitted'], check: true },
    suspend: { channel: 'clients:kyc:suspend', states: ['verified'] },
    reinstate: { channel: 'clients:kyc:reinstate', states: ['suspended'] },
    assessRisk: { channel: 'clients:setRiskLevel', states: [...KYC_STATUSES] },
  };
  const cases = ROLES.flatMap((role) => KYC_STATUSES.flatMap((status) => [true, false].map((maker) => ({ role, status, maker }))));
  it.each(cases)('$role, $status, submitter=$maker', ({ role, status, maker }) => {
    const expected = Object.entries(STEPS)
      .filter(([, step]) => CHANNEL_ACCESS[step.channel]!.roles.includes(role) && step.states.includes(status) && !(maker && step.check))
      .map(([action]) => action);
    const client = { id: 'c', kycStatus: status, kycSubmittedBy: maker ? 'me' : 'someone else' } as ClientView;
    expect(clientActions(client, { operator: 'me', role })).toEqual(expected);
  });
});

describe('bank account actions, role x status x adder', () => {
  const cases = ROLES.flatMap((role) => (['unverified', 'verified', 'disabled'] as const).flatMap((status) => [true, false].map((maker) => ({ role, status, maker }))));
  it.each(cases)('$role, $status, adder=$maker', ({ role, status, maker }) => {
    const may = (channel: string) => CHANNEL_ACCESS[channel]!.roles.includes(role);
    const expected = [
      ...(status === 'unverified' && !maker && may('clients:bankAccounts:verify') ? ['verify'] : []),
      ...(status !== 'disabled' && may('clients:bankAccounts:disable') ? ['disable'] : []),
    ];
    const account = { id: 'b', status, createdBy: maker ? 'me' : 'someone else' } as BankAccountView;
    expect(bankAccountActions(account, { operator: 'me', role })).toEqual(expected);
  });
});

describe('on-ramp actions, role x state x asker x already approved', () => {
  const onRamp = (state: OnRampState, waiting: boolean, requestedBy: string, approvals: string[]): OnRampView =>
    ({ id: 'o', state, creditApproval: waiting ? { requestedBy, approvals, needed: 2 } : null }) as OnRampView;
  const cases = ROLES.flatMap((role) =>
    ONRAMP_STATES.flatMap((state) => [true, false].flatMap((waiting) => [true, false].flatMap((maker) => [true, false].map((approved) => ({ role, state, waiting, maker, approved }))))),
  );
  it.each(cases)('$role, $state, waiting=$waiting, maker=$maker, approved=$approved', ({ role, state, waiting, maker, approved }) => {
    const offered = CHANNEL_ACCESS['ramps:onramp:approveCredit']!.roles.includes(role) && state === 'quoted' && waiting && !maker && !approved;
    expect(onRampActions(onRamp(state, waiting, maker ? 'me' : 'someone else', approved ? ['me'] : []), { operator: 'me', role })).toEqual(offered ? ['approveCredit'] : []);
  });
});
