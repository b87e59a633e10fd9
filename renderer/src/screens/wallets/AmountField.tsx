import type { Asset } from '@shared/domain/assets';
import { formatDisplay } from '../../words/amounts';
import { FieldError } from '../../components/FieldError';
import type { AmountReading } from '../../forms/amount';

/** A decimal amount field: the officer types tokens, the form sends base units. */
export function AmountField(props: {
  id: string;
  text: string;
  onChange(text: string): void;
  asset: Asset | undefined;
  reading: AmountReading;
  available?: string;
  showError: boolean;
  testId?: string;
}) {
  return (
    <label className="field">
      <span>
        Amount{props.asset ? ` in ${props.asset.symbol}` : ''}
        {props.asset && props.available !== undefined && (
          <> · available {formatDisplay(BigInt(props.available), props.asset).text}</>
        )}
      </span>
      <input
        inputMode="decimal"
        autoComplete="off"
        className="input--amount"
        value={props.text}
        placeholder="0.00"
        aria-invalid={props.showError && !props.reading.ok}
        aria-describedby={`${props.id}-error`}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      <FieldError id={`${props.id}-error`} message={props.showError && !props.reading.ok ? props.reading.message : undefined} />
    </label>
  );
}
