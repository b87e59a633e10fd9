import { useEffect, useState } from 'react';
import { FIAT_CURRENCIES, RAIL_CURRENCIES, type FiatCurrency } from '@shared/domain/fiat';
import { ONRAMP_STATES, type OnRampState, type OnRampView } from '@shared/domain/ramps';
import type { WalletView } from '@shared/domain/wallets';
import { BANK_RAILS, type BankRail } from '@shared/validation/bank-account';
import { treasury } from '../../api';
import { ClientPicker } from '../../components/ClientPicker';
import { ClientName } from '../../components/ClientName';
import { Amount, AssetName } from '../../components/Amount';
import { FieldError } from '../../components/FieldError';
import { Loading } from '../../components/States';
import { readAmount } from '../../forms/amount';
import { useDialogKey } from '../../forms/dialog-key';
import { useAssets } from '../../store/assets';
import { useWalletLabel } from '../../store/names';
import { formatFiat, readFiat } from './fiat';
import { RampActionDialog } from './RampActionDialog';
import { RampBoard } from './RampBoard';
import { RampHistory } from './RampHistory';
import { assetName, RAIL_LABELS, walletName } from '../../words/names';

const NEXT: Record<OnRampState, string> = {
  requested: 'Record the fiat when it arrives',
  fiat_received: 'Verify the payment',
  verified: 'Quote rate and fee',
  quoted: 'Credit the crypto (or approve a credit waiting)',
  credited: 'Complete',
  completed: '—',
  cancelled: '—',
  expired: '—',
};

export function OnRamps({ version, onChanged }: { version: number; onChanged(): void }) {
  return (
    <RampBoard<OnRampState, OnRampView>
      kind="onramp"
      noun={['on-ramp', 'on-ramps']}
      states={ONRAMP_STATES}
      next={NEXT}
      version={version}
      get={(onRampId) => treasury.ramps.getOnRamp({ onRampId })}
      list={(state, cursor) => treasury.ramps.listOnRamps({ state, cursor, limit: 200 })}
      template="170px minmax(140px, 1fr) 130px minmax(120px, 1fr) 130px 130px minmax(180px, 1.2fr)"
      columns={[
        { header: 'Requested', cell: (r) => new Date(r.createdAt).toLocaleString() },
        { header: 'Client', cell: (r) => <ClientName clientId={r.clientId} /> },
        { header: 'Reference', cell: (r) => <code>{r.reference}</code> },
        { header: 'Fiat', numeric: true, cell: (r) => formatFiat(r.receivedAmount ?? r.requestedAmount, r.currency) },
        { header: 'Asset', cell: (r) => <AssetName assetId={r.assetId} /> },
      ]}
      emptyHint="A verified client buys crypto with fiat: issue payment instructions with New on-ramp."
      step={(ramp, close, done) => <OnRampStep ramp={ramp} onClose={close} onDone={done} />}
      request={(close, done) => <RequestOnRamp onClose={close} onDone={done} />}
      onChanged={onChanged}
    />
  );
}

function OnRampStep({ ramp, onClose, onDone }: { ramp: OnRampView; onClose(): void; onDone(next: OnRampView): void }) {
  const [bankReference, setBankReference] = useState('');
  const [received, setReceived] = useState('');
  const [rate, setRate] = useState('');
  const [fee, setFee] = useState('0');
  const [crypto, setCrypto] = useState('');
  const asset = useAssets((s) => s.byId[ramp.assetId]);
  const receivedFiat = readFiat(received, ramp.currency);
  const feeFiat = fee.trim() === '0' ? { ok: true as const, minor: '0' } : readFiat(fee, ramp.currency);
  const cryptoAmount = readAmount(crypto, asset);
  const walletLabel = useWalletLabel(ramp.walletId);
  // What the rate applies to: the fiat received less the fee, as the engine's quote reckons it.
  const netFiat = ramp.receivedAmount !== null && ramp.fee !== null ? (BigInt(ramp.receivedAmount) - BigInt(ramp.fee)).toString() : null;
  const summary = (
    <div className="stack stack--tight">
      <dl>
        <dt>Reference</dt>
        <dd>
          <code>{ramp.reference}</code>
        </dd>
        <dt>Requested</dt>
        <dd>{formatFiat(ramp.requestedAmount, ramp.currency)}</dd>
        <dt>Received</dt>
        <dd>
          {formatFiat(ramp.receivedAmount, ramp.currency)} {ramp.amountFlag && ramp.amountFlag !== 'exact' && <span className="badge badge--short">{ramp.amountFlag}</span>}
        </dd>
        <dt>Pay to</dt>
        <dd>
          {ramp.instructions.beneficiary} · {Object.values(ramp.instructions.account).join(' · ')}
        </dd>
        <dt>Expires</dt>
        <dd>{new Date(ramp.expiresAt).toLocaleString()}</dd>
        {ramp.cryptoAmount && (
          <>
            <dt>Crypto</dt>
            <dd>
              <Amount value={ramp.cryptoAmount} assetId={ramp.assetId} />
            </dd>
          </>
        )}
      </dl>
      <RampHistory history={ramp.history} />
    </div>
  );
  const common = { onClose, onDone };
  switch (ramp.state) {
    case 'requested':
      return (
        <RampActionDialog
          {...common}
          title={`On-ramp ${ramp.reference}: record the fiat received`}
          valid={bankReference.trim().length >= 3 && receivedFiat.ok}
          confirmLabel="Record fiat received"
          onSubmit={() => treasury.ramps.recordOnRampFiat({ onRampId: ramp.id, bankReference, amount: receivedFiat.ok ? receivedFiat.minor : '0' })}
        >
          {summary}
          <label className="field">
            <span>Bank reference of the incoming payment</span>
            <input value={bankReference} onChange={(e) => setBankReference(e.target.value)} data-testid="onramp-bank-reference" />
          </label>
          <label className="field">
            <span>Amount received ({ramp.currency})</span>
            <input className="input--amount" value={received} onChange={(e) => setReceived(e.target.value)} data-testid="onramp-received" />
            <FieldError id="onramp-received-error" message={received !== '' && !receivedFiat.ok ? receivedFiat.message : undefined} />
          </label>
        </RampActionDialog>
      );
    case 'fiat_received':
      return (
        <RampActionDialog
          {...common}
          title={`On-ramp ${ramp.reference}: verify the payment`}
          valid
          confirmLabel={ramp.amountFlag === 'exact' ? 'Verify' : 'Accept the received amount and verify'}
          onSubmit={() => treasury.ramps.verifyOnRamp({ onRampId: ramp.id, acceptReceivedAmount: ramp.amountFlag !== 'exact' ? true : undefined })}
        >
          {summary}
        </RampActionDialog>
      );
    case 'verified':
      return (
        <RampActionDialog
          {...common}
          title={`On-ramp ${ramp.reference}: quote`}
          valid={/^\d+(\.\d+)?$/.test(rate.trim()) && feeFiat.ok}
          confirmLabel="Save quote"
          onSubmit={() => treasury.ramps.quoteOnRamp({ onRampId: ramp.id, rate: rate.trim(), fee: feeFiat.ok ? feeFiat.minor : '0' })}
        >
          {summary}
          <label className="field">
            <span>Rate: {asset?.symbol ?? 'crypto'} per 1 {ramp.currency}</span>
            <input value={rate} onChange={(e) => setRate(e.target.value)} data-testid="onramp-rate" />
          </label>
          <label className="field">
            <span>Fee ({ramp.currency})</span>
            <input value={fee} onChange={(e) => setFee(e.target.value)} data-testid="onramp-fee" />
          </label>
        </RampActionDialog>
      );
    case 'quoted':
      if (ramp.creditApproval) {
        const { requestedBy, approvals, needed } = ramp.creditApproval;
        const progress = (
          <p className="callout" data-testid="onramp-credit-waiting">
            {requestedBy} asked to credit <Amount value={ramp.cryptoAmount ?? '0'} assetId={ramp.assetId} />; it needs {needed} {needed === 1 ? 'approval' : 'approvals'} from another operator
            {approvals.length > 0 ? ` (approved so far by ${approvals.join(', ')})` : ''}.
          </p>
        );
        // The button comes from the engine's allowed actions: whoever asked for the credit only sees it waiting.
        return ramp.allowedActions?.includes('approveCredit') ? (
          <RampActionDialog {...common} title={`On-ramp ${ramp.reference}: approve the credit`} valid confirmLabel="Approve the credit" onSubmit={() => treasury.ramps.approveOnRampCredit({ onRampId: ramp.id })}>
            {summary}
            {progress}
          </RampActionDialog>
        ) : (
          <RampActionDialog {...common} title={`On-ramp ${ramp.reference}: waiting for approval`} valid={false} onSubmit={() => treasury.ramps.getOnRamp({ onRampId: ramp.id })}>
            {summary}
            {progress}
          </RampActionDialog>
        );
      }
      return (
        <RampActionDialog
          {...common}
          title={`On-ramp ${ramp.reference}: credit the client`}
          valid={cryptoAmount.ok}
          confirmLabel="Credit the wallet"
          review={{
            lines: [
              ['Client', <ClientName clientId={ramp.clientId} />],
              ['Wallet', walletLabel ?? '…'],
              ['Received', formatFiat(ramp.receivedAmount, ramp.currency)],
              ['Fee', formatFiat(ramp.fee, ramp.currency)],
              ['Converted', <>{formatFiat(netFiat, ramp.currency)} at {ramp.rate} {asset?.symbol ?? ''} per 1 {ramp.currency}</>],
              ['Credit', cryptoAmount.ok ? <strong><Amount value={cryptoAmount.baseUnits} assetId={ramp.assetId} /></strong> : '—'],
              ['Then', 'the client’s balance is credited from holding, or, when holding does not cover it, the credit waits for another operator’s approval'],
            ],
          }}
          onSubmit={() => treasury.ramps.creditOnRamp({ onRampId: ramp.id, cryptoAmount: cryptoAmount.ok ? cryptoAmount.baseUnits : '0' })}
        >
          {summary}
          <p className="muted">
            Quote: rate {ramp.rate}, fee {formatFiat(ramp.fee, ramp.currency)}.
          </p>
          <label className="field">
            <span>Crypto to credit ({asset?.symbol})</span>
            <input className="input--amount" value={crypto} onChange={(e) => setCrypto(e.target.value)} data-testid="onramp-crypto" />
            <FieldError id="onramp-crypto-error" message={crypto !== '' && !cryptoAmount.ok ? cryptoAmount.message : undefined} />
          </label>
        </RampActionDialog>
      );
    case 'credited':
      return (
        <RampActionDialog {...common} title={`On-ramp ${ramp.reference}: complete`} valid confirmLabel="Complete" onSubmit={() => treasury.ramps.completeOnRamp({ onRampId: ramp.id })}>
          {summary}
        </RampActionDialog>
      );
    default:
      return (
        <RampActionDialog {...common} title={`On-ramp ${ramp.reference}: ${ramp.state}`} valid={false} onSubmit={() => treasury.ramps.getOnRamp({ onRampId: ramp.id })}>
          {summary}
          {ramp.reason && <p className="callout">{ramp.reason}</p>}
        </RampActionDialog>
      );
  }
}

function RequestOnRamp({ onClose, onDone }: { onClose(): void; onDone(ramp: OnRampView): void }) {
  const [clientId, setClientId] = useState('');
  const [wallets, setWallets] = useState<WalletView[]>([]);
  const [walletId, setWalletId] = useState('');
  const [assetId, setAssetId] = useState('');
  const [rail, setRail] = useState<BankRail>('sepa');
  const [currency, setCurrency] = useState<FiatCurrency>('EUR');
  const [amount, setAmount] = useState('');
  const idempotencyKey = useDialogKey();
  const allAssets = useAssets((s) => s.list);
  useEffect(() => {
    if (!clientId) return;
    void treasury.clients.wallets({ clientId }).then((r) => setWallets(r.ok ? r.data : []));
  }, [clientId]);
  const wallet = wallets.find((w) => w.id === walletId);
  const assets = wallet ? allAssets.filter((a) => a.chain === wallet.chain) : [];
  const fiat = readFiat(amount, currency);
  const asset = assets.find((a) => a.id === assetId);
  const valid = !!clientId && !!walletId && !!assetId && fiat.ok;
  return (
    <RampActionDialog
      title="New on-ramp"
      valid={valid}
      confirmLabel="Issue payment instructions"
      review={{
        lines: [
          ['Client', <ClientName clientId={clientId} />],
          ['Wallet', wallet ? walletName(wallet) : '—'],
          ['Asset', asset ? assetName(asset) : '—'],
          ['Amount', fiat.ok ? <strong>{formatFiat(fiat.minor, currency)}</strong> : '—'],
          ['Rail', RAIL_LABELS[rail]],
          ['Then', 'the client receives the company’s payment instructions; the rate and fee are quoted once the fiat has arrived and been verified'],
        ],
      }}
      onClose={onClose}
      onDone={onDone}
      onSubmit={() => treasury.ramps.requestOnRamp({ clientId, walletId, assetId, currency, amount: fiat.ok ? fiat.minor : '0', rail, idempotencyKey })}
    >
      <ClientPicker label="Client (KYC verified)" none="Choose…" kycStatus="verified" value={clientId} onChange={setClientId} testId="onramp-client" />
      <label className="field">
        <span>Wallet to credit</span>
        <select value={walletId} onChange={(e) => setWalletId(e.target.value)} data-testid="onramp-wallet">
          <option value="">{clientId && wallets.length === 0 ? 'This client has no wallet' : 'Choose…'}</option>
          {wallets.map((w) => (
            <option key={w.id} value={w.id}>
              {walletName(w)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Asset</span>
        <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="onramp-asset">
          <option value="">Choose…</option>
          {assets.map((a) => (
            <option key={a.id} value={a.id}>
              {assetName(a)}
            </option>
          ))}
        </select>
      </label>
      <div className="form-grid">
        <label className="field">
          <span>Rail</span>
          <select
            value={rail}
            onChange={(e) => {
              const next = e.target.value as BankRail;
              setRail(next);
              setCurrency(RAIL_CURRENCIES[next][0]!);
            }}
            data-testid="onramp-rail"
          >
            {BANK_RAILS.map((r) => (
              <option key={r} value={r}>
                {RAIL_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Currency</span>
          <select value={currency} onChange={(e) => setCurrency(e.target.value as FiatCurrency)} data-testid="onramp-currency">
            {FIAT_CURRENCIES.filter((c) => RAIL_CURRENCIES[rail].includes(c)).map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>Fiat amount ({currency})</span>
        <input className="input--amount" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="onramp-amount" />
        <FieldError id="onramp-amount-error" message={amount !== '' && !fiat.ok ? fiat.message : undefined} />
      </label>
    </RampActionDialog>
  );
}
