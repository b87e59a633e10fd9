import { chainFamily } from '@shared/domain/chains';
import type { AddressBookAction, CompanyCreditAction, CompanyCreditView, PolicyProposalView, ProposalAction, WithdrawalAction } from '@shared/domain/controls';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
import type { OnRampAction, OnRampView } from '@shared/domain/ramps';
import type { BankAccountAction, BankAccountView, ClientAction, ClientView } from '@shared/domain/clients';
import type { CallContext } from '../api/types';
import { isMaker } from '../operators/maker-checker';
import { roleMayCall } from '../operators/roles';

/**
 * What the signed-in operator may do with an item now, from the same three things the engine enforces:
 * the role table, the item's state and four eyes (a maker never checks their own item). The window draws
 * its buttons from this list, so a requester is never shown Approve; the engine still refuses regardless.
 */
export function withdrawalActions(view: WithdrawalView, context: Pick<CallContext, 'operator' | 'role'>): WithdrawalAction[] {
  const { role, operator } = context;
  if (!role || !operator) return [];
  const may = (channel: string) => roleMayCall(role, channel);
  const checker = !isMaker(view.requestedBy, operator);
  const approvedAlready = view.approvals?.includes(operator) ?? false;
  const actions: WithdrawalAction[] = [];
  if (view.state === 'requested' && checker && !approvedAlready && may('withdrawals:approve')) actions.push('approve');
  if ((view.state === 'approved' || view.state === 'signed') && checker && may('withdrawals:sign')) actions.push('sign');
  if (view.state === 'broadcast' && chainFamily(view.chain) === 'evm' && checker && may('withdrawals:replace')) actions.push('replace');
  if ((view.state === 'requested' || view.state === 'approved') && may('withdrawals:cancel')) actions.push('cancel');
  return actions;
}

export function addressBookActions(entry: AddressBookEntry, context: Pick<CallContext, 'operator' | 'role'>): AddressBookAction[] {
  const { role, operator } = context;
  if (!role || !operator) return [];
  const actions: AddressBookAction[] = [];
  if (entry.whitelisted && !entry.approvedBy && !isMaker(entry.addedBy, operator) && !entry.approvals?.includes(operator) && roleMayCall(role, 'withdrawals:addressBookApprove')) actions.push('approve');
  if (roleMayCall(role, 'withdrawals:addressBookRemove')) actions.push('remove');
  return actions;
}

export function companyCreditActions(credit: CompanyCreditView, context: Pick<CallContext, 'operator' | 'role'>): CompanyCreditAction[] {
  const { role, operator } = context;
  if (!role || !operator || credit.state !== 'requested') return [];
  const actions: CompanyCreditAction[] = [];
  if (!isMaker(credit.requestedBy, operator) && !credit.approvals?.includes(operator) && roleMayCall(role, 'transfers:approveCompanyCredit')) actions.push('approve');
  if (roleMayCall(role, 'transfers:rejectCompanyCredit')) actions.push('reject');
  return actions;
}

/** An on-ramp credit waiting for approvers: approve for those allowed who neither asked for it nor approved it yet. */
export function onRampActions(onRamp: OnRampView, context: Pick<CallContext, 'operator' | 'role'>): OnRampAction[] {
  const { role, operator } = context;
  const pending = onRamp.creditApproval;
  if (!role || !operator || !pending || onRamp.state !== 'quoted') return [];
  return !isMaker(pending.requestedBy, operator) && !pending.approvals.includes(operator) && roleMayCall(role, 'ramps:onramp:approveCredit') ? ['approveCredit'] : [];
}

/** A pending policy change: approve for admins other than its proposer who have not approved it yet; reject for any admin. */
export function proposalActions(proposal: PolicyProposalView, context: Pick<CallContext, 'operator' | 'role'>): ProposalAction[] {
  const { role, operator } = context;
  if (!role || !operator || proposal.state !== 'pending') return [];
  const actions: ProposalAction[] = [];
  if (!isMaker(proposal.proposedBy, operator) && !proposal.approvals.includes(operator) && roleMayCall(role, 'policy:approveProposal')) actions.push('approve');
  if (roleMayCall(role, 'policy:rejectProposal')) actions.push('reject');
  return actions;
}

/** A client's KYC file: each step where its status allows it and the role may; whoever submitted it neither verifies nor rejects it. */
export function clientActions(client: ClientView, context: Pick<CallContext, 'operator' | 'role'>): ClientAction[] {
  const { role, operator } = context;
  if (!role || !operator) return [];
  const may = (channel: string) => roleMayCall(role, channel);
  const status = client.kycStatus;
  const checker = !isMaker(client.kycSubmittedBy, operator);
  const actions: ClientAction[] = [];
  if ((status === 'draft' || status === 'rejected') && may('clients:update')) actions.push('edit');
  if ((status === 'draft' || status === 'rejected') && may('clients:kyc:submit')) actions.push('submit');
  if (status === 'submitted' && checker && may('clients:kyc:verify')) actions.push('verify');
  if (status === 'submitted' && checker && may('clients:kyc:reject')) actions.push('reject');
  if (status === 'verified' && may('clients:kyc:suspend')) actions.push('suspend');
  if (status === 'suspended' && may('clients:kyc:reinstate')) actions.push('reinstate');
  if (may('clients:setRiskLevel')) actions.push('assessRisk');
  return actions;
}

/** A bank account: verified by someone other than who added it; disabled by anyone allowed while not disabled. */
export function bankAccountActions(account: BankAccountView, context: Pick<CallContext, 'operator' | 'role'>): BankAccountAction[] {
  const { role, operator } = context;
  if (!role || !operator) return [];
  const actions: BankAccountAction[] = [];
  if (account.status === 'unverified' && !isMaker(account.createdBy, operator) && roleMayCall(role, 'clients:bankAccounts:verify')) actions.push('verify');
  if (account.status !== 'disabled' && roleMayCall(role, 'clients:bankAccounts:disable')) actions.push('disable');
  return actions;
}
