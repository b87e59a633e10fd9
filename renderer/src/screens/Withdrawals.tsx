import { useCallback, useEffect, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import type { WithdrawalState, WithdrawalView } from '@shared/domain/withdrawals';
import type { AppError } from '@shared/result';
import { treasury } from '../api';
import { Address } from '../components/Address';
import { useWalletWithOwner } from '../store/names';
import { Amount } from '../components/Amount';
import { EntityHistory } from '../components/EntityHistory';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { VirtualTable } from '../components/VirtualTable';
import { ReasonDialog } from '../forms/ReasonDialog';
import { useEngineEvents } from '../store/engine-events';
import { usePagedList } from '../store/paged-list';
import { WITHDRAWAL_KIND_LABELS, WITHDRAWAL_STATE_LABELS } from './withdrawals/labels';
import { RequestWithdrawalDialog } from './withdrawals/RequestWithdrawalDialog';
import { SigningDialog } from './withdrawals/SigningDialog';
import { WithdrawalStateBadge } from './withdrawals/WithdrawalStateBadge';
import { WithdrawalTimeline } from './withdrawals/WithdrawalTimeline';
import { ConfirmationCounter } from './withdrawals/ConfirmationCounter';
import { useWithdrawalFocus } from '../store/withdrawal-focus';
import { NetworkFee } from './withdrawals/NetworkFee';

const QUEUES: Array<{ id: string; label: string; state?: WithdrawalState }> = [
  { id: 'requested', label: 'Awaiting approval', state: 'requested' },
  { id: 'approved', label: 'Ready to sign', state: 'approved' },
  { id: 'broadcast', label: 'Broadcast', state: 'broadcast' },
  { id: 'confirmed', label: 'Confirmed', state: 'confirmed' },
  { id: 'failed', label: 'Failed', state: 'failed' },
  { id: 'all', label: 'All' },
];

export function Withdrawals() {
  const [queue, setQueue] = useState('requested');
  const [selected, setSelected] = useState<string | null>(null);
  // The command palette opened one: show it, whatever the screen showed before.
  const focus = useWithdrawalFocus((s) => s.withdrawalId);
  useEffect(() => {
    if (!focus) return;
    setSelected(focus);
    useWithdrawalFocus.getState().taken();
  }, [focus]);
  const [requesting, setRequesting] = useState(false);
  const [version, setVersion] = useState(0);
  const [configuration, setConfiguration] = useState<Configuration | null>(null);
  useEffect(() => {
    void treasury.configuration.get({}).then((r) => r.ok && setConfiguration(r.data));
  }, []);
  const state = QUEUES.find((q) => q.id === queue)?.state;
  const list = usePagedList<WithdrawalView>(`${queue}|${version}`, (cursor) => treasury.withdrawals.list({ state, cursor, limit: 200 }));

  useEngineEvents((event) => {
    if (event.type === 'withdrawal.status') setVersion((v) => v + 1);
  });

  if (selected) {
    return (
      <WithdrawalDetail
        key={selected}
        withdrawalId={selected}
        onBack={() => {
          setSelected(null);
          setVersion((v) => v + 1);
        }}
      />
    );
  }

  return (
    <div className="stack">
      <div className="toolbar toolbar--center">
        <div className="segmented" role="tablist" aria-label="Queue">
          {QUEUES.map((q) => (
            <button
              key={q.id}
              type="button"
              role="tab"
              aria-selected={q.id === queue}
              className={q.id === queue ? 'segmented__item segmented__item--on' : 'segmented__item'}
              onClick={() => setQueue(q.id)}
              data-testid={`withdrawals-queue-${q.id}`}
            >
              {q.label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button type="button" onClick={() => setRequesting(true)} data-testid="withdrawals-new">
          New withdrawal
        </button>
      </div>
      {list.error && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.loading ? (
        <Loading what="withdrawals" />
      ) : list.items.length === 0 && !list.error ? (
        <EmptyState title={`Nothing ${queue === 'all' ? 'here' : `in “${QUEUES.find((q) => q.id === queue)?.label}”`}`}>
          Client withdrawals are requested here or from a wallet; company withdrawals from the Holding screen.
        </EmptyState>
      ) : (
        <VirtualTable
          label="Withdrawals"
          rows={list.items}
          rowKey={(w) => w.id}
          template="160px 80px minmax(120px, 1fr) minmax(160px, 1.4fr) minmax(160px, 1.2fr) 190px 120px"
          columns={[
            { header: 'Requested', cell: (w) => new Date(w.createdAt).toLocaleString() },
            { header: 'Kind', cell: (w) => WITHDRAWAL_KIND_LABELS[w.kind] },
            { header: 'Amount', numeric: true, cell: (w) => <Amount value={w.amount} assetId={w.assetId} /> },
            { header: 'Client wallet', cell: (w) => (w.walletId ? <WalletWithOwner walletId={w.walletId} /> : <span className="muted">company</span>) },
            { header: 'Destination', cell: (w) => <Address value={w.destination} copy={false} /> },
            {
              header: 'State',
              cell: (w) => (
                <span className="state-cell">
                  <WithdrawalStateBadge state={w.state} />
                  <ConfirmationCounter withdrawal={w} explorerUrl={configuration?.chains[w.chain].explorerUrl || undefined} />
                </span>
              ),
            },
            { header: 'Requested by', cell: (w) => w.requestedBy },
          ]}
          hasMore={list.hasMore}
          loadingMore={list.loadingMore}
          onNeedMore={list.loadMore}
          onOpen={(w) => setSelected(w.id)}
          noun={['withdrawal', 'withdrawals']}
          testId="withdrawals-table"
          rowTestId="withdrawal-row"
        />
      )}
      {requesting && (
        <RequestWithdrawalDialog
          onClose={() => setRequesting(false)}
          onDone={(w) => {
            setRequesting(false);
            setSelected(w.id);
          }}
        />
      )}
    </div>
  );
}

type Modal = 'sign' | 'cancel' | null;

function WithdrawalDetail({ withdrawalId, onBack }: { withdrawalId: string; onBack(): void }) {
  const [withdrawal, setWithdrawal] = useState<WithdrawalView | null>(null);
  const [configuration, setConfiguration] = useState<Configuration | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [pending, setPending] = useState(false);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    const result = await treasury.withdrawals.get({ withdrawalId });
    if (result.ok) setWithdrawal(result.data);
    else setError(result.error);
    setVersion((v) => v + 1);
  }, [withdrawalId]);
  useEffect(() => {
    void load();
    void treasury.configuration.get({}).then((r) => r.ok && setConfiguration(r.data));
  }, [load]);
  useEngineEvents((event) => {
    if (event.type === 'withdrawal.status' && event.withdrawalId === withdrawalId) void load();
  });

  const run = async (call: () => Promise<{ ok: boolean; error?: AppError }>) => {
    setPending(true);
    setError(null);
    const result = await call();
    setPending(false);
    if (!result.ok && result.error) setError(result.error);
    void load();
  };

  if (!withdrawal && error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!withdrawal) return <Loading what="withdrawal" />;
  const w = withdrawal;
  // The engine says what this operator may do now (role, state, four eyes): the requester gets no Approve or Sign.
  const allowed = new Set(w.allowedActions ?? []);
  const explorer = configuration?.chains[w.chain].explorerUrl || undefined;

  return (
    <div className="stack" data-testid="withdrawal-detail">
      <button type="button" className="link" onClick={onBack} data-testid="withdrawal-back">
        ← All withdrawals
      </button>
      <header className="detail-head">
        <div>
          <h2 className="detail-head__title">
            <Amount value={w.amount} assetId={w.assetId} /> to <Address value={w.destination} copy={false} />
          </h2>
          <div className="muted">
            {WITHDRAWAL_KIND_LABELS[w.kind]} withdrawal on {CHAIN_LABELS[w.chain]} · requested by {w.requestedBy} · {new Date(w.createdAt).toLocaleString()}
          </div>
        </div>
        <WithdrawalStateBadge state={w.state} />
        <ConfirmationCounter withdrawal={w} explorerUrl={explorer} />
        <span className="spacer" />
        <div className="actions">
          {allowed.has('approve') && (
            <button type="button" disabled={pending} onClick={() => void run(() => treasury.withdrawals.approve({ withdrawalId: w.id }))} data-testid="withdrawal-approve">
              Approve
            </button>
          )}
          {allowed.has('sign') && (
            <button type="button" onClick={() => setModal('sign')} data-testid="withdrawal-sign">
              Sign on Ledger…
            </button>
          )}
          {allowed.has('replace') && (
            <button type="button" className="secondary" disabled={pending} onClick={() => void run(() => treasury.withdrawals.replace({ withdrawalId: w.id }))}>
              Replace with higher fee
            </button>
          )}
          {allowed.has('cancel') && (
            <button type="button" className="secondary" onClick={() => setModal('cancel')} data-testid="withdrawal-cancel">
              Cancel…
            </button>
          )}
        </div>
      </header>
      {error && <ErrorState error={error} />}
      {w.needsApproval && w.approvalReasons.length > 0 && w.state === 'requested' && (
        <p className="callout">Needs a second operator’s approval: {w.approvalReasons.join('; ')}. The requester cannot approve it.</p>
      )}
      <div className="detail-grid">
        <section className="card" aria-labelledby="withdrawal-status-title">
          <h3 id="withdrawal-status-title">Status</h3>
          <WithdrawalTimeline withdrawal={w} explorerUrl={explorer} />
        </section>
        <section className="card" aria-labelledby="withdrawal-facts-title">
          <h3 id="withdrawal-facts-title">Details</h3>
          <dl>
            <dt>State</dt>
            <dd>{WITHDRAWAL_STATE_LABELS[w.state]}</dd>
            <dt>{w.clientFee !== '0' ? 'Destination receives' : 'Amount'}</dt>
            <dd data-testid="withdrawal-net-amount">
              <Amount value={w.netAmount} assetId={w.assetId} />
            </dd>
            {w.clientFee !== '0' && (
              <>
                <dt>Client fee</dt>
                <dd data-testid="withdrawal-client-fee">
                  <Amount value={w.clientFee} assetId={w.assetId} /> {w.clientFeeMode === 'deducted' ? '(deducted from the amount)' : '(on top of the amount)'}
                </dd>
                <dt>Taken from the balance</dt>
                <dd>
                  <Amount value={w.debited} assetId={w.assetId} />
                </dd>
              </>
            )}
            {w.walletId && (
              <>
                <dt>From the wallet</dt>
                <dd data-testid="withdrawal-wallet-owner">
                  <WalletWithOwner walletId={w.walletId} />
                </dd>
              </>
            )}
            <dt>Destination</dt>
            <dd>
              <Address value={w.destination} />
            </dd>
            <dt>Screening</dt>
            <dd data-testid="withdrawal-screening">
              {w.screenedAt === null
                ? 'Requested before screening existed'
                : w.screeningListVersion === null
                  ? 'No deny list was in force'
                  : `Not on the deny list (version ${w.screeningListVersion})`}
            </dd>
            <dt>Paid from</dt>
            <dd>
              <Address value={w.source} /> <span className="muted small">holding wallet</span>
            </dd>
            <NetworkFee withdrawal={w} />
            <dt>Nonce</dt>
            <dd>{w.nonce ?? '—'}</dd>
            <dt>Memo</dt>
            <dd>{w.memo ?? '—'}</dd>
          </dl>
        </section>
      </div>
      <section className="card" aria-labelledby="withdrawal-audit-title">
        <h3 id="withdrawal-audit-title">Audit trail</h3>
        <EntityHistory entityType="withdrawal" entityId={w.id} version={version} />
      </section>
      {modal === 'sign' && (
        <SigningDialog
          withdrawal={w}
          onClose={() => {
            setModal(null);
            void load();
          }}
          onDone={(next) => {
            setModal(null);
            setWithdrawal(next);
            void load();
          }}
        />
      )}
      {modal === 'cancel' && (
        <ReasonDialog
          title="Cancel withdrawal"
          explanation="The held balance goes back to the client’s wallet."
          confirmLabel="Cancel withdrawal"
          onSubmit={(reason) => treasury.withdrawals.cancel({ withdrawalId: w.id, reason })}
          onDone={(next) => {
            setModal(null);
            setWithdrawal(next);
            void load();
          }}
          onClose={() => setModal(null)}
        />
      )}
    </div>
  );
}

/** The paying wallet by label and owner, never by id. */
function WalletWithOwner({ walletId }: { walletId: string }) {
  return <>{useWalletWithOwner(walletId) ?? '…'}</>;
}
