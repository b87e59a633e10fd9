import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { treasury } from '../api';
import { ActionWithNote } from '../components/ActionWithNote';
import { useAssets } from '../store/assets';
import { amountInWords } from '../words/amounts';
import { explainRefusal } from '../words/refusals';

/**
 * "Reclaim gas change" for a chain: the coins the gas tank left at deposit addresses after their sweeps go back to
 * the tank, from each address whose change is worth more than the fee of sending it. Says in words what it did.
 */
export function ReclaimGasButton({ chain, nativeAssetId, onPlanned }: { chain: Chain; nativeAssetId: string; onPlanned?: () => void }) {
  const native = useAssets((st) => st.byId[nativeAssetId]);

  async function reclaim() {
    const result = await treasury.sweeps.reclaimGasChange({ chain });
    if (!result.ok) return { text: explainRefusal(result.error).message, bad: true };
    const { planned, tooSmall, busy } = result.data;
    const total = planned.reduce((sum, p) => sum + BigInt(p.amount), 0n);
    const parts: string[] = [];
    if (planned.length > 0) {
      const amount = native ? ` (${amountInWords(total, native)}, less the network fees)` : '';
      parts.push(`${planned.length} ${planned.length === 1 ? 'address sends its' : 'addresses send their'} gas change back to the tank${amount}.`);
      onPlanned?.();
    }
    if (busy > 0) parts.push(`${busy} ${busy === 1 ? 'address is' : 'addresses are'} being swept; try again after.`);
    if (tooSmall > 0) parts.push(`${tooSmall} ${tooSmall === 1 ? 'address holds' : 'addresses hold'} too little to be worth the fee.`);
    return { text: parts.length > 0 ? parts.join(' ') : `No gas change to reclaim on ${CHAIN_LABELS[chain]}.`, bad: false };
  }

  return <ActionWithNote label="Reclaim gas change" testId={`gas-tank-${chain}-reclaim`} run={reclaim} />;
}
