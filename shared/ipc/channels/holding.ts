import { z } from 'zod';
import type { HoldingAddressView, HoldingBalanceView, WithdrawalView } from '../../domain/withdrawals';
import { channel } from '../define';
import * as s from '../schemas';

export const holdingChannels = {
  /** Per chain and asset: what the chain says, what is in flight, what is left. */
  balances: channel<HoldingBalanceView[]>()('holding:balances', z.object({ chain: s.chain.optional() }).strict()),
  /** Where the company sends its own deposits from outside. */
  address: channel<HoldingAddressView>()('holding:address', z.object({ chain: s.chain }).strict()),
  /** Reads the address from the Ledger (shown on its screen) and registers it as the chain's holding wallet. */
  register: channel<HoldingAddressView>()(
    'holding:register',
    z.object({ chain: s.chain, account: z.number().int().min(0).max(1000).default(0) }).strict(),
  ),
  /** The company's own funds from holding to one of its external addresses. */
  companyWithdraw: channel<WithdrawalView>()(
    'holding:companyWithdraw',
    z
      .object({
        idempotencyKey: s.idempotencyKey,
        assetId: s.assetId,
        amount: s.positiveBaseUnits,
        destination: s.address,
        reason: s.reason,
      })
      .strict(),
  ),
} as const;
