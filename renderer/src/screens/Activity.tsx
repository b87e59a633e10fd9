import { useMemo, useRef, useState } from 'react';
import { ACTIVITY_TYPE_LABELS, ACTIVITY_TYPES, type ActivityFilter, type ActivityItem, type ActivityType } from '@shared/domain/activity';
import { CHAINS } from '@shared/domain/chains';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Amount } from '../components/Amount';
import { ClientPicker } from '../components/ClientPicker';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { TxLink } from '../components/TxLink';
import { VirtualTable } from '../components/VirtualTable';
import { WalletPicker } from '../components/WalletPicker';
import { downloadFile } from '../download';
import { useAssets } from '../store/assets';
import { useEngineEvents } from '../store/engine-events';
import { useNavigation } from '../store/navigation';
import { usePagedList } from '../store/paged-list';
import { useWalletScreen } from '../store/wallets';
import { useWithdrawalFocus } from '../store/withdrawal-focus';
import { movementStatus } from '../words/movements';
import { assetName, chainName } from '../words/names';
import { useConfiguration } from './wallets/WalletDetail';

/** The events after which the feed reads differently: every movement it lists raises one of them. */
const FEED_EVENTS = new Set(['deposit.seen', 'deposit.confirmed', 'sweep.status', 'withdrawal.status', 'ramp.status', 'balance.changed']);

/** A local calendar day (the date picker's value) as the UTC moment it starts. */
const dayStart = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

/**
 * Every money movement across the wallets, newest first: deposits, sweeps, withdrawals, internal transfers,
 * ramps and manual credits, filtered by date, type, chain or asset, client or wallet, with the whole filtered
 * view as CSV. Paged from the engine as it scrolls; read again when an engine event says something moved.
 */
export function Activity() {
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [type, setType] = useState<ActivityType | ''>('');
  const [where, setWhere] = useState('');
  const [clientId, setClientId] = useState('');
  const [walletId, setWalletId] = useState('');
  const [version, setVersion] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const assets = useAssets((s) => s.list);
  const configuration = useConfiguration();
  const go = useNavigation((s) => s.go);
  // A row opens where the movement is handled: a withdrawal in its queue, anything else on its wallet's page.
  const openRow = (item: ActivityItem) => {
    if (item.type === 'withdrawal') {
      useWithdrawalFocus.getState().open(item.sourceId);
      go('withdrawals');
    } else if (item.walletId) {
      useWalletScreen.getState().open(item.walletId);
      go('wallets');
    }
  };

  const filter = useMemo<ActivityFilter>(() => {
    const f: ActivityFilter = {};
    if (fromDay) f.from = dayStart(fromDay);
    if (toDay) f.to = dayStart(toDay, 1);
    if (type) f.types = [type];
    if (where.startsWith('chain:')) f.chain = where.slice(6) as ActivityFilter['chain'];
    if (where.startsWith('asset:')) f.assetId = where.slice(6);
    if (clientId) f.clientId = clientId;
    if (walletId) f.walletId = walletId;
    return f;
  }, [fromDay, toDay, type, where, clientId, walletId]);
  const list = usePagedList<ActivityItem>(`${JSON.stringify(filter)}|${version}`, (cursor) => treasury.activity.list({ ...filter, cursor, limit: 200 }));

  // Movements come in bursts (a block of deposits, a sweep's steps): one reading per burst.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEngineEvents((event) => {
    if (!FEED_EVENTS.has(event.type)) return;
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => setVersion((v) => v + 1), 400);
  });

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    const result = await treasury.activity.exportCsv(filter);
    setExporting(false);
    if (!result.ok) return setExportError(result.error);
    downloadFile(result.data.csv, result.data.fileName, 'text/csv');
    setExported(`${result.data.rows.toLocaleString()} ${result.data.rows === 1 ? 'movement' : 'movements'} saved as ${result.data.fileName}`);
  };

  const filtered = Object.keys(filter).length > 0;
  return (
    <div className="stack">
      <div className="toolbar activity-filters" data-testid="activity-filters">
        <label className="field">
          <span>From</span>
          <input type="date" value={fromDay} max={toDay || undefined} onChange={(e) => setFromDay(e.target.value)} data-testid="activity-from" />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" value={toDay} min={fromDay || undefined} onChange={(e) => setToDay(e.target.value)} data-testid="activity-to" />
        </label>
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as ActivityType | '')} data-testid="activity-type">
            <option value="">All movements</option>
            {ACTIVITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {ACTIVITY_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Chain or asset</span>
          <select value={where} onChange={(e) => setWhere(e.target.value)} data-testid="activity-asset">
            <option value="">All chains and assets</option>
            {CHAINS.map((chain) => (
              <optgroup key={chain} label={chainName(chain)}>
                <option value={`chain:${chain}`}>Everything on {chainName(chain)}</option>
                {assets
                  .filter((a) => a.chain === chain)
                  .map((a) => (
                    <option key={a.id} value={`asset:${a.id}`}>
                      {assetName(a)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <ClientPicker value={clientId} onChange={setClientId} label="Client" none="All clients" testId="activity-client" />
        <WalletPicker value={walletId} onChange={(w) => setWalletId(w?.id ?? '')} label="Wallet" none="All wallets" testId="activity-wallet" />
        <span className="spacer" />
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setFromDay('');
              setToDay('');
              setType('');
              setWhere('');
              setClientId('');
              setWalletId('');
            }}
            data-testid="activity-clear"
          >
            Clear filters
          </button>
        )}
        <button type="button" className="secondary" disabled={exporting || list.items.length === 0} title={list.items.length === 0 ? 'Nothing to export in this view' : 'Every movement of this view, not only the rows on screen'} onClick={() => void exportCsv()} data-testid="activity-export">
          {exporting ? 'Preparing…' : 'Export CSV'}
        </button>
      </div>
      {exported && (
        <p className="muted small" data-testid="activity-exported">
          {exported}
        </p>
      )}
      {exportError && <ErrorState error={exportError} />}
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.loading ? (
        <Loading what="activity" />
      ) : list.items.length === 0 && !list.error ? (
        <EmptyState title={filtered ? 'Nothing matches these filters' : 'No movements yet'}>
          {filtered ? 'Widen the dates or clear a filter.' : 'Deposits, sweeps, withdrawals, transfers, ramps and credits appear here as they happen.'}
        </EmptyState>
      ) : (
        <VirtualTable
          label="Activity"
          rows={list.items}
          rowKey={(r) => r.id}
          // The client and wallet names take the room left over: they were cut first at 1280 px.
          template="105px 130px minmax(170px, 2fr) minmax(120px, 1fr) 120px 140px 140px"
          columns={[
            {
              header: 'Date',
              cell: (r) => (
                <span className="two-line" title={new Date(r.at).toString()}>
                  <span>{new Date(r.at).toLocaleDateString(undefined, { dateStyle: 'medium' })}</span>
                  <span className="muted small">{new Date(r.at).toLocaleTimeString(undefined, { timeStyle: 'short' })}</span>
                </span>
              ),
            },
            { header: 'Type', cell: (r) => <strong data-testid="activity-type-cell">{ACTIVITY_TYPE_LABELS[r.type]}</strong> },
            { header: 'Client · wallet', cell: (r) => <ClientAndWallet item={r} /> },
            { header: 'Asset', cell: (r) => <AssetCell item={r} /> },
            { header: 'Amount', numeric: true, cell: (r) => (r.amount === null ? <span className="muted">not set yet</span> : <Amount value={r.amount} assetId={r.assetId} />) },
            { header: 'Status', cell: (r) => <span className="badge" style={{ marginLeft: 0 }}>{movementStatus(r.type, r.status)}</span> },
            { header: 'Transaction', cell: (r) => (r.txHash ? <TxLink chain={r.chain} hash={r.txHash} explorerUrl={configuration?.chains[r.chain].explorerUrl} /> : <span className="muted">—</span>) },
          ]}
          hasMore={list.hasMore}
          loadingMore={list.loadingMore}
          onNeedMore={list.loadMore}
          onOpen={openRow}
          noun={['movement', 'movements']}
          height="calc(100vh - 300px)"
          testId="activity-table"
          rowTestId="activity-row"
        />
      )}
    </div>
  );
}

function ClientAndWallet({ item }: { item: ActivityItem }) {
  const wallet = item.walletLabel ?? 'Unnamed wallet';
  const to = item.type === 'internal_transfer' && item.counterpartyWalletLabel ? ` → ${item.counterpartyWalletLabel}` : '';
  return (
    <span className="two-line" title={`${item.clientName ?? 'Company'} · ${wallet}${to}`}>
      {item.clientName ? <strong>{item.clientName}</strong> : <span className="muted">Company</span>}
      <span className="muted small">
        {wallet}
        {to}
      </span>
    </span>
  );
}

function AssetCell({ item }: { item: ActivityItem }) {
  const asset = useAssets((s) => s.byId[item.assetId]);
  return (
    <span>
      {asset?.symbol ?? '…'} <span className="muted">on {chainName(item.chain)}</span>
    </span>
  );
}
