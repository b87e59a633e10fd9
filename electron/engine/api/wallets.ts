import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletService } from '../wallets/wallet-service';
import { fromBaseUnits } from '@shared/money';
import type { DepositMinimums } from '../watch/deposit-minimums';
import type { WatchService } from '../watch/watch-service';
import type { AreaHandlers } from './types';

async function oneStray(watch: WatchService, id: string): Promise<UnidentifiedFundView> {
  const [view] = await watch.unidentifiedFunds({ id, limit: 1 });
  return view!;
}

export const walletHandlers = (wallets: WalletService, watch: WatchService, minimums: DepositMinimums): AreaHandlers<'wallets'> => ({
  create: (request, context) => wallets.create(request, context.operator),
  list: (request) => wallets.list(request),
  get: ({ walletId }) => wallets.get(walletId),
  rename: ({ walletId, label }, context) => wallets.rename(walletId, label, context.operator),
  setStatus: ({ walletId, status }, context) => wallets.setStatus(walletId, status, context.operator),
  deposits: async (request) => {
    if (request.walletId) await wallets.row(request.walletId);
    return watch.deposits(request);
  },
  depositMinimums: ({ chain }) => minimums.all(chain),
  setDepositMinimum: ({ assetId, minAmount }, context) => minimums.set(assetId, fromBaseUnits(minAmount), context.operator ?? 'officer'),
  creditBelowMinimum: ({ depositId }, context) => watch.creditBelowMinimum(depositId, context.operator ?? 'officer'),
  unidentifiedFunds: (request) => watch.unidentifiedFunds(request),
  proposeStrayRecovery: async ({ id, action, returnTo }, context) => {
    await watch.strays.propose(id, action, context.operator ?? 'officer', returnTo);
    return oneStray(watch, id);
  },
  decideStrayRecovery: async ({ id, approve }, context) => {
    await watch.strays.decide(id, approve, context);
    return oneStray(watch, id);
  },
});
