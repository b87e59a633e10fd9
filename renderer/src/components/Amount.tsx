import { formatAmountGrouped } from '@shared/money';
import { useAssets } from '../store/assets';

/** A base-unit string shown with its asset's decimals and symbol; never through a float. */
export function Amount({ value, assetId, signed, testId }: { value: string; assetId: string; signed?: 'in' | 'out'; testId?: string }) {
  const asset = useAssets((s) => s.byId[assetId]);
  if (!asset) {
    return (
      <span className="amount" data-testid={testId} title="Asset decimals unknown: base units shown">
        {value} <span className="amount__unit">units</span>
      </span>
    );
  }
  const sign = signed === 'out' ? '−' : signed === 'in' ? '+' : '';
  return (
    <span className={`amount${signed ? ` amount--${signed}` : ''}`} data-testid={testId}>
      {sign}
      {formatAmountGrouped(BigInt(value), asset.decimals)} <span className="amount__unit">{asset.symbol}</span>
    </span>
  );
}

export function assetLabel(assetId: string, symbol?: string): string {
  const [chain] = assetId.split(':');
  return symbol ? `${symbol} (${chain})` : assetId;
}
