import { useState, type FormEvent } from 'react';
import type { BalanceExplanation, LiabilityProofView } from '@shared/domain/audit';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Amount } from '../components/Amount';
import { ErrorState } from '../components/States';
import { useAssets } from '../store/assets';
import { SignedAmount } from './Audit';
import { assetName, transferName } from '../words/names';
import { WalletPicker } from '../components/WalletPicker';

/** A client balance explained entry by entry from zero, with each entry's audit record and chain transaction. */
export function AuditExplain() {
  const assets = useAssets((s) => s.list);
  const [walletId, setWalletId] = useState('');
  const [assetId, setAssetId] = useState('');
  const [chain, setChain] = useState<string | null>(null);
  const [explanation, setExplanation] = useState<BalanceExplanation | null>(null);
  const [proof, setProof] = useState<LiabilityProofView | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  async function explain(event: FormEvent, cursor?: string) {
    event.preventDefault();
    setError(null);
    const result = await treasury.audit.explainBalance({ walletId: walletId.trim(), assetId, limit: 200, ...(cursor ? { cursor } : {}) });
    if (result.ok) setExplanation(result.data);
    else setError(result.error);
  }

  async function loadProof() {
    setError(null);
    const result = await treasury.audit.liabilityProof({ walletId: walletId.trim(), assetId });
    if (result.ok) setProof(result.data);
    else setError(result.error);
  }

  return (
    <section className="card">
      <h2>Explain a balance</h2>
      <form className="toolbar" onSubmit={(e) => void explain(e)}>
        <div style={{ flex: 2 }}>
          <WalletPicker
            value={walletId}
            onChange={(wallet) => {
              setWalletId(wallet?.id ?? '');
              // The wallet's own chain decides which assets make sense.
              if (wallet && !assetId.startsWith(`${wallet.chain}:`)) setAssetId('');
              setChain(wallet?.chain ?? null);
            }}
            testId="audit-explain-wallet"
          />
        </div>
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} required data-testid="audit-explain-asset">
            <option value="">Choose…</option>
            {assets.filter((a) => chain === null || a.chain === chain).map((a) => (
              <option key={a.id} value={a.id}>
                {assetName(a)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!walletId || !assetId} title={!walletId ? 'Choose a wallet first.' : !assetId ? 'Choose an asset first.' : undefined}>
          Explain
        </button>
        <button type="button" onClick={() => void loadProof()} disabled={!walletId || !assetId} title={!walletId || !assetId ? 'Choose a wallet and an asset first.' : undefined}>
          Inclusion proof
        </button>
      </form>
      {error && <ErrorState error={error} />}
      {proof && (
        <p className={proof.valid ? 'ok' : 'bad'} data-testid="audit-proof">
          Liability proof {proof.valid ? 'checks' : 'does NOT check'}: balance <Amount value={proof.leaf.balance} assetId={proof.assetId} /> is included in root{' '}
          <code>{proof.root.hash.slice(0, 24)}…</code> (total <Amount value={proof.root.total} assetId={proof.assetId} />, {proof.root.leaves} {proof.root.leaves === 1 ? 'client' : 'clients'}, {proof.path.length} {proof.path.length === 1 ? 'level' : 'levels'}).
        </p>
      )}
      {explanation && (
        <>
          <p>
            Opening <SignedAmount value={explanation.opening.posted} assetId={explanation.assetId} />; the ledger keeps{' '}
            <Amount value={explanation.materialized.posted} assetId={explanation.assetId} />
            {explanation.explained === true && <span className="ok"> — the entries add up to it.</span>}
            {explanation.explained === false && <strong className="bad"> — the entries do NOT add up to it.</strong>}
          </p>
          <table data-testid="audit-explanation">
            <thead>
              <tr>
                <th>Transfer</th>
                <th>Time</th>
                <th>What</th>
                <th className="num">Amount</th>
                <th className="num">Balance after</th>
                <th>Audit record</th>
                <th>Chain</th>
              </tr>
            </thead>
            <tbody>
              {explanation.entries.map((e) => (
                <tr key={e.transferId}>
                  <td className="num">{e.transferId}</td>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td>
                    {transferName(e.code)} ({e.kind === 'post_pending' ? 'sent' : e.kind === 'void_pending' ? 'hold released' : e.kind === 'pending' ? 'held' : 'posted'}){e.memo ? ` — ${e.memo}` : ''}
                  </td>
                  <td className="num">
                    <Amount value={e.amount} assetId={explanation.assetId} signed={e.direction} />
                  </td>
                  <td className="num">
                    <SignedAmount value={e.postedAfter} assetId={explanation.assetId} />
                    {e.pendingAfter !== '0' && (
                      <div>
                        held <SignedAmount value={e.pendingAfter} assetId={explanation.assetId} />
                      </div>
                    )}
                  </td>
                  <td>{e.auditSeq ?? <span className="bad">none</span>}</td>
                  <td>
                    {e.chainLink ? (
                      e.chainLink.explorerUrl ? (
                        <a href={e.chainLink.explorerUrl} target="_blank" rel="noreferrer">
                          {e.chainLink.txHash.slice(0, 12)}…
                        </a>
                      ) : (
                        <code title={e.chainLink.txHash}>{e.chainLink.txHash.slice(0, 12)}…</code>
                      )
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {explanation.nextCursor && (
            <button type="button" onClick={(e) => void explain(e, explanation.nextCursor!)}>
              Next entries
            </button>
          )}
        </>
      )}
    </section>
  );
}
