import type { AccountKind } from '@shared/domain/ledger';

/** Liabilities and equity grow with credits; assets and expenses with debits. */
const CREDIT_NORMAL: ReadonlySet<AccountKind> = new Set(['client_wallet', 'company_reserve', 'fee_revenue', 'offramp_clearing']);

export function isCreditNormal(kind: AccountKind): boolean {
  return CREDIT_NORMAL.has(kind);
}

/** Kinds that belong to one deposit wallet; the rest are one per asset. */
const PER_WALLET: ReadonlySet<AccountKind> = new Set(['client_wallet', 'deposit_in_transit', 'deposit_gas']);

export interface AccountSpec {
  kind: AccountKind;
  assetId: string;
  walletId?: string;
}

/** A stable, readable natural key: "client_wallet:polygon:USDT:<wallet>", "holding:tron:TRX". */
export function accountCode(spec: AccountSpec): string {
  if (PER_WALLET.has(spec.kind)) {
    if (!spec.walletId) throw new Error(`${spec.kind} accounts belong to a wallet`);
    return `${spec.kind}:${spec.assetId}:${spec.walletId}`;
  }
  return `${spec.kind}:${spec.assetId}`;
}

/** A client's balance may never be spent below zero: debits (posted and held) stay within posted credits. */
export function debitsMustNotExceedCredits(kind: AccountKind): boolean {
  return kind === 'client_wallet';
}
