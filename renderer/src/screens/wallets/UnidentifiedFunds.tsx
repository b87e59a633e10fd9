import { useEffect, useState } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { StrayRecoveryAction, UnidentifiedFundKind, UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import { amountInWords } from '../../words/amounts';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { ErrorState, Loading } from '../../components/States';
import { useConfiguration } from './WalletDetail';
import { Address } from '../../components/Address';

const WHY: Record<UnidentifiedFundKind, string> = {
  unknown_token: 'Token not in the asset list',
  internal_native: 'Sent by a contract',
  other_chain: 'Sent on the wrong chain',
  closed_wallet: 'Sent to a closed wallet',
};

/** Token amounts with the decimals the contract reported; a token that reports none is said so, never shown in base units. */
function amountText(f: UnidentifiedFundView): string {
  const symbol = f.symbol ?? 'unnamed token';
  if (f.decimals === null) return `an amount of ${symbol} (the token does not report its decimals)`;
  return amountInWords(f.amount, { decimals: f.decimals, symbol });
}

const ACTION: Record<StrayRecoveryAction, string> = {
  credit_wallet: 'credit the wallet',
  company_funds: 'book as company funds',
  return_to_sender: 'return to the sender',
};

/** An address, shortened with a copy button, and a link to it on the chain's explorer when one is set. */
function AddressLink({ value, explorer }: { value: string; explorer: string | undefined }) {
  return (
    <span>
      <Address value={value} />
      {explorer && (
        <>
          {' '}
          <a href={`${explorer}/address/${value}`} target="_blank" rel="noreferrer">
            explorer
          </a>
        </>
      )}
    </span>
  );
}

function TxLink({ fund, hash, explorer }: { fund: UnidentifiedFundView; hash: string; explorer: string | undefined }) {
  return explorer ? (
    <a href={`${explorer}${fund.chain === 'tron' ? '/transaction/' : '/tx/'}${hash}`} target="_blank" rel="noreferrer">
      {short(hash)}
    </a>
  ) : (
    <span title={hash}>{short(hash)}</span>
  );
}

/** Propose (one officer), then approve or reject (another): the engine refuses the proposer's own approval. */
function Recovery({ fund, explorer, onChange }: { fund: UnidentifiedFundView; explorer: string | undefined; onChange: () => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  // Prefilled with who signed the transaction that brought the funds; the officer may correct it.
  const [returnTo, setReturnTo] = useState(fund.txSender ?? '');
  const run = async (work: () => Promise<{ ok: true } | { ok: false; error: AppError }>) => {
    setBusy(true);
    setError(null);
    const result = await work();
    setBusy(false);
    if (result.ok) onChange();
    else setError(result.error);
  };
  const r = fund.recovery;
  if (r?.action === 'return_to_sender' && r.state !== 'proposed') {
    return (
      <div>
        {r.state === 'done' ? 'Returned to the sender' : 'Being returned to the sender'} <AddressLink value={r.returnTo ?? ''} explorer={explorer} />
        <div className="muted">
          {r.proposedBy}, approved by {r.decidedBy}
          {r.returnTxHash && (
            <>
              {' · '}
              <TxLink fund={fund} hash={r.returnTxHash} explorer={explorer} />
            </>
          )}
        </div>
      </div>
    );
  }
  if (r?.state === 'done') return <span>{r.action === 'credit_wallet' ? 'Credited to the wallet' : 'Booked as company funds'} ({r.proposedBy}, approved by {r.decidedBy})</span>;
  if (fund.state !== 'seen') return null;
  return (
    <div>
      {r ? (
        <>
          <div>
            {r.proposedBy} proposes to {ACTION[r.action]}
            {r.action === 'return_to_sender' && r.returnTo && (
              <>
                {' '}
                <AddressLink value={r.returnTo} explorer={explorer} />
                {fund.tokenContract === null && <div className="muted">The network fee is paid out of the returned coins.</div>}
              </>
            )}
          </div>
          <button type="button" disabled={busy} onClick={() => void run(() => treasury.wallets.decideStrayRecovery({ id: fund.id, approve: true }))}>
            Approve
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void run(() => treasury.wallets.decideStrayRecovery({ id: fund.id, approve: false }))}>
            Reject
          </button>
        </>
      ) : (
        // A closed wallet receives no credits: its address's funds can only become company funds. Funds sent on
        // the other EVM chain can only go back (the same key signs there; the wallet cannot hold them).
        <div className="stack stack--tight">
          {fund.kind === 'other_chain' && <span className="muted small">Sent on the wrong chain: they can only be returned, from the same address on {CHAIN_LABELS[fund.chain]}.</span>}
          {(fund.kind === 'other_chain' ? ([] as const) : fund.kind === 'closed_wallet' ? (['company_funds'] as const) : (['credit_wallet', 'company_funds'] as const)).map((action) => (
            <button key={action} type="button" className="secondary" disabled={busy} onClick={() => void run(() => treasury.wallets.proposeStrayRecovery({ id: fund.id, action }))}>
              Propose to {ACTION[action]}
            </button>
          ))}
          <label className="stack stack--tight">
            <span className="muted small">Return to this address (prefilled with the transaction’s sender)</span>
            <input
              className="input--address"
              value={returnTo}
              onChange={(e) => setReturnTo(e.target.value)}
              placeholder="Empty: the sender, read from the chain"
              aria-label="Address to return the funds to"
            />
          </label>
          {fund.txSender && returnTo === fund.txSender && explorer && (
            <a className="small" href={`${explorer}/address/${fund.txSender}`} target="_blank" rel="noreferrer">
              The sender on the explorer
            </a>
          )}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            // Left empty, the engine asks the node who signed the transaction.
            onClick={() => void run(() => treasury.wallets.proposeStrayRecovery({ id: fund.id, action: 'return_to_sender', ...(returnTo.trim() ? { returnTo: returnTo.trim() } : {}) }))}
          >
            Propose to {ACTION.return_to_sender}
          </button>
        </div>
      )}
      {error && <ErrorState error={error} />}
    </div>
  );
}

function short(address: string): string {
  return address.length > 14 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}

/** The "Unidentified funds" queue: what reached our deposit addresses but could not be credited as a deposit. */
export function UnidentifiedFunds() {
  const [funds, setFunds] = useState<UnidentifiedFundView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [version, setVersion] = useState(0);
  const configuration = useConfiguration();
  useEffect(() => {
    void treasury.wallets.unidentifiedFunds({ limit: 50 }).then((result) => {
      if (result.ok) setFunds(result.data);
      else setError(result.error);
    });
  }, [version]);
  return (
    <section className="card" aria-labelledby="unidentified-funds-title">
      <h3 id="unidentified-funds-title">Unidentified funds</h3>
      <p className="muted">
        Funds at our deposit addresses that the watcher could not credit. They stay at the address, whose key the seed holds.
      </p>
      {error && <ErrorState error={error} />}
      {!funds && !error && <Loading what="unidentified funds" />}
      {funds && funds.length === 0 && <p className="muted">Nothing unidentified has arrived.</p>}
      {funds && funds.length > 0 && (
        <table data-testid="unidentified-funds">
          <thead>
            <tr>
              <th>Seen</th>
              <th>Chain</th>
              <th className="num">Amount</th>
              <th>Why</th>
              <th>At the address of</th>
              <th>State</th>
              <th>Transaction</th>
              <th>Recovery</th>
            </tr>
          </thead>
          <tbody>
            {funds.map((f) => {
              const explorer = configuration?.chains[f.chain].explorerUrl;
              return (
                <tr key={f.id}>
                  {/* The date may wrap: the recovery cell needs the width for a whole address at 1280 px. */}
                  <td>{new Date(f.seenAt).toLocaleString()}</td>
                  <td>{CHAIN_LABELS[f.chain]}</td>
                  <td className="num">
                    {amountText(f)}
                    {/* The contract matters only for a token the asset list does not know (USDT at a closed wallet is just USDT). */}
                    {f.tokenContract && f.kind === 'unknown_token' && (
                      <div className="muted" title={f.tokenContract}>
                        contract {short(f.tokenContract)}
                      </div>
                    )}
                  </td>
                  <td>{WHY[f.kind]}</td>
                  <td>
                    {f.walletLabel ?? 'a deposit address'}
                    {f.walletChain && f.walletChain !== f.chain && <div className="muted">a {CHAIN_LABELS[f.walletChain]} wallet</div>}
                  </td>
                  <td>
                    {f.state === 'orphaned'
                      ? 'removed by a reorg'
                      : `${Math.min(f.confirmations, f.requiredConfirmations)} of ${f.requiredConfirmations} confirmations`}
                  </td>
                  <td>
                    <TxLink fund={f} hash={f.txHash} explorer={explorer} />
                  </td>
                  <td className="unidentified__recovery">
                    <Recovery fund={f} explorer={explorer} onChange={() => setVersion((v) => v + 1)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
