import type { Asset } from '@shared/domain/assets';
import { parsePercent } from '@shared/client-fee-math';
import { parseAmount } from '@shared/money';

/** 1 % is 10_000 parts of a million (parsePercent's scale). */
const MILLION = 1_000_000n;

/**
 * A fee in native base units, in the swept asset's base units: the native coin itself, or, for a token, at the
 * rule's price of one native coin in the token ("0.29" USDT per TRX), rounded up (the fee is never understated).
 */
export function feeInAssetUnits(feeNative: bigint, native: Asset, asset: Asset, nativePrice: string | null): bigint | null {
  if (asset.contract === null) return feeNative;
  if (nativePrice === null) return null;
  const perCoin = parseAmount(nativePrice, asset.decimals);
  const scale = 10n ** BigInt(native.decimals);
  return (feeNative * perCoin + scale - 1n) / scale;
}

/** Whether a fee (in the asset's units) is at most `maxFeePercent` of `amount`: exact integers, no float. */
export function feeWithinLimit(fee: bigint, amount: bigint, maxFeePercent: string): boolean {
  return fee * MILLION <= amount * parsePercent(maxFeePercent);
}
