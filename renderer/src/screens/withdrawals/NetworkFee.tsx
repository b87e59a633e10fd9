import { useEffect, useState } from 'react';
import type { WithdrawalFeeEstimate, WithdrawalView } from '@shared/domain/withdrawals';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';
import { useAssets } from '../../store/assets';

const BEFORE_SENDING = new Set(['requested', 'approved', 'signed']);

/** The chain's native coin, which pays every withdrawal's network fee. */
export function useNativeAssetId(chain: WithdrawalView['chain']): string | null {
  return useAssets((s) => s.list.find((a) => a.chain === chain && a.contract === null)?.id ?? null);
}

/**
 * The network fee as a Details row: before the withdrawal is sent, the chain's quote (the most it pays, in
 * the native coin); once mined, what it paid.
 */
export function NetworkFee({ withdrawal: w }: { withdrawal: WithdrawalView }) {
  const native = useNativeAssetId(w.chain);
  const [estimate, setEstimate] = useState<WithdrawalFeeEstimate | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const quoting = BEFORE_SENDING.has(w.state);

  useEffect(() => {
    if (!quoting) return;
    let live = true;
    void treasury.withdrawals.feeEstimate({ withdrawalId: w.id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setEstimate(result.data);
        setProblem(null);
      } else setProblem(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [w.id, quoting]);

  let value;
  if (w.feePaid !== null && native) {
    value = (
      <>
        <Amount value={w.feePaid} assetId={native} /> paid
      </>
    );
  } else if (quoting && estimate) {
    value = (
      <>
        up to <Amount value={estimate.maxFee} assetId={estimate.assetId} /> <span className="muted small">at today’s fees, quoted {new Date(estimate.quotedAt).toLocaleTimeString()}</span>
      </>
    );
  } else if (quoting && problem) {
    value = <span className="muted">No quote right now: {problem}</span>;
  } else if (quoting) {
    value = <span className="muted">Asking the chain…</span>;
  } else {
    value = <span className="muted">{w.state === 'broadcast' ? 'known once mined' : '—'}</span>;
  }
  return (
    <>
      <dt>Network fee</dt>
      <dd data-testid="withdrawal-network-fee">{value}</dd>
    </>
  );
}
