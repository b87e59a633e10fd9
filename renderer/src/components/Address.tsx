import { useState } from 'react';

/**
 * An address or hash on one line, monospace, shortened in the middle only when it does not fit (the text
 * itself stays whole for copy and find), with a copy button.
 */
export function Address({ value, testId, className, copy = true }: { value: string; testId?: string; className?: string; copy?: boolean }) {
  const [copied, setCopied] = useState(false);
  const tail = value.length > 12 ? value.slice(-6) : '';
  const head = tail ? value.slice(0, -6) : value;
  return (
    <span className="addr">
      <code className={`addr__text${className ? ` ${className}` : ''}`} title={value} data-testid={testId}>
        <span className="addr__head">{head}</span>
        {tail && <span className="addr__tail">{tail}</span>}
      </code>
      {copy && (
        <button
          type="button"
          className="addr__copy ghost"
          aria-label="Copy the address"
          title={copied ? 'Copied' : 'Copy'}
          onClick={(e) => {
            e.stopPropagation();
            void navigator.clipboard?.writeText(value);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? (
            '✓'
          ) : (
            <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
              <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
              <path d="M3 11V3a1 1 0 0 1 1-1h7" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          )}
        </button>
      )}
    </span>
  );
}
