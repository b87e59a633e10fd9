import type { WithdrawalView } from '@shared/domain/withdrawals';
import { Address } from '../../components/Address';
import { Amount } from '../../components/Amount';
import { useNativeAssetId } from './NetworkFee';

const HAPPY_PATH = ['requested', 'approved', 'signed', 'broadcast', 'confirmed'] as const;

/** Where a withdrawal is on its way and who moved it, with the chain's transaction hashes. */
export function WithdrawalTimeline({ withdrawal: w, explorerUrl }: { withdrawal: WithdrawalView; explorerUrl: string | undefined }) {
  const reached = HAPPY_PATH.indexOf(w.state as (typeof HAPPY_PATH)[number]);
  const ended = w.state === 'failed' || w.state === 'cancelled';
  const who: Record<string, string | null> = { requested: w.requestedBy, approved: w.approvedBy, signed: w.signedBy };
  const lastGood = ended ? Math.max(0, ...HAPPY_PATH.map((s, i) => (who[s] ? i : 0))) : reached;
  const native = useNativeAssetId(w.chain);
  return (
    <ol className="timeline" data-testid="withdrawal-timeline">
      {HAPPY_PATH.map((state, index) => {
        const done = index <= lastGood;
        return (
          <li key={state} className={done ? 'timeline__item' : 'timeline__item timeline__item--future'}>
            <span className="timeline__dot" aria-hidden />
            <div>
              <strong>{state}</strong>
              <div className="muted small">
                {done && who[state] ? `by ${who[state]}` : done ? '' : 'not yet'}
                {state === 'requested' && ` · ${new Date(w.createdAt).toLocaleString()}`}
                {state === 'approved' && !w.needsApproval && done && 'no second approval needed'}
                {state === 'confirmed' && done && w.feePaid !== null && native && (
                  <span data-testid="withdrawal-fee-paid">
                    network fee paid <Amount value={w.feePaid} assetId={native} />
                  </span>
                )}
                {state === 'broadcast' &&
                  w.txHashes.map((hash) => (
                    <div key={hash} className="timeline__tx">
                      <Address value={hash} />
                      {explorerUrl && (
                        <a href={`${explorerUrl}/tx/${hash}`} target="_blank" rel="noreferrer">
                          explorer ↗
                        </a>
                      )}
                    </div>
                  ))}
              </div>
            </div>
          </li>
        );
      })}
      {ended && (
        <li className="timeline__item timeline__item--failed">
          <span className="timeline__dot" aria-hidden />
          <div>
            <strong>{w.state}</strong>
            <div className="muted small">
              {w.failureReason ?? ''} · {new Date(w.updatedAt).toLocaleString()}
            </div>
          </div>
        </li>
      )}
    </ol>
  );
}
