import type { AppError } from '@shared/result';
import { ErrorState } from './States';

/**
 * The foot of a money-moving dialog: the engine's refusal, Cancel, and the submit button, which says
 * "Retry …" after a failure (a retry reuses the submission's idempotency key, so it cannot pay twice).
 */
export function SubmitActions(props: {
  pending: boolean;
  error: AppError | null;
  disabled: boolean;
  onCancel(): void;
  label: { idle: string; pending: string; retry?: string };
  testId: string;
}) {
  return (
    <>
      {props.error && <ErrorState error={props.error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={props.pending || props.disabled} data-testid={props.testId}>
          {props.pending ? props.label.pending : props.error && props.label.retry ? props.label.retry : props.label.idle}
        </button>
      </div>
    </>
  );
}
