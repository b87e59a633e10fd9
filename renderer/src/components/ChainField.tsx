import { CHAINS, CHAIN_LABELS, type Chain } from '@shared/domain/chains';

/** The labelled chain picker every form that starts from a chain uses. */
export function ChainField({ value, onChange, testId }: { value: Chain; onChange(chain: Chain): void; testId?: string }) {
  return (
    <label className="field">
      <span>Chain</span>
      <select value={value} onChange={(e) => onChange(e.target.value as Chain)} data-testid={testId}>
        {CHAINS.map((c) => (
          <option key={c} value={c}>
            {CHAIN_LABELS[c]}
          </option>
        ))}
      </select>
    </label>
  );
}
