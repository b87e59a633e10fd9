import type { ActivityType } from '@shared/domain/activity';
import type { WithdrawalState } from '@shared/domain/withdrawals';
import { WITHDRAWAL_STATE_LABELS } from '../screens/withdrawals/labels';

/** A credit the company asks for waits for a second operator (four eyes). */
const CREDIT_WORDS: Record<string, string> = { requested: 'Needs approval', approved: 'Booked', rejected: 'Rejected' };
const DEPOSIT_WORDS: Record<string, string> = { seen: 'Confirming', confirmed: 'Confirmed', swept: 'Swept', orphaned: 'Dropped by a reorg' };

/** A movement's state in words: the withdrawal queue's own words, a deposit's as the wallet page says it, otherwise the state said plainly. */
export function movementStatus(type: ActivityType, status: string): string {
  if (type === 'withdrawal') return WITHDRAWAL_STATE_LABELS[status as WithdrawalState] ?? status;
  if (type === 'deposit' && DEPOSIT_WORDS[status]) return DEPOSIT_WORDS[status];
  if (type === 'credit' && CREDIT_WORDS[status]) return CREDIT_WORDS[status];
  const text = status.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
