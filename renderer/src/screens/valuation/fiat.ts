import { CHAIN_LABELS } from '@shared/domain/chains';
import type { Asset } from '@shared/domain/assets';
import { formatAmountGrouped } from '@shared/money';

/** A fiat value as the engine sends it ("-1234.5", two places) shown grouped with its currency: "1,234.50 USD". */
export function fiatText(value: string, currency: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
  return `${negative ? '−' : ''}${formatAmountGrouped(cents, 2, 2)} ${currency}`;
}

/** "USDT on Polygon" from the registry, never an asset id. */
export function assetName(asset: Asset | undefined): string {
  return asset ? `${asset.symbol} on ${CHAIN_LABELS[asset.chain]}` : 'an asset this window does not know yet';
}
