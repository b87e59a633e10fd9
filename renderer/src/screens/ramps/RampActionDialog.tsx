import { useState, type FormEvent, type ReactNode } from 'react';
import type { AppError, Result } from '@shared/result';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';
import { SubmitActions, useReview, type ReviewLine } from '../../components/SubmitActions';

/**
 * One step of a ramp: a few fields, the engine call, and the engine's refusal in the officer's words. A step
 * that moves money passes `review`: the first press shows those lines instead of the fields (Back to edit),
 * the second sends.
 */
export function RampActionDialog<T>(props: {
  title: string;
  children?: ReactNode;
  valid: boolean;
  /** Absent when the ramp is final: nothing left to do. */
  confirmLabel?: string;
  /** What will move, checked before it does. */
  review?: { lines: ReviewLine[]; note?: ReactNode };
  onSubmit(): Promise<Result<T>>;
  onDone(result: T): void;
  onClose(): void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const review = useReview();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!props.valid) return;
    if (props.review && !review.reviewing) {
      setError(null);
      review.open();
      return;
    }
    setPending(true);
    setError(null);
    const result = await props.onSubmit();
    setPending(false);
    if (result.ok) props.onDone(result.data);
    else setError(result.error);
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId="ramp-action-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {props.children}
        {props.review && props.confirmLabel ? (
          <SubmitActions
            pending={pending}
            error={error}
            disabled={!props.valid}
            onCancel={props.onClose}
            label={{ idle: props.confirmLabel, pending: 'Working…', confirm: `Confirm: ${props.confirmLabel.charAt(0).toLowerCase()}${props.confirmLabel.slice(1)}` }}
            testId="ramp-action-submit"
            review={{ active: review.reviewing, onBack: review.back, lines: props.review.lines, note: props.review.note }}
          />
        ) : (
          <>
            {error && <ErrorState error={error} />}
            <div className="actions">
              <button type="button" className="secondary" onClick={props.onClose}>
                Close
              </button>
              {props.confirmLabel && (
                <button type="submit" disabled={pending || !props.valid} data-testid="ramp-action-submit">
                  {pending ? 'Working…' : props.confirmLabel}
                </button>
              )}
            </div>
          </>
        )}
      </form>
    </Dialog>
  );
}
