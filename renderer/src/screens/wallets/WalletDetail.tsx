import { useCallback, useEffect, useState } from 'react';
import { QRCodeSVG } from 'qrcode.react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import type { WalletStatus, WalletView } from '@shared/domain/wallets';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Address } from '../../components/Address';
import { Amount } from '../../components/Amount';
import { ErrorState, Loading } from '../../components/States';
import { useAssets } from '../../store/assets';
import { useEngineEvents } from '../../store/engine-events';
import { CompanyCreditDialog } from './CompanyCreditDialog';
import { InternalTransferDialog } from './InternalTransferDialog';
import { PendingCredits } from './PendingCredits';
import { StatusBadge } from './StatusBadge';
import { TransferHistory } from './TransferHistory';
import { SweepNowButton } from '../SweepNowButton';
import { WalletDeposits } from './WalletDeposits';
import { RequestWithdrawalDialog } from '../withdrawals/RequestWithdrawalDialog';
import { useClientName } from '../../store/names';

type Action = 'transfer' | 'credit' | 'withdraw' | null;

const STATUS_NOTICE: Record<WalletStatus, string> = {
  active: 'Wallet enabled: it can send again.',
  suspended: 'Wallet disabled: it still receives deposits but cannot send.',
  closed: 'Wallet closed. Its history stays; deposits to its address now go to Unidentified funds.',
};

export function WalletDetail({ walletId, onBack }: { walletId: string; onBack(): void }) {
  const [wallet, setWallet] = useState<WalletView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [action, setAction] = useState<Action>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await treasury.wallets.get({ walletId });
    if (result.ok) {
      setWallet(result.data);
      setError(null);
    } else setError(result.error);
  }, [walletId]);
  useEffect(() => void load(), [load]);

  const configuration = useConfiguration();
  useEngineEvents((event) => {
    if ((event.type === 'balance.changed' || event.type === 'deposit.seen' || event.type === 'deposit.confirmed') && event.walletId === walletId) {
      void load();
      setHistoryVersion((v) => v + 1);
    }
  });

  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const changeStatus = async (status: WalletStatus) => {
    setConfirmClose(false);
    const result = await treasury.wallets.setStatus({ walletId, status });
    if (result.ok) {
      setWallet(result.data);
      setError(null);
      setNotice(STATUS_NOTICE[result.data.status]);
    } else setError(result.error);
  };
  const rename = async (label: string) => {
    const result = await treasury.wallets.rename({ walletId, label: label.trim() });
    if (result.ok) {
      setWallet(result.data);
      setError(null);
      setRenaming(null);
      setNotice(`Wallet renamed to "${result.data.label}".`);
    } else setError(result.error);
  };

  if (!wallet && error) {
    return (
      <div className="stack">
        <BackLink onBack={onBack} />
        <ErrorState error={error} onRetry={() => void load()} />
      </div>
    );
  }
  if (!wallet) return <Loading what="wallet" />;

  const active = wallet.status === 'active';
  const hasBalance = wallet.balances.some((b) => b.available !== '0');
  return (
    <div className="stack" data-testid="wallet-detail">
      <BackLink onBack={onBack} />
      <header className="detail-head">
        <div>
          <h2 className="detail-head__title" data-testid="wallet-label">
            {wallet.label}
          </h2>
          <div className="muted">
            {CHAIN_LABELS[wallet.chain]} · derivation index {wallet.derivationIndex} · created {new Date(wallet.createdAt).toLocaleString()}
            {wallet.clientId && <WalletOwner clientId={wallet.clientId} />}
          </div>
        </div>
        <StatusBadge status={wallet.status} />
        <span className="spacer" />
        <div className="actions">
          <button
            type="button"
            disabled={!active || !hasBalance}
            title={!active ? INACTIVE_WHY : !hasBalance ? 'Nothing to withdraw: this wallet holds no available balance yet.' : undefined}
            onClick={() => setAction('withdraw')}
            data-testid="wallet-action-withdraw"
          >
            Withdraw
          </button>
          <button type="button" className="secondary" disabled={!active} title={!active ? INACTIVE_WHY : undefined} onClick={() => setAction('transfer')} data-testid="wallet-action-transfer">
            Internal transfer
          </button>
          <button type="button" className="secondary" disabled={!active} title={!active ? INACTIVE_WHY : undefined} onClick={() => setAction('credit')} data-testid="wallet-action-credit">
            Company credit
          </button>
          {wallet.status !== 'closed' && (
            <button type="button" className="secondary" onClick={() => setRenaming(wallet.label)} data-testid="wallet-action-rename">
              Rename
            </button>
          )}
          {wallet.status === 'active' && (
            <button type="button" className="secondary" onClick={() => void changeStatus('suspended')} data-testid="wallet-action-disable">
              Disable
            </button>
          )}
          {wallet.status === 'suspended' && (
            <button type="button" className="secondary" onClick={() => void changeStatus('active')} data-testid="wallet-action-enable">
              Enable
            </button>
          )}
          {wallet.status !== 'closed' && (
            <button type="button" className="secondary" onClick={() => setConfirmClose(true)} data-testid="wallet-action-close">
              Close wallet
            </button>
          )}
        </div>
      </header>
      {renaming !== null && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            void rename(renaming);
          }}
        >
          <label>
            New name <input value={renaming} onChange={(e) => setRenaming(e.target.value)} maxLength={120} data-testid="wallet-rename-input" autoFocus />
          </label>
          <button type="submit" disabled={renaming.trim() === ''} data-testid="wallet-rename-save">
            Save name
          </button>
          <button type="button" className="secondary" onClick={() => setRenaming(null)}>
            Cancel
          </button>
        </form>
      )}
      {confirmClose && (
        <div className="callout" role="alertdialog" aria-label="Close this wallet" data-testid="wallet-close-confirm">
          <p>
            Close "{wallet.label}" for good? Only an empty wallet closes. It keeps its history but cannot be opened again, and anything sent to its
            address afterwards is not credited: it goes to Unidentified funds.
          </p>
          <div className="actions actions--start">
            <button type="button" onClick={() => void changeStatus('closed')} data-testid="wallet-close-yes">
              Close wallet
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmClose(false)}>
              Keep it open
            </button>
          </div>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorState error={error} />}

      <div className="detail-grid">
        <DepositAddress wallet={wallet} />
        <Balances wallet={wallet} />
      </div>

      <PendingCredits
        walletId={wallet.id}
        version={historyVersion}
        onDecided={(message) => {
          setNotice(message);
          void load();
          setHistoryVersion((v) => v + 1);
        }}
      />

      <WalletDeposits walletId={wallet.id} explorerUrl={configuration?.chains[wallet.chain].explorerUrl || undefined} version={historyVersion} />

      <TransferHistory wallet={wallet} version={historyVersion} explorerUrl={configuration?.chains[wallet.chain].explorerUrl || undefined} />

      {action === 'transfer' && (
        <InternalTransferDialog
          from={wallet}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setNotice(message);
            void load();
            setHistoryVersion((v) => v + 1);
          }}
        />
      )}
      {action === 'withdraw' && (
        <RequestWithdrawalDialog
          wallet={wallet}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            setNotice('Withdrawal requested: the amount is held until it is approved, signed and sent (see Withdrawals).');
            void load();
            setHistoryVersion((v) => v + 1);
          }}
        />
      )}
      {action === 'credit' && (
        <CompanyCreditDialog
          wallet={wallet}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setNotice(message);
            void load();
            setHistoryVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}

const INACTIVE_WHY = 'Only an active wallet moves money: reactivate it first.';

/** The wallet's owner by name, never by id. */
function WalletOwner({ clientId }: { clientId: string }) {
  const name = useClientName(clientId);
  return <> · owned by <span data-testid="wallet-owner">{name ?? 'a client'}</span></>;
}

function BackLink({ onBack }: { onBack(): void }) {
  return (
    <button type="button" className="link" onClick={onBack} data-testid="wallet-back">
      ← All wallets
    </button>
  );
}

export function useConfiguration(): Configuration | null {
  const [configuration, setConfiguration] = useState<Configuration | null>(null);
  useEffect(() => {
    void treasury.configuration.get({}).then((result) => {
      if (result.ok) setConfiguration(result.data);
    });
  }, []);
  return configuration;
}

function DepositAddress({ wallet }: { wallet: WalletView }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const configuration = useConfiguration();
  const explorer = configuration?.chains[wallet.chain].explorerUrl;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(wallet.address);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2500);
  };
  return (
    <section className="card address-card" aria-labelledby="deposit-address-title">
      <h3 id="deposit-address-title">Deposit address</h3>
      <div className="address-card__body">
        {/* No QR code to scan and pay once the wallet is closed. */}
        {wallet.status !== 'closed' && (
          <div className="qr" aria-label={`QR code of ${wallet.address}`} role="img">
            <QRCodeSVG value={wallet.address} size={148} marginSize={2} level="M" />
          </div>
        )}
        <div className="stack stack--tight">
          <Address value={wallet.address} className="address" testId="wallet-address" copy={false} />
          <div className="actions actions--start">
            <button type="button" className="secondary" onClick={() => void copy()} data-testid="wallet-copy-address">
              Copy address
            </button>
            <SweepNowButton chain={wallet.chain} walletId={wallet.id} testId="wallet-sweep-now" />
            {explorer ? (
              <a className="button-link" href={`${explorer}/address/${wallet.address}`} target="_blank" rel="noreferrer">
                View on explorer ↗
              </a>
            ) : (
              <span className="muted small">No block explorer on this network profile.</span>
            )}
          </div>
          <span role="status" className="small" data-testid="wallet-copy-feedback">
            {copied === 'yes' ? 'Address copied to the clipboard.' : copied === 'failed' ? 'Copy was blocked: select the address and copy it by hand.' : ''}
          </span>
          {wallet.status === 'closed' ? (
            <p className="bad small" data-testid="wallet-closed-address">
              This wallet is closed: nothing sent to this address is credited. It goes to Unidentified funds.
            </p>
          ) : (
            <p className="muted small">
              Only send {CHAIN_LABELS[wallet.chain]} assets to this address. Deposits are credited after the configured confirmations.
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function Balances({ wallet }: { wallet: WalletView }) {
  const assets = useAssets((s) => s.list).filter((a) => a.chain === wallet.chain);
  const byAsset = new Map(wallet.balances.map((b) => [b.assetId, b]));
  return (
    <section className="card" aria-labelledby="balances-title">
      <h3 id="balances-title">Balances</h3>
      <table data-testid="wallet-balances">
        <thead>
          <tr>
            <th>Asset</th>
            <th className="num">Posted</th>
            <th className="num">Pending</th>
            <th className="num">Available</th>
          </tr>
        </thead>
        <tbody>
          {assets.map((asset) => {
            const balance = byAsset.get(asset.id);
            return (
              <tr key={asset.id} data-testid={`balance-${asset.id}`}>
                <td>{asset.symbol}</td>
                <td className="num">
                  <Amount value={balance?.posted ?? '0'} assetId={asset.id} />
                </td>
                <td className="num">
                  <Amount value={balance?.pending ?? '0'} assetId={asset.id} />
                </td>
                <td className="num strong">
                  <Amount value={balance?.available ?? '0'} assetId={asset.id} testId={`available-${asset.id}`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
