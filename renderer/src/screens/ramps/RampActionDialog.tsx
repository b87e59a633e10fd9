import { useState, type FormEvent, type ReactNode } from 'react';
import type { AppError, Result } from '@shared/result';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';

/** One step of a ramp: a few fields, the engine call, and the engine's refusal shown as is. */
export function RampActionDialog<T>(props: {
  title: string;
  children?: ReactNode;
  valid: boolean;
  /** Absent when the ramp is final: nothing left to do. */
  confirmLabel?: string;
  onSubmit(): Promise<Result<T>>;
  onDone(result: T): void;
  onClose(): void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!props.valid) return;
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
      </form>
    </Dialog>
  );
}
