import { useEffect, useState, type FormEvent } from 'react';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
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
import { SubmitActions, useReview } from '../../components/SubmitActions';
import { Address } from '../../components/Address';
import { Amount } from '../../components/Amount';
import { useClientName } from '../../store/names';
import { assetName } from '../../words/names';
import { ClientFeePreview, useClientFeeQuote } from './ClientFeePreview';
import { QuoteShortfall, quoteLines, useWithdrawalQuote } from './WithdrawalQuote';

/** A client's balance out to an external address: the engine holds the amount at once, then it waits for approval. */
export function RequestWithdrawalDialog(props: { onClose(): void; onDone(withdrawal: WithdrawalView): void; wallet?: WalletView }) {
  const allAssets = useAssets((s) => s.list);
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<WalletView[] | null>(null);
  const [walletId, setWalletId] = useState(props.wallet?.id ?? '');
  const [pickedAssetId, setAssetId] = useState('');
  const [amountText, setAmountText] = useState('');
  const [destination, setDestination] = useState('');
  const [memo, setMemo] = useState('');
  const [touched, setTouched] = useState(false);
  const submission = useSubmission<WithdrawalView>();
  const review = useReview();
  const [book, setBook] = useState<AddressBookEntry[]>([]);

  useEffect(() => {
    const timer = setTimeout(() => {
      void treasury.wallets.list({ status: 'active', search: search.trim() || undefined, limit: 50 }).then((result) => {
        setCandidates(result.ok ? result.data.items.filter((w) => w.balances.some((b) => b.available !== '0')) : []);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [search]);

  const wallet = props.wallet ?? candidates?.find((w) => w.id === walletId);
  const clientName = useClientName(wallet?.clientId ?? null);
  useEffect(() => {
    if (!wallet) return;
    void treasury.withdrawals.addressBookList({ chain: wallet.chain }).then((result) => setBook(result.ok ? result.data : []));
  }, [wallet?.chain]);
  const bookEntry = book.find((b) => b.address.toLowerCase() === destination.trim().toLowerCase());
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
  // Asked when the review opens: the fees as the engine will book them, and whether the company can pay the network's.
  const quote = useWithdrawalQuote(review.reviewing && valid ? { walletId, assetId, amount: request.amount, destination: request.destination } : null);
  const shortfall = quote.quote?.shortfall ?? null;

  const notReady = !wallet
    ? 'Choose the wallet that pays.'
    : !asset
      ? 'Choose the asset to send.'
      : !amount.ok
        ? amount.message
        : overdrawn
          ? 'The amount is more than the wallet’s available balance.'
          : destinationProblem
            ? destinationProblem
            : Object.values(issues)[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    if (!review.reviewing) {
      review.open();
      return;
    }
    const withdrawal = await submission.submit(request, (idempotencyKey) => treasury.withdrawals.request({ ...request, idempotencyKey }));
    if (withdrawal) props.onDone(withdrawal);
  };

  return (
    <Dialog title="New client withdrawal" onClose={props.onClose} testId="withdrawal-request-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)} onChange={submission.clearError}>
        {props.wallet ? (
          <p className="muted" data-testid="withdrawal-from">
            From <strong>{props.wallet.label}</strong> on {CHAIN_LABELS[props.wallet.chain]}
            {clientName ? <> · {clientName}</> : null}
          </p>
        ) : (
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
        )}
        <label className="field">
          <span>Asset</span>
          <select value={assetId} onChange={(e) => setAssetId(e.target.value)} disabled={!wallet} data-testid="withdrawal-asset">
            <option value="">{wallet ? 'Choose…' : 'Choose a wallet first'}</option>
            {assets.map((a) => (
              <option key={a.id} value={a.id}>
                {assetName(a)}
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
        {book.length > 0 && (
          <label className="field">
            <span>From the address book</span>
            <select
              value={bookEntry?.id ?? ''}
              onChange={(e) => setDestination(book.find((b) => b.id === e.target.value)?.address ?? '')}
              data-testid="withdrawal-book"
            >
              <option value="">Type an address below, or choose a saved one…</option>
              {book.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.label} — {b.address.slice(0, 8)}…{b.address.slice(-6)}
                  {b.whitelisted ? ' (whitelisted)' : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Destination address{wallet ? ` on ${CHAIN_LABELS[wallet.chain]}` : ''}</span>
          <input
            value={destination}
            spellCheck={false}
            className="mono"
            aria-invalid={(touched || destination !== '') && !!destinationProblem}
            placeholder={wallet?.chain === 'tron' ? 'T…' : '0x…'}
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
          disabled={(touched && !valid) || (review.reviewing && (quote.loading || !!shortfall))}
          disabledReason={review.reviewing ? (quote.loading ? 'Waiting for the fee quote.' : shortfall ? 'Top up first (see above).' : undefined) : notReady}
          onCancel={props.onClose}
          label={{ idle: 'Request withdrawal', pending: 'Requesting…', confirm: 'Confirm and request' }}
          testId="withdrawal-submit"
          review={{
            active: review.reviewing,
            onBack: review.back,
            lines: [
              ['From', <>{wallet?.label}{clientName ? ` · ${clientName}` : ''} on {wallet ? CHAIN_LABELS[wallet.chain] : ''}</>],
              ['Amount', amount.ok && asset ? <Amount value={amount.baseUnits} assetId={asset.id} /> : '—'],
              ['To', <>{bookEntry && <strong>{bookEntry.label} </strong>}<Address value={destination.trim()} /></>],
              ...quoteLines(quote, wallet?.chain),
              ['Then', 'the amount is held now; a second operator approves, then it is signed on the Ledger and sent'],
            ],
            alert: <QuoteShortfall quote={quote.quote} chain={wallet?.chain} />,
          }}
        />
      </form>
    </Dialog>
  );
}
