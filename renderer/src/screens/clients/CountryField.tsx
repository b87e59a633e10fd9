import { CountrySelect } from '../../components/CountrySelect';
import { FieldError } from '../../components/FieldError';

/** The one country picker, with its label and its error under it, for the client forms. */
export function CountryField(props: { label: string; value: string; onChange(code: string): void; testId: string; error?: string }) {
  const errorId = `${props.testId}-error`;
  return (
    <label className="field">
      <span>{props.label}</span>
      <CountrySelect value={props.value} onChange={props.onChange} testId={props.testId} invalid={!!props.error} describedBy={errorId} />
      <FieldError id={errorId} message={props.error} />
    </label>
  );
}
