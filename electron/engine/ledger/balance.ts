import type { AccountKind, BalanceView } from '@shared/domain/ledger';
import { isCreditNormal } from './accounts';

export interface Totals {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

/**
 * Posted: settled balance on the account's normal side. Pending: holds in flight (negative when they
 * reduce it). Available: posted minus outgoing holds, what can still be spent.
 */
export function balanceOf(kind: AccountKind, t: Totals): { posted: bigint; pending: bigint; available: bigint } {
  if (isCreditNormal(kind)) {
    return {
      posted: t.creditsPosted - t.debitsPosted,
      pending: t.creditsPending - t.debitsPending,
      available: t.creditsPosted - t.debitsPosted - t.debitsPending,
    };
  }
  return {
    posted: t.debitsPosted - t.creditsPosted,
    pending: t.debitsPending - t.creditsPending,
    available: t.debitsPosted - t.creditsPosted - t.creditsPending,
  };
}

export function balanceView(kind: AccountKind, assetId: string, t: Totals): BalanceView {
  const b = balanceOf(kind, t);
  return { assetId, posted: b.posted.toString(), pending: b.pending.toString(), available: b.available.toString() };
}
