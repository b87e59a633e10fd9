import type { Asset } from '@shared/domain/assets';
import { formatAmount, formatAmountGrouped } from '@shared/money';
import { displayDecimals } from './names';

/**
 * Base units as the officer reads them: cut (never rounded up) to the asset's display places, grouped,
 * with the symbol; the exact value on hover. Never through a float.
 */
export function formatDisplay(value: bigint, asset: Pick<Asset, 'decimals' | 'symbol'>): { text: string; exact: string } {
  const places = displayDecimals(asset);
  const step = 10n ** BigInt(asset.decimals - places);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const cut = (abs / step) * step;
  const exact = formatAmount(value, asset.decimals);
  if (cut === 0n && abs !== 0n) return { text: `${negative ? '>−' : '<'}${formatAmount(step, asset.decimals)}`, exact };
  return { text: `${negative ? '−' : ''}${formatAmountGrouped(cut, asset.decimals, Math.min(2, places))}`, exact };
}


/** "1,250.50 USDT" for a sentence (a notice, a review line); the same cut as on screen. */
export function amountInWords(value: string | bigint, asset: Pick<Asset, 'decimals' | 'symbol'>): string {
  return `${formatDisplay(BigInt(value), asset).text} ${asset.symbol}`;
}
