import { FieldError } from './FieldError';

/**
 * A passphrase input with its label and its validation message (shown only when given). `fresh` marks a
 * passphrase being chosen, so the browser offers no saved one.
 */
export function PassphraseField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  testId: string;
  fresh?: boolean;
  /** The message to show now (the caller decides when: once typed, or once submitted). */
  error?: string | undefined;
}) {
  const errorId = `${props.testId}-error`;
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="password"
        autoComplete={props.fresh ? 'new-password' : 'current-password'}
        value={props.value}
        aria-invalid={!!props.error}
        aria-describedby={errorId}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      <FieldError id={errorId} message={props.error} />
    </label>
  );
}
