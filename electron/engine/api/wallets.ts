import type { WalletService } from '../wallets/wallet-service';
import type { AreaHandlers } from './types';

export const walletHandlers = (wallets: WalletService): AreaHandlers<'wallets'> => ({
  create: (request, context) => wallets.create(request, context.operator),
  list: (request) => wallets.list(request),
  get: ({ walletId }) => wallets.get(walletId),
  setStatus: ({ walletId, status }, context) => wallets.setStatus(walletId, status, context.operator),
});
