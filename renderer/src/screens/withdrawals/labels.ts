import type { WithdrawalKind, WithdrawalState } from '@shared/domain/withdrawals';

export const WITHDRAWAL_STATE_LABELS: Record<WithdrawalState, string> = {
  requested: 'Awaiting approval',
  approved: 'Ready to sign',
  signed: 'Signed',
  broadcast: 'Broadcast',
  confirmed: 'Confirmed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const WITHDRAWAL_STATE_TONE: Record<WithdrawalState, string> = {
  requested: 'badge badge--suspended',
  approved: 'badge badge--pending',
  signed: 'badge badge--pending',
  broadcast: 'badge badge--pending',
  confirmed: 'badge badge--active',
  failed: 'badge badge--short',
  cancelled: 'badge badge--closed',
};

export const WITHDRAWAL_KIND_LABELS: Record<WithdrawalKind, string> = {
  client: 'Client',
  company: 'Company',
  offramp: 'Off-ramp',
};
