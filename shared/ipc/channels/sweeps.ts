import { z } from 'zod';
import type { AlertView } from '../../domain/alerts';
import type { Page } from '../../domain/ledger';
import { SWEEP_MODES, SWEEP_STATES, type GasReclaimView, type GasTankView, type SweepRuleView, type SweepView } from '../../domain/sweeps';
import { channel } from '../define';
import * as s from '../schemas';

export const sweepChannels = {
  list: channel<Page<SweepView>>()(
    'sweeps:list',
    z.object({ chain: s.chain.optional(), state: z.enum(SWEEP_STATES).optional(), walletId: s.id.optional(), cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
  rules: channel<SweepRuleView[]>()('sweeps:rules', z.object({ chain: s.chain.optional() }).strict()),
  updateRule: channel<SweepRuleView>()(
    'sweeps:updateRule',
    z
      .object({
        assetId: s.assetId,
        minAmount: s.baseUnits,
        mode: z.enum(SWEEP_MODES),
        intervalMinutes: z.number().int().min(1).max(10_080).optional(),
        // "Sweep when the fee is at most X % of the amount"; null removes the rule.
        maxFeePercent: z.string().regex(/^(0|[1-9][0-9]?|100)(\.[0-9]{1,4})?$/, 'A percent from 0 to 100 with at most 4 decimal places.').nullable().optional(),
        nativePrice: z.string().regex(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,18})?$/, 'A decimal price like 0.29.').nullable().optional(),
      })
      .strict(),
  ),
  /** An officer's "sweep now": every wallet holding unswept confirmed deposits of the asset, or one wallet. */
  sweepNow: channel<SweepView[]>()('sweeps:sweepNow', z.object({ assetId: s.assetId, walletId: s.id.optional() }).strict()),
  /** "Sweep now" for a whole chain, or one wallet on it: every asset's unswept confirmed deposits, however small. */
  sweepChain: channel<SweepView[]>()('sweeps:sweepChain', z.object({ chain: s.chain, walletId: s.id.optional() }).strict()),
  /** "Reclaim gas change": the gas tank's change at the chain's deposit addresses, where worth its fee, back to the tank. */
  reclaimGasChange: channel<GasReclaimView>()('sweeps:reclaimGasChange', z.object({ chain: s.chain }).strict()),
  gasTanks: channel<GasTankView[]>()('sweeps:gasTanks', s.empty),
  /** Freezes TRX of the Tron gas tank for energy (Stake 2.0): its USDT sweeps then borrow energy instead of burning TRX. */
  stakeEnergy: channel<{ txHash: string; address: string }>()('sweeps:stakeEnergy', z.object({ amount: s.positiveBaseUnits }).strict()),
  /** Unstakes TRX of the Tron gas tank (UnfreezeBalanceV2): no energy from it now, withdrawable after the unstaking period. */
  unstakeEnergy: channel<{ txHash: string; address: string }>()('sweeps:unstakeEnergy', z.object({ amount: s.positiveBaseUnits }).strict()),
  /** Moves the Tron gas tank's unstaked TRX whose period is over back to its balance (WithdrawExpireUnfreeze). */
  withdrawUnstaked: channel<{ txHash: string; address: string; amount: string }>()('sweeps:withdrawUnstaked', s.empty),
  /** Alerts, newest first, of one chain or all (the notification centre reads alerts:list). */
  alerts: channel<AlertView[]>()('sweeps:alerts', z.object({ chain: s.chain.optional(), limit: s.pageSize }).strict()),
} as const;
