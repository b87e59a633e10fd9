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
  'limit_exceeded',
  // clients, KYC and bank accounts (the same codes the shared validators and forms report)
  'invalid_tax_id',
  'invalid_phone',
  'invalid_email',
  'invalid_date',
  'invalid_date_of_birth',
  'underage',
  'id_document_expired',
  'holder_name_mismatch',
  'unknown_rail',
  'invalid_iban',
  'iban_not_sepa',
  'invalid_bic',
  'invalid_clabe',
  'invalid_routing_number',
  'invalid_account_number',
  'invalid_account_type',
  'invalid_pix_key_type',
  'invalid_pix_key',
  'invalid_cbu',
  'kyc_incomplete',
  // business clients (KYB)
  'invalid_registration_number',
  'beneficial_owner_not_verified',
  'ownership_over_100',
  'unsupported_file_type',
  'file_too_large',
  // ramp prerequisites
  'kyc_not_verified',
  'no_active_wallet',
  'no_verified_bank_account',
  'ramp_not_configured',
  // controls (electron/engine/controls): four eyes, KYC gates on money movements, whitelist time locks
  'maker_checker',
  'client_suspended',
  'recipient_kyc_not_verified',
  'recipient_not_allowed',
  'destination_pending_approval',
  'destination_time_locked',
  'velocity_exceeded',
  // fees: a deducted client fee larger than the amount; the company's own funds cannot pay a network fee
  'amount_below_fee',
  'fee_not_covered',
  // screening: a deny-listed destination, a client whose risk level allows only whitelisted destinations
  'screening_hit',
  'risk_level_restricted',
  // an approver approves an item once; its quorum needs others
  'already_approved',
  // a quorum larger than the operators who could ever reach it (active, allowed to approve, not the maker)
  'quorum_unreachable',
  // a destination not yet in the address book for the cool-off
  'destination_cooling_off',
  // the shared PostgreSQL server cannot be reached
  'database_unavailable',
  // a chain lease (one watcher per chain on a shared database) was lost: the holder stops working on that chain
  'lease_lost',
  // a database or data folder belongs to another network's workspace
  'wrong_network',
  // wallet lifecycle: a closed wallet receives and sends nothing; only an empty wallet closes
  'wallet_closed',
  'wallet_not_empty',
  // an alert can be acknowledged once
  'already_acknowledged',
  // the price feed answered something that is not a valid price list (nothing was recorded), or did not answer
  'price_feed_invalid',
  'price_feed_unavailable',
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
