import { useRef, useState } from 'react';
import type { AppError, Result } from '@shared/result';

/**
 * One movement form's submission. The idempotency key is made when the form opens and reused when the
 * same content is sent again (a retry after a timeout cannot pay twice); changed content is a new
 * submission and gets a new key.
 */
export function useSubmission<T>() {
  const key = useRef<string>(crypto.randomUUID());
  const sentContent = useRef<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function submit(content: unknown, send: (idempotencyKey: string) => Promise<Result<T>>): Promise<T | null> {
    const fingerprint = JSON.stringify(content);
    if (sentContent.current !== null && sentContent.current !== fingerprint) key.current = crypto.randomUUID();
    sentContent.current = fingerprint;
    setPending(true);
    setError(null);
    try {
      const result = await send(key.current);
      if (result.ok) return result.data;
      setError(result.error);
      return null;
    } finally {
      setPending(false);
    }
  }

  /** A refusal is about what was sent: once the officer edits the form it no longer applies. */
  const clearError = () => setError(null);

  return { submit, pending, error, clearError, idempotencyKey: () => key.current };
}
