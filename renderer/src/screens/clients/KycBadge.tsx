import type { KycStatus } from '@shared/domain/clients';

const TONE: Record<KycStatus, string> = {
  draft: 'badge',
  submitted: 'badge badge--pending',
  verified: 'badge badge--active',
  rejected: 'badge badge--short',
  suspended: 'badge badge--suspended',
};

export function KycBadge({ status }: { status: KycStatus }) {
  return (
    <span className={TONE[status]} style={{ marginLeft: 0 }} data-testid="kyc-status">
      KYC {status}
    </span>
  );
}
