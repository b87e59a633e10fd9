import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TransferView } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import { treasury } from '../../api';
import { transferName } from '../../words/names';
import { Amount } from '../../components/Amount';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';
import { usePagedList } from '../../store/paged-list';
import { useWalletLabel } from '../../store/names';

const ROW_HEIGHT = 40;
const PAGE = 500;

const KIND_LABELS: Record<TransferView['kind'], string> = {
  posted: '',
  pending: 'held until sent',
  post_pending: 'sent',
  void_pending: 'hold released',
};

const KIND_HINTS: Partial<Record<TransferView['kind'], string>> = {
  pending: 'The amount is held from the available balance while the withdrawal waits for approval, signature and sending.',
  post_pending: 'The held amount was booked when the withdrawal was sent: it was held first, then sent.',
  void_pending: 'The withdrawal did not go out: its hold was released back to the available balance.',
};

// One formatter for every row: building Intl formatters per row costs frames while scrolling.
const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** Ledger counterparty codes read as "kind:chain:symbol[:wallet]"; show what an officer recognises. */
function Counterparty({ code }: { code: string }) {
  const [kind, , , walletId] = code.split(':');
  const label = useWalletLabel(kind === 'client_wallet' && walletId ? walletId : null);
  if (kind === 'client_wallet' && walletId) return <span title={walletId}>{label ?? 'client wallet'}</span>;
  return <span>{(kind ?? code).replace(/_/g, ' ')}</span>;
}

/**
 * Chain transactions behind this wallet's movements (deposits and withdrawals), by the cause id the
 * ledger records, so a history row can link to the explorer.
 */
function useChainTransactions(walletId: string, version: number): Map<string, string> {
  const [hashes, setHashes] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    void Promise.all([treasury.wallets.deposits({ walletId, limit: 500 }), treasury.withdrawals.list({ walletId, limit: 500 })]).then(([deposits, withdrawals]) => {
      const next = new Map<string, string>();
      if (deposits.ok) for (const d of deposits.data.items) next.set(`deposit:${d.id}`, d.txHash);
      if (withdrawals.ok) for (const w of withdrawals.data.items) if (w.txHash) next.set(`withdrawal:${w.id}`, w.txHash);
      setHashes(next);
    });
  }, [walletId, version]);
  return hashes;
}

/** One asset's history of a wallet, newest first, paged by cursor and virtualized. */
export function TransferHistory({ wallet, version, explorerUrl }: { wallet: WalletView; version: number; explorerUrl?: string }) {
  const txHashes = useChainTransactions(wallet.id, version);
  const assets = useAssets((s) => s.list).filter((a) => a.chain === wallet.chain);
  const withBalance = wallet.balances.find((b) => b.posted !== '0' || b.pending !== '0')?.assetId;
  // Until the officer picks an asset, show the first one that has movements (it may change as they arrive).
  const [picked, setPicked] = useState<string | null>(null);
  const assetId = picked ?? withBalance ?? assets[0]?.id ?? '';

  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card__head">
        <h3 id="history-title">History</h3>
        <div className="segmented" role="tablist" aria-label="Asset">
          {assets.map((asset) => (
            <button
              key={asset.id}
              type="button"
              role="tab"
              aria-selected={asset.id === assetId}
              className={asset.id === assetId ? 'segmented__item segmented__item--on' : 'segmented__item'}
              onClick={() => setPicked(asset.id)}
              data-testid={`history-asset-${asset.id}`}
            >
              {asset.symbol}
            </button>
          ))}
        </div>
      </div>
      {assetId && <HistoryRows key={assetId} walletId={wallet.id} assetId={assetId} version={version} txHashes={txHashes} explorerUrl={explorerUrl} />}
    </section>
  );
}

function HistoryRows(props: { walletId: string; assetId: string; version: number; txHashes: Map<string, string>; explorerUrl?: string }) {
  const { walletId, assetId, version, txHashes, explorerUrl } = props;
  const history = usePagedList<TransferView>(`${walletId}|${assetId}|${version}`, (cursor) =>
    treasury.transfers.history({ walletId, assetId, cursor, limit: PAGE }),
  );
  const scroller = useRef<HTMLDivElement>(null);
  // One row per withdrawal: a hold that was since sent or released shows only as that later row.
  const settled = new Set(history.items.filter((t) => t.pendingId !== null && t.kind !== 'pending').map((t) => t.pendingId));
  const items = history.items.filter((t) => !(t.kind === 'pending' && settled.has(t.id)));
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  const { hasMore, loadMore } = history;
  useEffect(() => {
    if (last && last.index >= items.length - 60 && hasMore) loadMore();
  }, [last, items.length, hasMore, loadMore]);

  if (history.loading) return <Loading what="history" />;
  if (history.error && items.length === 0) return <ErrorState error={history.error} onRetry={history.reload} />;
  if (items.length === 0) {
    return <EmptyState title="No movements in this asset yet">Deposits, transfers and credits appear here as the ledger records them.</EmptyState>;
  }
  return (
    <div className="table-frame table-frame--history" role="table" aria-label="Wallet history" data-testid="history-table">
      <div className="vrow vrow--head history-row" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader">Movement</span>
        <span role="columnheader">Counterparty</span>
        <span role="columnheader">Transaction / memo</span>
        <span role="columnheader" className="num">
          Amount
        </span>
      </div>
      <div ref={scroller} className="vscroll vscroll--history" tabIndex={0} aria-label="History rows, scroll with arrow keys" data-testid="history-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const transfer = items[row.index]!;
            return (
              <div
                key={transfer.id}
                role="row"
                className="vrow history-row"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                data-testid="history-row"
              >
                <span role="cell" className="muted nowrap">
                  {TIME.format(new Date(transfer.createdAt))}
                </span>
                <span role="cell">
                  {transferName(transfer.code)}
                  {KIND_LABELS[transfer.kind] && (
                    <span className="badge badge--pending" title={KIND_HINTS[transfer.kind]}>
                      {KIND_LABELS[transfer.kind]}
                    </span>
                  )}
                  {transfer.reversesId && <span className="badge">reverses #{transfer.reversesId}</span>}
                </span>
                <span role="cell" className="ellipsis muted">
                  <Counterparty code={transfer.counterparty} />
                </span>
                <span role="cell" className="ellipsis" title={transfer.memo ?? undefined}>
                  <ChainLink hash={transfer.cause ? txHashes.get(`${transfer.cause.type}:${transfer.cause.id}`) : undefined} explorerUrl={explorerUrl} />
                  {transfer.memo ?? (transfer.cause && txHashes.has(`${transfer.cause.type}:${transfer.cause.id}`) ? null : <span className="muted">—</span>)}
                </span>
                <span role="cell" className="num">
                  <Amount value={transfer.amount} assetId={transfer.assetId} signed={transfer.direction} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div className="table-foot muted" aria-live="polite">
        {items.length.toLocaleString()} movement{items.length === 1 ? '' : 's'} loaded
        {history.loadingMore ? ' · loading more…' : hasMore ? ' · scroll for older' : ' · start of history'}
        {history.error && <span className="bad"> · {history.error.message}</span>}
      </div>
    </div>
  );
}


function ChainLink({ hash, explorerUrl }: { hash: string | undefined; explorerUrl?: string }) {
  if (!hash) return null;
  const short = `${hash.slice(0, 10)}…${hash.slice(-6)}`;
  return explorerUrl ? (
    <a href={`${explorerUrl}/tx/${hash}`} target="_blank" rel="noreferrer" title={hash} className="tx-link">
      <code>{short}</code> ↗
    </a>
  ) : (
    <code title={hash} className="tx-link" data-testid="history-tx">
      {short}
    </code>
  );
}
