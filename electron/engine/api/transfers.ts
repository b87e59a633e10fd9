import type { TransferReceipt } from '@shared/domain/ledger';
import { fromBaseUnits } from '@shared/money';
import type { Ledger, TransferOutcome } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import type { WalletService } from '../wallets/wallet-service';
import type { AreaHandlers } from './types';

export function receipt({ transfer, replayed }: TransferOutcome): TransferReceipt {
  return {
    transferId: String(transfer.id),
    idempotencyKey: transfer.idempotency_key,
    code: transfer.code,
    assetId: transfer.asset_id,
    amount: transfer.amount,
    createdAt: transfer.created_at,
    replayed,
  };
}

export const transferHandlers = (transfers: TransferService, ledger: Ledger, wallets: WalletService): AreaHandlers<'transfers'> => ({
  internal: async (request, context) =>
    receipt(await transfers.internalTransfer({ ...request, amount: fromBaseUnits(request.amount) }, { operator: context.operator })),
  companyCredit: async (request, context) =>
    receipt(await transfers.companyCredit({ ...request, amount: fromBaseUnits(request.amount) }, { operator: context.operator })),
  history: async ({ walletId, assetId, cursor, limit }) => {
    await wallets.row(walletId);
    return ledger.history({ kind: 'client_wallet', assetId, walletId }, cursor, limit);
  },
});
