import { useWalletScreen } from '../store/wallets';
import { WalletDetail } from './wallets/WalletDetail';
import { WalletList } from './wallets/WalletList';

export function Wallets() {
  const { walletId, back } = useWalletScreen();
  return walletId ? <WalletDetail key={walletId} walletId={walletId} onBack={back} /> : <WalletList />;
}
