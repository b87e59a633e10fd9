import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { CHAINS, CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import { WALLET_STATUSES, type WalletStatus, type WalletView } from '@shared/domain/wallets';
import { treasury } from '../../api';
import { Address } from '../../components/Address';
import { ClientName } from '../../components/ClientName';
import { Amount } from '../../components/Amount';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { usePagedList } from '../../store/paged-list';
import { useWalletScreen } from '../../store/wallets';
import { CreateWalletDialog } from './CreateWalletDialog';
import { StatusBadge } from './StatusBadge';

const ROW_HEIGHT = 52;
const PAGE = 200;

/** Every virtual wallet across chains, filtered in the engine, paged by cursor and virtualized. */
export function WalletList() {
  const { filters, filter, open } = useWalletScreen();
  const [searchText, setSearchText] = useState(filters.search);
  const [creating, setCreating] = useState(false);

  // The engine searches; wait for a pause in typing before asking it.
  useEffect(() => {
    const timer = setTimeout(() => filter({ search: searchText.trim() }), 250);
    return () => clearTimeout(timer);
  }, [searchText, filter]);

  const key = JSON.stringify(filters);
  const wallets = usePagedList<WalletView>(key, (cursor) =>
    treasury.wallets.list({
      chain: filters.chain || undefined,
      status: filters.status || undefined,
      search: filters.search || undefined,
      cursor,
      limit: PAGE,
    }),
  );
  const filtered = filters.chain !== '' || filters.status !== '' || filters.search !== '';

  return (
    <div className="stack stack--fill">
      <div className="toolbar" role="search">
        <label className="field field--grow">
          <span>Search label or address</span>
          <input
            type="search"
            value={searchText}
            placeholder="e.g. ACME payroll or 0x71c…"
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="wallets-search"
          />
        </label>
        <label className="field">
          <span>Chain</span>
          <select value={filters.chain} onChange={(e) => filter({ chain: e.target.value as Chain | '' })} data-testid="wallets-filter-chain">
            <option value="">All chains</option>
            {CHAINS.map((chain) => (
              <option key={chain} value={chain}>
                {CHAIN_LABELS[chain]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select
            value={filters.status}
            onChange={(e) => filter({ status: e.target.value as WalletStatus | '' })}
            data-testid="wallets-filter-status"
          >
            <option value="">Any status</option>
            {WALLET_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setCreating(true)} data-testid="wallets-new">
          New wallet
        </button>
      </div>

      {wallets.error && <ErrorState error={wallets.error} onRetry={wallets.reload} />}
      {wallets.loading ? (
        <Loading what="wallets" />
      ) : wallets.items.length === 0 && !wallets.error ? (
        filtered ? (
          <EmptyState title="No wallet matches these filters">Clear the search or pick another chain or status.</EmptyState>
        ) : (
          <EmptyState title="No wallets yet">
            Create a deposit wallet for a client on Polygon, BNB Chain or Tron with <strong>New wallet</strong>.
          </EmptyState>
        )
      ) : (
        <WalletTable wallets={wallets.items} hasMore={wallets.hasMore} loadingMore={wallets.loadingMore} onNeedMore={wallets.loadMore} onOpen={open} />
      )}

      {creating && (
        <CreateWalletDialog
          onClose={() => setCreating(false)}
          onCreated={(wallet) => {
            setCreating(false);
            open(wallet.id);
          }}
        />
      )}
    </div>
  );
}

function WalletTable(props: { wallets: WalletView[]; hasMore: boolean; loadingMore: boolean; onNeedMore(): void; onOpen(id: string): void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: props.wallets.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  useEffect(() => {
    if (last && last.index >= props.wallets.length - 40 && props.hasMore) props.onNeedMore();
  }, [last, props]);

  // Arrow keys move a roving focus through rows that may not be rendered yet.
  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(props.wallets.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent, index: number, id: string) => {
    if (e.key === 'ArrowDown') focusRow(index + 1);
    else if (e.key === 'ArrowUp') focusRow(index - 1);
    else if (e.key === 'Home') focusRow(0);
    else if (e.key === 'End') focusRow(props.wallets.length - 1);
    else if (e.key === 'PageDown') focusRow(index + 10);
    else if (e.key === 'PageUp') focusRow(index - 10);
    else if (e.key === 'Enter' || e.key === ' ') props.onOpen(id);
    else return;
    e.preventDefault();
  };

  return (
    <div className="table-frame" role="table" aria-label="Wallets" aria-rowcount={props.wallets.length} data-testid="wallets-table">
      <div className="vrow vrow--head wallet-row" role="row">
        <span role="columnheader">Label</span>
        <span role="columnheader">Client</span>
        <span role="columnheader">Chain</span>
        <span role="columnheader">Deposit address</span>
        <span role="columnheader">Status</span>
        <span role="columnheader" className="num">
          Available
        </span>
      </div>
      {/* As tall as its rows, up to the window (the class caps it): a short list leaves room for what follows. */}
      <div ref={scroller} className="vscroll vscroll--fit" style={{ height: virtualizer.getTotalSize() }} data-testid="wallets-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {rows.map((row) => {
            const wallet = props.wallets[row.index]!;
            return (
              <div
                key={wallet.id}
                role="row"
                data-index={row.index}
                tabIndex={row.index === active ? 0 : -1}
                className="vrow wallet-row vrow--link"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                onClick={() => props.onOpen(wallet.id)}
                onFocus={() => setActive(row.index)}
                onKeyDown={(e) => onKeyDown(e, row.index, wallet.id)}
                data-testid="wallet-row"
              >
                <span role="cell" className="ellipsis" title={wallet.label}>
                  <strong>{wallet.label}</strong>
                </span>
                <span role="cell" className="ellipsis">
                  <ClientName clientId={wallet.clientId} />
                </span>
                <span role="cell">{CHAIN_LABELS[wallet.chain]}</span>
                <span role="cell" className="ellipsis">
                  <Address value={wallet.address} copy={false} />
                </span>
                <span role="cell">
                  <StatusBadge status={wallet.status} />
                </span>
                <span role="cell" className="num balances-cell">
                  {wallet.balances.filter((b) => b.posted !== '0' || b.pending !== '0').length === 0 ? (
                    <span className="muted">no balance</span>
                  ) : (
                    wallet.balances
                      .filter((b) => b.posted !== '0' || b.pending !== '0')
                      .map((b) => <Amount key={b.assetId} value={b.available} assetId={b.assetId} />)
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <div className="table-foot muted" aria-live="polite">
        {props.wallets.length.toLocaleString()} wallet{props.wallets.length === 1 ? '' : 's'} loaded
        {props.loadingMore ? ' · loading more…' : props.hasMore ? ' · scroll for more' : ''}
      </div>
    </div>
  );
}
