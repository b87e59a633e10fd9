import type { ErrorCode } from '@shared/result';

/**
 * Refusals of the controls (four eyes, KYC gates, whitelist locks): the dispatcher writes each to the
 * audit log as `control.refused`, after the refused transaction rolled back, so an auditor sees every
 * attempt and which rule stopped it.
 */
const CONTROL_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'maker_checker',
  'kyc_not_verified',
  'client_suspended',
  'recipient_kyc_not_verified',
  'recipient_not_allowed',
  'destination_pending_approval',
  'destination_time_locked',
  'velocity_exceeded',
  'screening_hit',
  'risk_level_restricted',
  'already_approved',
  'quorum_unreachable',
  'destination_cooling_off',
  // the per-wallet limits are controls too (withdraw/withdrawal-policy.ts); the asset-wide ones share the code
  'limit_exceeded',
]);

export function isControlRefusal(code: string): boolean {
  return CONTROL_CODES.has(code);
}
