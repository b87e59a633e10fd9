import { useRef } from 'react';

/**
 * The idempotency key of one create dialog's opening: a double click or a retry after a timeout sends the
 * same key, and the engine answers the first result instead of creating twice. A new opening, a new key.
 */
export function useDialogKey(): string {
  return useRef(crypto.randomUUID()).current;
}
