import type { KycStatus } from '@shared/domain/clients';

const TONE: Record<KycStatus, string> = {
  draft: 'badge',
  submitted: 'badge badge--pending',
  verified: 'badge badge--active',
  rejected: 'badge badge--short',
  suspended: 'badge badge--suspended',
};

export function KycBadge({ status, testId = 'kyc-status' }: { status: KycStatus; testId?: string }) {
  return (
    <span className={TONE[status]} style={{ marginLeft: 0 }} data-testid={testId}>
      KYC {status}
    </span>
  );
}
