import type { WalletService } from '../wallets/wallet-service';
import { fromBaseUnits } from '@shared/money';
import type { DepositMinimums } from '../watch/deposit-minimums';
import type { WatchService } from '../watch/watch-service';
import type { AreaHandlers } from './types';

export const walletHandlers = (wallets: WalletService, watch: WatchService, minimums: DepositMinimums): AreaHandlers<'wallets'> => ({
  create: (request, context) => wallets.create(request, context.operator),
  list: (request) => wallets.list(request),
  get: ({ walletId }) => wallets.get(walletId),
  setStatus: ({ walletId, status }, context) => wallets.setStatus(walletId, status, context.operator),
  deposits: async (request) => {
    if (request.walletId) await wallets.row(request.walletId);
    return watch.deposits(request);
  },
  depositMinimums: ({ chain }) => minimums.all(chain),
  setDepositMinimum: ({ assetId, minAmount }, context) => minimums.set(assetId, fromBaseUnits(minAmount), context.operator ?? 'officer'),
  creditBelowMinimum: ({ depositId }, context) => watch.creditBelowMinimum(depositId, context.operator ?? 'officer'),
  unidentifiedFunds: (request) => watch.unidentifiedFunds(request),
});
