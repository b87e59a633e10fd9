import { useEffect, useState, type FormEvent } from 'react';
import type { WalletView } from '@shared/domain/wallets';
import { contract } from '@shared/ipc/contract';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { readAmount } from '../../forms/amount';
import { useSubmission } from '../../forms/submission';
import { fieldIssues } from '../../forms/validation';
import { useAssets } from '../../store/assets';
import { AmountField } from './AmountField';
import { SubmitActions, useReview } from '../../components/SubmitActions';
import { Amount } from '../../components/Amount';
import { assetName } from '../../words/names';
import { amountInWords } from '../../words/amounts';
import { useClientName } from '../../store/names';

/** Moves a client balance between two virtual wallets of one chain: ledger only, no chain transaction. */
export function InternalTransferDialog(props: { from: WalletView; onClose(): void; onDone(message: string): void }) {
  const assets = useAssets((s) => s.list).filter((a) => a.chain === props.from.chain);
  const funded = props.from.balances.find((b) => b.available !== '0')?.assetId;
  const [assetId, setAssetId] = useState(funded ?? assets[0]?.id ?? '');
  const [toWalletId, setToWalletId] = useState('');
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<WalletView[] | null>(null);
  const [amountText, setAmountText] = useState('');
  const [memo, setMemo] = useState('');
  const [touched, setTouched] = useState(false);
  const submission = useSubmission<{ replayed: boolean }>();
  const review = useReview();

  useEffect(() => {
    const timer = setTimeout(() => {
      void treasury.wallets
        .list({ chain: props.from.chain, status: 'active', search: search.trim() || undefined, limit: 50 })
        .then((result) => setCandidates(result.ok ? result.data.items.filter((w) => w.id !== props.from.id) : []));
    }, 200);
    return () => clearTimeout(timer);
  }, [search, props.from.chain, props.from.id]);

  const asset = assets.find((a) => a.id === assetId);
  const available = props.from.balances.find((b) => b.assetId === assetId)?.available ?? '0';
  const amount = readAmount(amountText, asset);
  const overdrawn = amount.ok && BigInt(amount.baseUnits) > BigInt(available);
  const request = {
    fromWalletId: props.from.id,
    toWalletId,
    assetId,
    amount: amount.ok ? amount.baseUnits : '',
    memo: memo.trim() || undefined,
  };
  const issues = fieldIssues(contract.transfers.internal.request, { ...request, idempotencyKey: submission.idempotencyKey() });
  const valid = Object.keys(issues).length === 0 && amount.ok && !overdrawn;
  const toWallet = candidates?.find((w) => w.id === toWalletId);
  const fromClient = useClientName(props.from.clientId);
  const toClient = useClientName(toWallet?.clientId ?? null);
  const notReady = toWalletId === '' ? 'Choose the destination wallet.' : !amount.ok ? amount.message : overdrawn ? 'The amount is more than the wallet’s available balance.' : Object.values(issues)[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || !asset || !amount.ok) return;
    if (!review.reviewing) {
      review.open();
      return;
    }
    const receipt = await submission.submit(request, (idempotencyKey) => treasury.transfers.internal({ ...request, idempotencyKey }));
    if (receipt) {
      props.onDone(
        `${receipt.replayed ? 'Already done earlier: ' : ''}Moved ${amountInWords(amount.baseUnits, asset)} to "${toWallet?.label ?? toWalletId}".`,
      );
    }
  };

  return (
    <Dialog title={`Internal transfer from "${props.from.label}"`} onClose={props.onClose} testId="transfer-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)} onChange={submission.clearError}>
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="transfer-asset">
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {assetName(a)}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <label className="field">
            <span>Find the destination wallet (same chain, active)</span>
            <input type="search" value={search} placeholder="Label or address" onChange={(e) => setSearch(e.target.value)} data-testid="transfer-to-search" />
          </label>
          <select
            aria-label="Destination wallet"
            size={Math.min(6, Math.max(2, candidates?.length ?? 2))}
            value={toWalletId}
            aria-invalid={touched && !!issues.toWalletId}
            onChange={(e) => setToWalletId(e.target.value)}
            data-testid="transfer-to"
          >
            {candidates === null && <option disabled>Searching…</option>}
            {candidates?.length === 0 && <option disabled>No other active wallet on this chain matches.</option>}
            {candidates?.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label} — {w.address.slice(0, 8)}…{w.address.slice(-6)}
              </option>
            ))}
          </select>
          <FieldError id="transfer-to-error" message={touched ? (toWalletId === '' ? 'Choose the destination wallet.' : issues.toWalletId) : undefined} />
        </div>
        <AmountField
          id="transfer-amount"
          text={amountText}
          onChange={setAmountText}
          asset={asset}
          reading={overdrawn ? { ok: false, message: 'More than the available balance of this wallet.' } : amount}
          available={available}
          showError={touched || amountText !== ''}
          testId="transfer-amount"
        />
        <label className="field">
          <span>Memo (optional)</span>
          <input value={memo} maxLength={500} onChange={(e) => setMemo(e.target.value)} data-testid="transfer-memo" />
          <FieldError id="transfer-memo-error" message={issues.memo} />
        </label>
        <SubmitActions
          pending={submission.pending}
          error={submission.error}
          disabled={touched && !valid}
          onCancel={props.onClose}
          disabledReason={notReady}
          label={{ idle: 'Transfer', pending: 'Transferring…', confirm: 'Confirm transfer' }}
          testId="transfer-submit"
          review={{
            active: review.reviewing,
            onBack: review.back,
            lines: [
              ['From', <>{props.from.label}{fromClient ? ` · ${fromClient}` : ''}</>],
              ['To', <>{toWallet?.label}{toClient ? ` · ${toClient}` : ''}</>],
              ['Amount', amount.ok && asset ? <Amount value={amount.baseUnits} assetId={asset.id} /> : '—'],
              ['Network fee', 'none: an internal transfer moves the balance in the books; no coins move on chain'],
            ],
          }}
        />
      </form>
    </Dialog>
  );
}
