import { useEffect, useState, type FormEvent } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { contract } from '@shared/ipc/contract';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { FieldError } from '../../components/FieldError';
import { addressProblem } from '../../forms/address';
import { readAmount } from '../../forms/amount';
import { useSubmission } from '../../forms/submission';
import { fieldIssues } from '../../forms/validation';
import { useAssets } from '../../store/assets';
import { AmountField } from '../wallets/AmountField';
import { SubmitActions } from '../../components/SubmitActions';
import { ClientFeePreview, useClientFeeQuote } from './ClientFeePreview';

/** A client's balance out to an external address: the engine holds the amount at once, then it waits for approval. */
export function RequestWithdrawalDialog(props: { onClose(): void; onDone(withdrawal: WithdrawalView): void }) {
  const allAssets = useAssets((s) => s.list);
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<WalletView[] | null>(null);
  const [walletId, setWalletId] = useState('');
  const [pickedAssetId, setAssetId] = useState('');
  const [amountText, setAmountText] = useState('');
  const [destination, setDestination] = useState('');
  const [memo, setMemo] = useState('');
  const [touched, setTouched] = useState(false);
  const submission = useSubmission<WithdrawalView>();

  useEffect(() => {
    const timer = setTimeout(() => {
      void treasury.wallets.list({ status: 'active', search: search.trim() || undefined, limit: 50 }).then((result) => {
        setCandidates(result.ok ? result.data.items.filter((w) => w.balances.some((b) => b.available !== '0')) : []);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [search]);

  const wallet = candidates?.find((w) => w.id === walletId);
  // Until the officer picks one, the asset is the first the wallet holds.
  const assetId = pickedAssetId || (wallet?.balances.find((b) => b.available !== '0')?.assetId ?? '');
  const assets = wallet ? allAssets.filter((a) => a.chain === wallet.chain) : [];
  const asset = assets.find((a) => a.id === assetId);
  const available = wallet?.balances.find((b) => b.assetId === assetId)?.available ?? '0';
  const amount = readAmount(amountText, asset);
  const feeQuote = useClientFeeQuote(walletId, assetId, amount.ok ? amount.baseUnits : null);
  // With a fee on top, the balance pays more than the amount typed.
  const overdrawn = amount.ok && BigInt(feeQuote?.debited ?? amount.baseUnits) > BigInt(available);
  const destinationProblem = wallet ? addressProblem(wallet.chain, destination) : undefined;
  const request = { walletId, assetId, amount: amount.ok ? amount.baseUnits : '', destination: destination.trim(), memo: memo.trim() || undefined };
  const issues = fieldIssues(contract.withdrawals.request.request, { ...request, idempotencyKey: submission.idempotencyKey() });
  const valid = Object.keys(issues).length === 0 && amount.ok && !overdrawn && !destinationProblem;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    const withdrawal = await submission.submit(request, (idempotencyKey) => treasury.withdrawals.request({ ...request, idempotencyKey }));
    if (withdrawal) props.onDone(withdrawal);
  };

  return (
    <Dialog title="New client withdrawal" onClose={props.onClose} testId="withdrawal-request-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field">
            <span>From the client wallet (active, with a balance)</span>
            <input type="search" value={search} placeholder="Label or address" onChange={(e) => setSearch(e.target.value)} data-testid="withdrawal-wallet-search" />
          </label>
          <select
            aria-label="Wallet"
            size={4}
            value={walletId}
            onChange={(e) => {
              setWalletId(e.target.value);
              setAssetId('');
            }}
            data-testid="withdrawal-wallet"
          >
            {candidates === null && <option disabled>Searching…</option>}
            {candidates?.length === 0 && <option disabled>No active wallet with a balance matches.</option>}
            {candidates?.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label} — {CHAIN_LABELS[w.chain]}
              </option>
            ))}
          </select>
          <FieldError id="withdrawal-wallet-error" message={touched && !walletId ? 'Choose the wallet that pays.' : undefined} />
        </div>
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} disabled={!wallet} data-testid="withdrawal-asset">
            <option value="">{wallet ? 'Choose…' : 'Choose a wallet first'}</option>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {a.symbol}
              </option>
            ))}
          </select>
        </label>
        <AmountField
          id="withdrawal-amount"
          text={amountText}
          onChange={setAmountText}
          asset={asset}
          reading={overdrawn ? { ok: false, message: feeQuote && feeQuote.fee !== '0' ? 'With the withdrawal fee, more than the available balance of this wallet.' : 'More than the available balance of this wallet.' } : amount}
          available={asset ? available : undefined}
          showError={touched || amountText !== ''}
          testId="withdrawal-amount"
        />
        <ClientFeePreview quote={feeQuote} />
        <label className="field">
          <span>Destination address{wallet ? ` on ${CHAIN_LABELS[wallet.chain]}` : ''}</span>
          <input
            value={destination}
            spellCheck={false}
            className="mono"
            aria-invalid={(touched || destination !== '') && !!destinationProblem}
            onChange={(e) => setDestination(e.target.value)}
            data-testid="withdrawal-destination"
          />
          <FieldError id="withdrawal-destination-error" message={touched || destination !== '' ? destinationProblem : undefined} />
        </label>
        <label className="field">
          <span>Memo (optional)</span>
          <input value={memo} maxLength={500} onChange={(e) => setMemo(e.target.value)} />
        </label>
        <SubmitActions
          pending={submission.pending}
          error={submission.error}
          disabled={touched && !valid}
          onCancel={props.onClose}
          label={{ idle: 'Request withdrawal', pending: 'Requesting…', retry: 'Retry request' }}
          testId="withdrawal-submit"
        />
      </form>
    </Dialog>
  );
}
