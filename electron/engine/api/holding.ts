import { fromBaseUnits } from '@shared/money';
import type { WithdrawalModule } from '../withdraw';
import type { AreaHandlers } from './types';

export const holdingHandlers = ({ treasury, withdrawals }: WithdrawalModule): AreaHandlers<'holding'> => ({
  balances: ({ chain }) => treasury.balances(chain),
  address: ({ chain }) => treasury.address(chain),
  register: ({ chain, account }, context) => treasury.register(chain, account, context),
  companyWithdraw: (request, context) => withdrawals.companyWithdraw({ ...request, amount: fromBaseUnits(request.amount) }, context),
});
