import { useWalletScreen } from '../store/wallets';
import { UnidentifiedFunds } from './wallets/UnidentifiedFunds';
import { WalletDetail } from './wallets/WalletDetail';
import { WalletList } from './wallets/WalletList';

export function Wallets() {
  const { walletId, back } = useWalletScreen();
  if (walletId) return <WalletDetail key={walletId} walletId={walletId} onBack={back} />;
  return (
    <div className="stack">
      <WalletList />
      <UnidentifiedFunds />
    </div>
  );
}
