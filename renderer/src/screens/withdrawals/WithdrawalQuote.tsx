import { useEffect, useState } from 'react';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { WithdrawalQuote } from '@shared/domain/withdrawals';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Address } from '../../components/Address';
import { Amount } from '../../components/Amount';
import type { ReviewLine } from '../../components/SubmitActions';
import { explainRefusal } from '../../words/refusals';
import { displayDecimals } from '../../words/names';
import { useAssets } from '../../store/assets';
import type { Asset } from '@shared/domain/assets';

export type QuoteState = { quote: WithdrawalQuote | null; error: AppError | null; loading: boolean };

/**
 * The engine's quote for the withdrawal under review (client fee, network fee, the holding wallet's cover),
 * asked when the review step opens; the same reckoning the request then makes.
 */
export function useWithdrawalQuote(request: { walletId: string; assetId: string; amount: string; destination: string } | null): QuoteState {
  const [state, setState] = useState<QuoteState>({ quote: null, error: null, loading: false });
  const key = request ? `${request.walletId}|${request.assetId}|${request.amount}|${request.destination}` : '';
  useEffect(() => {
    if (!request) return setState({ quote: null, error: null, loading: false });
    let live = true;
    setState({ quote: null, error: null, loading: true });
    void treasury.withdrawals.quote(request).then((result) => {
      if (!live) return;
      setState(result.ok ? { quote: result.data, error: null, loading: false } : { quote: null, error: result.error, loading: false });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** The review lines the quote fills in: what the client pays, what arrives, and the network fee the company pays. */
export function quoteLines(state: QuoteState, chain: Chain | undefined): ReviewLine[] {
  const chainName = chain ? CHAIN_LABELS[chain] : 'the chain';
  if (state.loading) return [['Fees', <span className="muted">Asking the engine and the chain for today’s fees…</span>]];
  if (state.error) return [['Fees', <span className="muted">No quote right now: {explainRefusal(state.error).message}</span>]];
  const quote = state.quote;
  if (!quote) return [];
  const { client, network } = quote;
  const fiat = network.values[0];
  return [
    [
      'Client fee',
      client.fee === '0' ? (
        'none for this client and asset'
      ) : (
        <span data-testid="withdrawal-quote-client-fee">
          <Amount value={client.fee} assetId={client.assetId} /> {client.mode === 'deducted' ? 'deducted from the amount' : 'on top of the amount'}
        </span>
      ),
    ],
    ['Arrives', <span data-testid="withdrawal-quote-net"><Amount value={client.netAmount} assetId={client.assetId} /> at the destination</span>],
    ['Leaves balance', <Amount value={client.debited} assetId={client.assetId} />],
    [
      'Network fee',
      network.maxFee === null ? (
        <span className="muted">the chain quotes it once the holding wallet has the amount</span>
      ) : (
        <span data-testid="withdrawal-quote-network-fee">
          up to <Amount value={network.maxFee} assetId={network.assetId} />
          {fiat ? ` (${fiatWords(fiat.value, fiat.currency)})` : ''}, paid by the company in {chainName}’s own coin from the holding wallet
        </span>
      ),
    ],
  ];
}

/** A top-up is said rounded up to the places shown, so sending what the screen says is enough. */
function roundedUp(amount: string, asset: Pick<Asset, 'decimals' | 'symbol'> | undefined): string {
  if (!asset) return amount;
  const step = 10n ** BigInt(asset.decimals - displayDecimals(asset));
  return (((BigInt(amount) + step - 1n) / step) * step).toString();
}

/** A fee's value: "about 0.42 USD", or "less than 0.01 USD" when it rounds down to nothing. */
function fiatWords(value: string, currency: string): string {
  return /^0(\.0+)?$/.test(value) ? `less than 0.01 ${currency}` : `about ${value} ${currency}`;
}

/** Said in words when the company's holding wallet cannot pay this withdrawal (or its fee) yet: what to send, and where. */
export function QuoteShortfall({ quote, chain }: { quote: WithdrawalQuote | null; chain: Chain | undefined }) {
  const short = quote?.shortfall;
  const asset = useAssets((s) => (short ? s.byId[short.assetId] : undefined));
  if (!short) return null;
  const chainName = chain ? CHAIN_LABELS[chain] : 'this chain';
  const others = short.pendingWithdrawals > 0 ? `, counting the ${short.pendingWithdrawals} other withdrawal${short.pendingWithdrawals === 1 ? '' : 's'} not yet mined` : '';
  return (
    <p className="callout callout--danger" role="alert" data-testid="withdrawal-quote-shortfall">
      {short.forFee ? 'The company cannot cover the network fee yet' : 'The holding wallet cannot pay this withdrawal yet'}: top up{' '}
      <strong>
        <Amount value={roundedUp(short.amount, asset)} assetId={short.assetId} />
      </strong>{' '}
      to the holding wallet on {chainName} <Address value={short.address} />
      {others}, then confirm.
    </p>
  );
}
