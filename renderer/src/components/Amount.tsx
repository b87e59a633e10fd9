import type { Asset } from '@shared/domain/assets';
import { useAssets } from '../store/assets';
import { formatDisplay } from '../words/amounts';
import { assetNameFromId } from '../words/names';

/** A base-unit string shown with its asset's display places and symbol; the exact amount in the tooltip. */
export function Amount({ value, assetId, signed, testId }: { value: string; assetId: string; signed?: 'in' | 'out'; testId?: string }) {
  const asset = useAssets((s) => s.byId[assetId]);
  if (!asset) {
    return (
      <span className="amount" data-testid={testId} title="Loading the asset’s details…">
        …
      </span>
    );
  }
  const sign = signed === 'out' ? '−' : signed === 'in' ? '+' : '';
  const { text, exact } = formatDisplay(BigInt(value), asset);
  return (
    <span className={`amount${signed ? ` amount--${signed}` : ''}`} data-testid={testId} title={`${exact} ${asset.symbol} exactly`}>
      {sign}
      {text} <span className="amount__unit">{asset.symbol}</span>
    </span>
  );
}

/** "USDT on Polygon" for an asset id (the symbol is enough when the registry already answered). */
export function assetLabel(assetId: string, symbol?: string): string {
  const asset = useAssets.getState().byId[assetId];
  return assetNameFromId(assetId, asset ?? (symbol ? { symbol, chain: assetId.split(':')[0] as Asset['chain'] } : undefined));
}

/** An asset named as the officer says it ("USDT on Polygon"), from its id. */
export function AssetName({ assetId }: { assetId: string }) {
  const asset = useAssets((s) => s.byId[assetId]);
  return <>{assetNameFromId(assetId, asset)}</>;
}
