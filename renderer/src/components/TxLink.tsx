import type { Chain } from '@shared/domain/chains';

/** Tronscan (its base URL ends in /#) names a transaction page /transaction/, the EVM ones (Etherscan family) /tx/. */
export function explorerTxUrl(explorerUrl: string, chain: Chain, hash: string): string {
  return `${explorerUrl.replace(/\/+$/, '')}${chain === 'tron' ? '/transaction/' : '/tx/'}${hash}`;
}

/** A transaction hash, shortened in the middle, linked to the network's explorer where the workspace has one. */
export function TxLink({ chain, hash, explorerUrl, testId }: { chain: Chain; hash: string; explorerUrl?: string | null; testId?: string }) {
  const short = hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
  return explorerUrl ? (
    <a href={explorerTxUrl(explorerUrl, chain, hash)} target="_blank" rel="noreferrer" title={`${hash} — open in the explorer`} className="tx-link" data-testid={testId}>
      <code>{short}</code> ↗
    </a>
  ) : (
    <code title={hash} className="tx-link" data-testid={testId}>
      {short}
    </code>
  );
}
