import type { Chain } from './chains';
import type { BalanceView } from './ledger';

export const WALLET_STATUSES = ['active', 'suspended', 'closed'] as const;
export type WalletStatus = (typeof WALLET_STATUSES)[number];

/** A virtual wallet: one deposit address on one chain, with its ledger balances per asset. */
export interface WalletView {
  id: string;
  chain: Chain;
  address: string;
  label: string;
  status: WalletStatus;
  clientId: string | null;
  derivationIndex: number;
  createdAt: string;
  balances: BalanceView[];
}
