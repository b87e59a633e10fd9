import { useState, type ReactNode } from 'react';
import type { AppError } from '@shared/result';
import { explainRefusal, fieldLabel } from '../words/refusals';

export function Loading({ what }: { what: string }) {
  return <p className="state state--loading" role="status">Loading {what}…</p>;
}

/** Long machine strings (a transaction's hex in a node's refusal) shortened in the middle; the whole text stays copyable. */
function shortenLongTokens(text: string): string {
  return text.replace(/\b(0x)?[0-9a-fA-F]{40,}\b/g, (token) => `${token.slice(0, 10)}…${token.slice(-6)}`);
}

/**
 * The engine's refusal in the officer's words: what happened, what to do, the fields it concerns; the
 * code stays in a small line for support (and an attribute for tests).
 */
export function ErrorState({ error, onRetry, showFields = true }: { error: AppError; onRetry?: () => void; showFields?: boolean }) {
  const refusal = explainRefusal(error);
  const [copied, setCopied] = useState(false);
  const fields = Object.entries(refusal.fields).filter(([, sentence]) => sentence !== refusal.message);
  const shortened = shortenLongTokens(refusal.message);
  return (
    <div className="state state--error" role="alert" data-code={error.code}>
      <div className="state__body">
        <strong className="state__message">{shortened}</strong>
        {showFields && fields.length > 0 && (
          <ul className="state__fields">
            {fields.map(([path, sentence]) => (
              <li key={path}>{path === '' || sentence.toLowerCase().includes(fieldLabel(path).toLowerCase()) ? sentence : `${fieldLabel(path)}: ${sentence}`}</li>
            ))}
          </ul>
        )}
        {refusal.advice && <p className="state__advice">{refusal.advice}</p>}
        <small className="state__reference">
          Reference for support: {refusal.reference}
          {shortened !== refusal.message && (
            <button
              type="button"
              className="link"
              onClick={() => {
                void navigator.clipboard?.writeText(error.message);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy the full text'}
            </button>
          )}
        </small>
      </div>
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
