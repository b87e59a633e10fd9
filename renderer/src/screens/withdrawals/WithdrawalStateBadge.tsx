import type { WithdrawalState } from '@shared/domain/withdrawals';
import { WITHDRAWAL_STATE_LABELS, WITHDRAWAL_STATE_TONE } from './labels';

export function WithdrawalStateBadge({ state }: { state: WithdrawalState }) {
  return (
    <span className={WITHDRAWAL_STATE_TONE[state]} style={{ marginLeft: 0 }} data-testid="withdrawal-state">
      {WITHDRAWAL_STATE_LABELS[state]}
    </span>
  );
}
