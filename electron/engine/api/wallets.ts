import type { WalletService } from '../wallets/wallet-service';
import type { WatchService } from '../watch/watch-service';
import type { AreaHandlers } from './types';

export const walletHandlers = (wallets: WalletService, watch: WatchService): AreaHandlers<'wallets'> => ({
  create: (request, context) => wallets.create(request, context.operator),
  list: (request) => wallets.list(request),
  get: ({ walletId }) => wallets.get(walletId),
  setStatus: ({ walletId, status }, context) => wallets.setStatus(walletId, status, context.operator),
  deposits: async (request) => {
    if (request.walletId) await wallets.row(request.walletId);
    return watch.deposits(request);
  },
});
