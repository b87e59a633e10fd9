import { useEffect, useState } from 'react';
import type { ClientFeeQuote } from '@shared/domain/client-fees';
import { treasury } from '../../api';
import { Amount } from '../../components/Amount';

/**
 * The client's fee for the amount being typed, as the engine will book it: what leaves the balance and what the
 * destination receives. Asked again (debounced) whenever wallet, asset or amount change.
 */
export function useClientFeeQuote(walletId: string, assetId: string, amount: string | null): ClientFeeQuote | null {
  const [quote, setQuote] = useState<ClientFeeQuote | null>(null);
  useEffect(() => {
    setQuote(null);
    if (!walletId || !assetId || !amount) return;
    let live = true;
    const timer = setTimeout(() => {
      void treasury.withdrawals.clientFeeQuote({ walletId, assetId, amount }).then((result) => {
        if (live && result.ok) setQuote(result.data);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [walletId, assetId, amount]);
  return quote;
}

export function ClientFeePreview({ quote }: { quote: ClientFeeQuote | null }) {
  if (!quote) return null;
  if (quote.fee === '0') return <p className="muted" data-testid="withdrawal-fee-preview">No withdrawal fee for this client and asset.</p>;
  return (
    <p className="callout" data-testid="withdrawal-fee-preview">
      Withdrawal fee <Amount value={quote.fee} assetId={quote.assetId} /> {quote.mode === 'deducted' ? 'deducted from the amount' : 'on top of the amount'}: the destination
      receives <Amount value={quote.netAmount} assetId={quote.assetId} />, and <Amount value={quote.debited} assetId={quote.assetId} /> leaves the balance.
    </p>
  );
}
