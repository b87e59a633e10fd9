import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS, CHAINS, type Chain } from '@shared/domain/chains';
import type { BankRail } from '@shared/validation/bank-account';

/** Bank rails by the names officers know them by (the engine's ids stay in requests). */
export const RAIL_LABELS: Record<BankRail, string> = {
  sepa: 'SEPA (IBAN, EUR)',
  spei: 'SPEI (CLABE, MXN)',
  ach: 'ACH (US routing and account)',
  pix: 'PIX (key, BRL)',
  ar_transfer: 'Argentina transfer (CBU, ARS)',
};

export function railName(rail: string): string {
  return RAIL_LABELS[rail as BankRail] ?? rail.replace(/_/g, ' ');
}

/** A client's bank account as officers name it: holder, rail and the account's last characters. */
export function bankAccountName(account: { holderName: string; rail: string; identifier: string }): string {
  const id = account.identifier.replace(/\s+/g, '');
  return `${account.holderName} · ${railName(account.rail).split(' (')[0]} ··${id.slice(-4)}`;
}

export function chainName(chain: string): string {
  return (CHAINS as readonly string[]).includes(chain) ? CHAIN_LABELS[chain as Chain] : chain;
}

/** "USDT on Polygon": an asset as an officer says it, never its id. */
export function assetName(asset: Pick<Asset, 'symbol' | 'chain'>): string {
  return `${asset.symbol} on ${chainName(asset.chain)}`;
}

/** An asset by id when the registry has not answered yet: the id's parts, said the same way. */
export function assetNameFromId(assetId: string, asset?: Pick<Asset, 'symbol' | 'chain'>): string {
  if (asset) return assetName(asset);
  const [chain = '', rest = ''] = assetId.split(':');
  const symbol = /^0x[0-9a-fA-F]{40}$|^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(rest) ? 'token' : rest;
  return `${symbol} on ${chainName(chain)}`;
}

/** A wallet in a picker or a line: its label and the chain by name. */
export function walletName(wallet: { label: string | null; chain: string }): string {
  return `${wallet.label ?? 'Unnamed wallet'} · ${chainName(wallet.chain)}`;
}

/**
 * Places shown for an amount: enough to read at a glance (stablecoins in cents, other coins to four
 * places); the exact value stays on hover and copy.
 */
export function displayDecimals(asset: Pick<Asset, 'decimals' | 'symbol'>): number {
  return Math.min(asset.decimals, /USD|EUR|DAI/.test(asset.symbol) ? 2 : 4);
}

/** Ledger transfer codes as movements an officer recognises. */
const TRANSFER_LABELS: Record<string, string> = {
  deposit: 'Deposit',
  deposit_reversal: 'Deposit reversed',
  internal_transfer: 'Internal transfer',
  company_credit: 'Company credit',
  withdrawal: 'Withdrawal',
  offramp: 'Off-ramp',
  onramp: 'On-ramp',
  sweep: 'Sweep',
  gas: 'Gas',
  reserve_topup: 'Reserve top-up',
  withdrawal_fee: 'Withdrawal fee',
  correction: 'Correction',
};

export function transferName(code: string): string {
  return TRANSFER_LABELS[code] ?? code.replace(/_/g, ' ');
}
