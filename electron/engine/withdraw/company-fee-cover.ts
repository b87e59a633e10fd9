import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { formatAmountGrouped } from '@shared/money';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';
import { companyFunds } from '../ledger/company-funds';
import type { Ledger } from '../ledger/ledger';

export interface FeeCoverNeed {
  /** The chain's native coin, in which every network fee is paid. */
  native: Asset;
  /** This transaction's network fee (its maximum). */
  fee: bigint;
  /** Other withdrawals on the chain not yet mined: their fees are not booked yet but will be, each at about this quote. */
  othersPending?: number;
  /** The holding wallet the top-up goes to. */
  address: string;
  /** The next step for the officer once topped up ("ask again", "sign again"). */
  then: string;
  withdrawalId?: string;
}

/**
 * Every network fee is booked from the company's own native coins (companyFunds: reserve and fee revenue less
 * the fees already paid), never from the holding coins that back clients' balances. A withdrawal of any kind
 * whose fee those cannot pay is refused with `fee_not_covered`, naming the top-up and where to send it, so the
 * company reserve never goes below zero.
 */
export async function assertCompanyCoversFee(ledger: Ledger, need: FeeCoverNeed, ex?: Kysely<Database>): Promise<void> {
  const { native, fee, address } = need;
  if (fee <= 0n) return;
  const pending = need.othersPending ?? 0;
  const needed = fee * BigInt(pending + 1);
  const own = await companyFunds(ledger, native.id, ex);
  if (own >= needed) return;
  const topUp = needed - (own > 0n ? own : 0n);
  const others = pending > 0 ? ` (and those of the ${pending} other withdrawal${pending === 1 ? '' : 's'} not yet mined on it)` : '';
  throw new DomainError(
    'fee_not_covered',
    `The company's own ${native.symbol} on ${CHAIN_LABELS[native.chain]} does not cover this transfer's network fee${others}: send ${formatAmountGrouped(topUp, native.decimals)} ${native.symbol} more to the holding wallet ${address} (it is booked as company reserve), then ${need.then}.`,
    {
      ...(need.withdrawalId ? { withdrawalId: need.withdrawalId } : {}),
      chain: native.chain,
      assetId: native.id,
      shortfall: topUp.toString(),
      fee: fee.toString(),
      companyFunds: own.toString(),
      address,
      pendingWithdrawals: pending,
    },
  );
}
