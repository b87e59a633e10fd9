import type { WalletStatus } from '@shared/domain/wallets';

export function StatusBadge({ status }: { status: WalletStatus }) {
  return <span className={`badge badge--${status}`}>{status}</span>;
}
