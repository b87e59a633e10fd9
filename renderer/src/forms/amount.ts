import type { Asset } from '@shared/domain/assets';
import { parseAmount } from '@shared/money';
import { DomainError } from '@shared/result';

export type AmountReading = { ok: true; baseUnits: string } | { ok: false; message: string };

/** What the officer typed, as base units of the asset (decimals from the registry), or why not. */
export function readAmount(text: string, asset: Asset | undefined): AmountReading {
  if (!asset) return { ok: false, message: 'Choose an asset first.' };
  try {
    const value = parseAmount(text, asset.decimals);
    if (value === 0n) return { ok: false, message: 'Amount must be greater than zero.' };
    return { ok: true, baseUnits: value.toString() };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message };
    throw error;
  }
}
