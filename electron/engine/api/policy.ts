import type { DenyListScreening } from '../controls/screening';
import type { PolicyProposals } from '../controls/proposals';
import { proposalActions } from '../controls/allowed-actions';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { AreaHandlers } from './types';

export const policyHandlers = (screening: DenyListScreening, proposals: PolicyProposals): AreaHandlers<'policy'> => ({
  denyListImport: (file, context) => screening.importList(file, requireOperator(context, 'import a deny list')),
  denyListVersions: () => screening.versions(),
  proposals: async (filter, context) => (await proposals.list(filter)).map((p) => ({ ...p, allowedActions: proposalActions(p, context) })),
  approveProposal: async ({ proposalId }, context) => {
    const decided = await proposals.approve(proposalId, requireOperator(context, 'approve a policy change'));
    return { ...decided, allowedActions: proposalActions(decided, context) };
  },
  rejectProposal: ({ proposalId, reason }, context) => proposals.reject(proposalId, reason, requireOperator(context, 'reject a policy change')),
});
