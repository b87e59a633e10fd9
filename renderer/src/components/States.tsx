import type { ReactNode } from 'react';
import type { AppError } from '@shared/result';

export function Loading({ what }: { what: string }) {
  return <p className="state state--loading" role="status">Loading {what}…</p>;
}

/** The engine's refusal in words; its code stays out of sight (an attribute for tests and support). */
export function ErrorState({ error, onRetry }: { error: AppError; onRetry?: () => void }) {
  return (
    <div className="state state--error" role="alert" data-code={error.code}>
      <strong>{error.message}</strong>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}
