import type { Chain } from '@shared/domain/chains';
/**
 * What the off-ramp needs from the withdrawals pipeline (electron/engine/withdraw): pay an amount out of
 * the holding wallet to the liquidity address, held from the off-ramp clearing account, approved and
 * signed on the Ledger like any withdrawal, and tell how it went. WithdrawalService answers it.
 */
export interface CryptoLegState {
  id: string;
  state: 'requested' | 'approved' | 'signed' | 'broadcast' | 'confirmed' | 'failed' | 'cancelled';
  txHash: string | null;
  failureReason: string | null;
}

export interface CryptoLegPipeline {
  /** Idempotent by key: asking again after a crash returns the same withdrawal, never a second payment. */
  requestPayout(
    request: { purpose: 'offramp'; idempotencyKey: string; assetId: string; amount: bigint; destination: string; causeId: string; memo?: string },
    actor: { operator?: string },
  ): Promise<CryptoLegState>;
  get(withdrawalId: string): Promise<CryptoLegState>;
  /** The liquidity address in canonical form, or refused with its reason (zero, burn, token contract, our own). */
  checkDestination(chain: Chain, address: string): Promise<string>;
}
