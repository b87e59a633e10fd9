import type { WalletStatus } from '@shared/domain/wallets';

/** "Suspended" is the stored state; officers call it disabled. */
const WORDS: Record<WalletStatus, string> = { active: 'active', suspended: 'disabled', closed: 'closed' };

export function StatusBadge({ status }: { status: WalletStatus }) {
  return <span className={`badge badge--${status}`}>{WORDS[status]}</span>;
}
