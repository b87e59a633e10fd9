import { useState, type ReactNode } from 'react';
import type { AppError } from '@shared/result';
import { ErrorState } from './States';

/** Whether a money-moving dialog shows its review step; the first press of its button opens it. */
export function useReview() {
  const [reviewing, setReviewing] = useState(false);
  return { reviewing, open: () => setReviewing(true), back: () => setReviewing(false) };
}

export type ReviewLine = [label: string, value: ReactNode];

/**
 * The foot of a money-moving dialog: the review of what will move, the engine's refusal, Cancel, and the
 * submit button. The button keeps its name after a refusal (sending again reuses the submission's
 * idempotency key, so it cannot pay twice); when it cannot be pressed it says why, beside it and on hover.
 */
export function SubmitActions(props: {
  pending: boolean;
  error: AppError | null;
  disabled: boolean;
  /** Why the button cannot be pressed yet, in a sentence ("Choose a wallet first."). */
  disabledReason?: string;
  onCancel(): void;
  label: { idle: string; pending: string; confirm?: string };
  testId: string;
  /** Money moves only after this step: the fields are hidden and what will happen is listed. */
  review?: { active: boolean; lines: ReviewLine[]; onBack(): void; note?: ReactNode; /** What stops it from going through, shown as is. */ alert?: ReactNode };
}) {
  const reviewing = props.review?.active ?? false;
  const reason = !props.pending && props.disabled ? props.disabledReason : undefined;
  return (
    <>
      {reviewing && props.review && (
        <section className="review" aria-label="Review" data-testid={`${props.testId}-review`}>
          <h3>Check before you confirm</h3>
          <dl className="review__lines">
            {props.review.lines.map(([label, value]) => (
              <div key={label} className="review__line">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {props.review.note && <p className="muted small">{props.review.note}</p>}
          {props.review.alert}
        </section>
      )}
      {props.error && <ErrorState error={props.error} />}
      <div className="actions">
        {reason && (
          <small className="actions__why" data-testid={`${props.testId}-why`}>
            {reason}
          </small>
        )}
        {reviewing && props.review ? (
          <button type="button" className="secondary" onClick={props.review.onBack} disabled={props.pending} data-testid={`${props.testId}-back`}>
            Back to edit
          </button>
        ) : (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={props.pending || props.disabled} title={reason} data-testid={props.testId}>
          {props.pending ? props.label.pending : props.review && !reviewing ? 'Review…' : (props.label.confirm ?? props.label.idle)}
        </button>
      </div>
    </>
  );
}
