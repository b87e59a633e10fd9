import { fromBaseUnits } from '@shared/money';
import type { WithdrawalModule } from '../withdraw';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { AreaHandlers } from './types';

export const withdrawalHandlers = ({ withdrawals, signing, policy, fees }: WithdrawalModule): AreaHandlers<'withdrawals'> => ({
  request: (request, context) => withdrawals.request({ ...request, amount: fromBaseUnits(request.amount) }, context),
  approve: ({ withdrawalId }, context) => withdrawals.approve(withdrawalId, context),
  sign: ({ withdrawalId }, context) => signing.sign(withdrawalId, context),
  cancel: ({ withdrawalId, reason }, context) => withdrawals.cancel(withdrawalId, reason, context),
  replace: ({ withdrawalId }, context) => signing.replace(withdrawalId, context),
  list: (request) => withdrawals.list(request),
  get: ({ withdrawalId }) => withdrawals.get(withdrawalId),
  feeEstimate: ({ withdrawalId }) => fees.estimate(withdrawalId),
  addressBookList: ({ chain }) => policy.listEntries(chain),
  addressBookAdd: (request, context) => policy.addEntry(request, requireOperator(context, 'change the address book')),
  addressBookRemove: async ({ entryId }, context) => {
    await policy.removeEntry(entryId, requireOperator(context, 'change the address book'));
    return { removed: true as const };
  },
  policyGet: () => policy.get(),
  policySet: ({ assetId, rules }, context) => policy.setRules(assetId, rules, requireOperator(context, 'change the withdrawal policy')),
});
