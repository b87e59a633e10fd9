import { fromBaseUnits } from '@shared/money';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import type { PolicyProposals } from '../controls/proposals';
import type { Quorum } from '../controls/quorum';
import { addressBookActions, withdrawalActions } from '../controls/allowed-actions';
import type { WithdrawalModule } from '../withdraw';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { ValuationService } from '../valuation/valuation-service';
import type { AreaHandlers } from './types';

export const withdrawalHandlers = ({ withdrawals, signing, tracker, policy, fees, clientFees }: WithdrawalModule, controls: ControlsSettingsStore, proposals: PolicyProposals, quorum: Quorum, valuation: ValuationService): AreaHandlers<'withdrawals'> => ({
  request: (request, context) => withdrawals.request({ ...request, amount: fromBaseUnits(request.amount) }, context),
  approve: async ({ withdrawalId }, context) => {
    const [view] = await quorum.withApprovals('withdrawal', [await withdrawals.approve(withdrawalId, context)]);
    return { ...view!, allowedActions: withdrawalActions(view!, context) };
  },
  sign: ({ withdrawalId }, context) => signing.sign(withdrawalId, context),
  cancel: ({ withdrawalId, reason }, context) => withdrawals.cancel(withdrawalId, reason, context),
  replace: ({ withdrawalId }, context) => signing.replace(withdrawalId, context),
  list: async (request, context) => {
    const page = await withdrawals.list(request);
    const items = await quorum.withApprovals('withdrawal', page.items);
    return { ...page, items: items.map((view) => ({ ...view, allowedActions: withdrawalActions(view, context) })) };
  },
  get: async ({ withdrawalId }, context) => {
    const [view] = await quorum.withApprovals('withdrawal', [await withdrawals.get(withdrawalId)]);
    return { ...view!, allowedActions: withdrawalActions(view!, context) };
  },
  depth: ({ withdrawalId }) => tracker.depth(withdrawalId),
  feeEstimate: ({ withdrawalId }) => fees.estimate(withdrawalId),
  quote: async ({ amount, ...request }) => {
    const quote = await withdrawals.quote({ ...request, amount: fromBaseUnits(amount) });
    const values = quote.network.maxFee === null ? [] : await valuation.valueOf(quote.network.assetId, BigInt(quote.network.maxFee));
    return { ...quote, network: { ...quote.network, values } };
  },
  clientFeeQuote: ({ walletId, assetId, amount }) => clientFees.quote({ walletId, assetId, requested: fromBaseUnits(amount) }),
  feeScheduleGet: () => clientFees.get(),
  feeScheduleSet: (request, context) => clientFees.set(request, requireOperator(context, 'change the withdrawal fees')),
  addressBookList: async ({ chain }, context) =>
    (await quorum.withApprovals('address_book', await policy.listEntries(chain))).map((entry) => ({ ...entry, allowedActions: addressBookActions(entry, context) })),
  addressBookAdd: (request, context) => policy.addEntry(request, requireOperator(context, 'change the address book')),
  addressBookApprove: ({ entryId }, context) => policy.approveEntry(entryId, requireOperator(context, 'approve a whitelisting')),
  addressBookRemove: async ({ entryId }, context) => {
    await policy.removeEntry(entryId, requireOperator(context, 'change the address book'));
    return { removed: true as const };
  },
  policyGet: () => policy.get(),
  // Policy changes are proposals: they apply when a second admin approves (policy:approveProposal).
  policySet: (change, context) => proposals.propose('withdrawal_rules', change, requireOperator(context, 'change the withdrawal policy')),
  controlsGet: () => controls.get(),
  controlsSet: (patch, context) => proposals.propose('controls', patch, requireOperator(context, 'change the controls')),
});
