/**
 * Failures cross every boundary (IPC, HTTP host) as data: Electron keeps only an error's message,
 * so the engine never throws across it. `code` is stable and machine-readable; `message` is for people.
 */
export const ERROR_CODES = [
  'validation',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'locked',
  'insufficient_funds',
  'insufficient_holding',
  'inactive_wallet',
  'asset_mismatch',
  'idempotency_conflict',
  'invalid_address',
  'invalid_amount',
  'chain_unavailable',
  'device',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): Result<never> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/** Thrown inside the engine; turned into a `Result` failure at the api boundary. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
