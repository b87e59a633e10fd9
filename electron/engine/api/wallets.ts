import type { WalletService } from '../wallets/wallet-service';
import type { AreaHandlers } from './types';

export const walletHandlers = (wallets: WalletService): AreaHandlers<'wallets'> => ({
  create: (request) => wallets.create(request),
  list: (request) => wallets.list(request),
  get: ({ walletId }) => wallets.get(walletId),
  setStatus: ({ walletId, status }) => wallets.setStatus(walletId, status),
});
