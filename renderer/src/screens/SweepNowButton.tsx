import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { treasury } from '../api';
import { ActionWithNote } from '../components/ActionWithNote';
import { explainRefusal } from '../words/refusals';

/**
 * An officer's "Sweep now" for a chain, or for one wallet on it: every asset's confirmed, unswept deposits,
 * however small. Says in words what it planned.
 */
export function SweepNowButton({ chain, walletId, testId, onPlanned }: { chain: Chain; walletId?: string; testId: string; onPlanned?: () => void }) {
  const where = walletId ? 'at this address' : `on ${CHAIN_LABELS[chain]}`;

  async function sweep() {
    const result = await treasury.sweeps.sweepChain(walletId ? { chain, walletId } : { chain });
    if (!result.ok) return { text: explainRefusal(result.error).message, bad: true };
    const n = result.data.length;
    if (n > 0) onPlanned?.();
    return { text: n === 0 ? `Nothing to sweep ${where} right now.` : `${n} ${n === 1 ? 'sweep' : 'sweeps'} planned ${where}.`, bad: false };
  }

  return <ActionWithNote label="Sweep now" testId={testId} run={sweep} />;
}
