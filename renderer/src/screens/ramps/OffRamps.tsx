import { useEffect, useState } from 'react';
import type { BankAccountView } from '@shared/domain/clients';
import { FIAT_CURRENCIES, type FiatCurrency } from '@shared/domain/fiat';
import { OFFRAMP_STATES, type OffRampState, type OffRampView } from '@shared/domain/ramps';
import type { WalletView } from '@shared/domain/wallets';
import { treasury } from '../../api';
import { ClientPicker } from '../../components/ClientPicker';
import { Address } from '../../components/Address';
import { ClientName } from '../../components/ClientName';
import { Amount } from '../../components/Amount';
import { FieldError } from '../../components/FieldError';
import { Loading } from '../../components/States';
import { readAmount } from '../../forms/amount';
import { useDialogKey } from '../../forms/dialog-key';
import { useAssets } from '../../store/assets';
import { useEngineEvents } from '../../store/engine-events';
import { formatFiat, readFiat } from './fiat';
import { RampActionDialog } from './RampActionDialog';
import { RampBoard } from './RampBoard';
import { RampHistory } from './RampHistory';
import { assetNameFromId, bankAccountName, walletName } from '../../words/names';
import { estimateLines, useOffRampEstimate } from './OffRampEstimate';

const NEXT: Record<OffRampState, string> = {
  held: 'Send the crypto from holding',
  crypto_pending: 'Follow the withdrawal',
  crypto_sent: 'Record the conversion',
  converted: 'Record the fiat payout',
  fiat_paid: 'Complete',
  completed: '—',
  refunded: '—',
};

export function OffRamps({ version, onChanged }: { version: number; onChanged(): void }) {
  return (
    <RampBoard<OffRampState, OffRampView>
      kind="offramp"
      noun={['off-ramp', 'off-ramps']}
      states={OFFRAMP_STATES}
      next={NEXT}
      version={version}
      get={(offRampId) => treasury.ramps.getOffRamp({ offRampId })}
      list={(state, cursor) => treasury.ramps.listOffRamps({ state, cursor, limit: 200 })}
      template="170px minmax(140px, 1fr) minmax(120px, 1fr) 130px 150px minmax(180px, 1.2fr)"
      columns={[
        { header: 'Requested', cell: (r) => new Date(r.createdAt).toLocaleString() },
        { header: 'Client', cell: (r) => <ClientName clientId={r.clientId} /> },
        { header: 'Crypto', numeric: true, cell: (r) => <Amount value={r.cryptoAmount} assetId={r.assetId} /> },
        { header: 'Fiat', numeric: true, cell: (r) => formatFiat(r.fiatAmount, r.currency) },
      ]}
      emptyHint="A verified client sells crypto for fiat paid to their verified bank account: start one with New off-ramp."
      step={(ramp, close, done) => <OffRampStep ramp={ramp} onClose={close} onDone={done} />}
      request={(close, done) => <RequestOffRamp onClose={close} onDone={done} />}
      onChanged={onChanged}
    />
  );
}

function OffRampStep({ ramp, onClose, onDone }: { ramp: OffRampView; onClose(): void; onDone(next: OffRampView): void }) {
  const [rate, setRate] = useState('');
  const [fee, setFee] = useState('0');
  const [currency, setCurrency] = useState<FiatCurrency>('EUR');
  const [payoutReference, setPayoutReference] = useState('');
  const [refunding, setRefunding] = useState(false);
  const [reason, setReason] = useState('');
  // While the crypto leg is on its way, its withdrawal's moves (approved, signed, confirmed) are followed as they happen.
  useEngineEvents((event) => {
    if (event.type !== 'withdrawal.status' || ramp.state !== 'crypto_pending') return;
    void treasury.ramps.followOffRamp({ offRampId: ramp.id }).then((result) => {
      if (result.ok && result.data.state !== ramp.state) onDone(result.data);
    });
  });
  const feeFiat = fee.trim() === '0' ? { ok: true as const, minor: '0' } : readFiat(fee, currency);
  const common = { onClose, onDone };
  const summary = (
    <div className="stack stack--tight">
      <dl>
        <dt>Crypto</dt>
        <dd>
          <Amount value={ramp.cryptoAmount} assetId={ramp.assetId} />
        </dd>
        <dt>Fiat</dt>
        <dd>{formatFiat(ramp.fiatAmount, ramp.currency)}</dd>
        <dt>Sent to</dt>
        <dd>{ramp.destinationAddress ? <Address value={ramp.destinationAddress} /> : '—'}</dd>
        <dt>Transaction</dt>
        <dd>{ramp.txHash ? <Address value={ramp.txHash} /> : '—'}</dd>
      </dl>
      <RampHistory history={ramp.history} />
    </div>
  );
  const refundable = ramp.state !== 'completed' && ramp.state !== 'refunded' && ramp.state !== 'fiat_paid';
  if (refunding) {
    return (
      <RampActionDialog
        {...common}
        title="Refund the off-ramp"
        valid={reason.trim().length >= 3}
        confirmLabel="Refund to the client wallet"
        onSubmit={() => treasury.ramps.refundOffRamp({ offRampId: ramp.id, reason })}
      >
        <label className="field">
          <span>Reason (kept in the audit log)</span>
          <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      </RampActionDialog>
    );
  }
  const refund = refundable && (
    <button type="button" className="secondary" onClick={() => setRefunding(true)}>
      Refund instead…
    </button>
  );
  switch (ramp.state) {
    case 'held':
      return (
        <RampActionDialog {...common} title="Off-ramp: send the crypto" valid confirmLabel="Send from holding" onSubmit={() => treasury.ramps.sendOffRampCrypto({ offRampId: ramp.id })}>
          {summary}
          <p className="muted">The crypto leaves the holding wallet through the withdrawals pipeline (approval and Ledger signature).</p>
          {refund}
        </RampActionDialog>
      );
    case 'crypto_pending':
      return (
        <RampActionDialog {...common} title="Off-ramp: crypto on its way" valid confirmLabel="Check the withdrawal" onSubmit={() => treasury.ramps.followOffRamp({ offRampId: ramp.id })}>
          {summary}
          {refund}
        </RampActionDialog>
      );
    case 'crypto_sent':
      return (
        <RampActionDialog
          {...common}
          title="Off-ramp: record the conversion"
          valid={/^\d+(\.\d+)?$/.test(rate.trim()) && feeFiat.ok}
          confirmLabel="Record conversion"
          onSubmit={() => treasury.ramps.convertOffRamp({ offRampId: ramp.id, rate: rate.trim(), fee: feeFiat.ok ? feeFiat.minor : '0', currency })}
        >
          {summary}
          <div className="form-grid form-grid--3">
            <label className="field">
              <span>Currency</span>
              <select value={currency} onChange={(e) => setCurrency(e.target.value as FiatCurrency)}>
                {FIAT_CURRENCIES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Rate ({currency} per 1 unit)</span>
              <input value={rate} onChange={(e) => setRate(e.target.value)} />
            </label>
            <label className="field">
              <span>Fee ({currency})</span>
              <input value={fee} onChange={(e) => setFee(e.target.value)} />
            </label>
          </div>
          {refund}
        </RampActionDialog>
      );
    case 'converted':
      return (
        <RampActionDialog
          {...common}
          title="Off-ramp: record the payout"
          valid={payoutReference.trim().length >= 3}
          confirmLabel="Record payout"
          onSubmit={() => treasury.ramps.recordOffRampPayout({ offRampId: ramp.id, payoutReference })}
        >
          {summary}
          <label className="field">
            <span>Bank payout reference</span>
            <input value={payoutReference} onChange={(e) => setPayoutReference(e.target.value)} />
          </label>
          {refund}
        </RampActionDialog>
      );
    case 'fiat_paid':
      return (
        <RampActionDialog {...common} title="Off-ramp: complete" valid confirmLabel="Complete" onSubmit={() => treasury.ramps.completeOffRamp({ offRampId: ramp.id })}>
          {summary}
        </RampActionDialog>
      );
    default:
      return (
        <RampActionDialog {...common} title={`Off-ramp: ${ramp.state}`} valid={false} onSubmit={() => treasury.ramps.getOffRamp({ offRampId: ramp.id })}>
          {summary}
          {ramp.reason && <p className="callout">{ramp.reason}</p>}
        </RampActionDialog>
      );
  }
}

function RequestOffRamp({ onClose, onDone }: { onClose(): void; onDone(ramp: OffRampView): void }) {
  const [clientId, setClientId] = useState('');
  const [wallets, setWallets] = useState<WalletView[]>([]);
  const [accounts, setAccounts] = useState<BankAccountView[]>([]);
  const [walletId, setWalletId] = useState('');
  const [bankAccountId, setBankAccountId] = useState('');
  const [assetId, setAssetId] = useState('');
  const [amountText, setAmountText] = useState('');
  const idempotencyKey = useDialogKey();
  const byId = useAssets((s) => s.byId);
  useEffect(() => {
    if (!clientId) return;
    void treasury.clients.wallets({ clientId }).then((r) => setWallets(r.ok ? r.data : []));
    void treasury.clients.bankAccounts({ clientId }).then((r) => setAccounts(r.ok ? r.data.filter((a) => a.status === 'verified') : []));
  }, [clientId]);
  const wallet = wallets.find((w) => w.id === walletId);
  const held = wallet?.balances.filter((b) => b.available !== '0') ?? [];
  const amount = readAmount(amountText, byId[assetId]);
  const available = held.find((b) => b.assetId === assetId)?.available ?? '0';
  const over = amount.ok && BigInt(amount.baseUnits) > BigInt(available);
  const valid = !!clientId && !!walletId && !!bankAccountId && !!assetId && amount.ok && !over;
  const account = accounts.find((a) => a.id === bankAccountId);
  const estimate = useOffRampEstimate(valid && amount.ok ? { clientId, walletId, bankAccountId, assetId, amount: amount.baseUnits } : null);
  return (
    <RampActionDialog
      title="New off-ramp"
      valid={valid}
      confirmLabel="Hold the crypto and start"
      review={{
        lines: [
          ['Client', <ClientName clientId={clientId} />],
          ['From', wallet ? walletName(wallet) : '—'],
          ['Sells', amount.ok && assetId ? <strong><Amount value={amount.baseUnits} assetId={assetId} /></strong> : '—'],
          ['Pay out to', account ? bankAccountName(account) : '—'],
          ...estimateLines(estimate),
          ['Then', 'the crypto is held now and sent from holding after approval; the rate and fee are recorded when it is converted'],
        ],
      }}
      onClose={onClose}
      onDone={onDone}
      onSubmit={() => treasury.ramps.requestOffRamp({ clientId, walletId, bankAccountId, assetId, amount: amount.ok ? amount.baseUnits : '0', idempotencyKey })}
    >
      <ClientPicker label="Client (KYC verified)" none="Choose…" kycStatus="verified" value={clientId} onChange={setClientId} testId="offramp-client" />
      <label className="field">
        <span>Pay out to (verified bank account)</span>
        <select value={bankAccountId} onChange={(e) => setBankAccountId(e.target.value)} data-testid="offramp-bank">
          <option value="">{clientId && accounts.length === 0 ? 'No verified bank account' : 'Choose…'}</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {bankAccountName(a)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>From wallet</span>
        <select value={walletId} onChange={(e) => setWalletId(e.target.value)} data-testid="offramp-wallet">
          <option value="">Choose…</option>
          {wallets.map((w) => (
            <option key={w.id} value={w.id}>
              {walletName(w)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Asset</span>
        <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="offramp-asset">
          <option value="">{wallet && held.length === 0 ? 'This wallet has no balance' : 'Choose…'}</option>
          {held.map((b) => (
            <option key={b.assetId} value={b.assetId}>
              {assetNameFromId(b.assetId, byId[b.assetId])}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Amount</span>
        <input className="input--amount" value={amountText} onChange={(e) => setAmountText(e.target.value)} data-testid="offramp-amount" />
        <FieldError
          id="offramp-amount-error"
          message={amountText === '' ? undefined : over ? 'More than the available balance.' : !amount.ok ? amount.message : undefined}
        />
      </label>
    </RampActionDialog>
  );
}
