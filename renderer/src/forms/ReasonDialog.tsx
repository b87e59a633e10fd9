import { useState, type FormEvent } from 'react';
import type { AppError, Result } from '@shared/result';
import { reason as reasonSchema } from '@shared/ipc/schemas';
import { Dialog } from '../components/Dialog';
import { FieldError } from '../components/FieldError';
import { ErrorState } from '../components/States';

/** An action that needs a written reason (reject, suspend, cancel, refund): the reason goes to the audit log. */
export function ReasonDialog<T>(props: {
  title: string;
  explanation: string;
  confirmLabel: string;
  onSubmit(reason: string): Promise<Result<T>>;
  onDone(result: T): void;
  onClose(): void;
  testId?: string;
}) {
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const parsed = reasonSchema.safeParse(reason);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.success) return;
    setPending(true);
    const result = await props.onSubmit(reason.trim());
    setPending(false);
    if (result.ok) props.onDone(result.data);
    else setError(result.error);
  };
  return (
    <Dialog title={props.title} onClose={props.onClose} testId={props.testId}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">{props.explanation}</p>
        <label className="field">
          <span>Reason (kept in the audit log)</span>
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reason-text" />
          <FieldError id="reason-error" message={reason !== '' && !parsed.success ? 'Write at least 3 characters.' : undefined} />
        </label>
        {error && <ErrorState error={error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={pending || !parsed.success} data-testid="reason-submit">
            {pending ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
