import type { TransferReceipt } from '@shared/domain/ledger';
import { fromBaseUnits } from '@shared/money';
import type { Ledger, TransferOutcome } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import type { WalletService } from '../wallets/wallet-service';
import type { CompanyCreditView } from '@shared/domain/controls';
import { companyCreditActions } from '../controls/allowed-actions';
import type { CompanyCreditRequests } from '../controls/company-credits';
import type { Quorum } from '../controls/quorum';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { AreaHandlers, CallContext } from './types';

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

const withActions = (credit: CompanyCreditView, context: CallContext): CompanyCreditView => ({ ...credit, allowedActions: companyCreditActions(credit, context) });

export const transferHandlers = (transfers: TransferService, credits: CompanyCreditRequests, ledger: Ledger, wallets: WalletService, quorum: Quorum): AreaHandlers<'transfers'> => ({
  internal: async (request, context) =>
    receipt(await transfers.internalTransfer({ ...request, amount: fromBaseUnits(request.amount) }, { operator: context.operator })),
  companyCredit: (request, context) => credits.request({ ...request, amount: fromBaseUnits(request.amount) }, requireOperator(context, 'ask for a company credit')),
  approveCompanyCredit: async ({ creditId }, context) => withActions(await credits.approve(creditId, requireOperator(context, 'approve a company credit')), context),
  rejectCompanyCredit: async ({ creditId, reason }, context) => withActions(await credits.reject(creditId, reason, requireOperator(context, 'reject a company credit')), context),
  companyCredits: async (request, context) => {
    const page = await credits.list(request);
    const items = await quorum.withApprovals('company_credit', page.items);
    return { ...page, items: items.map((credit) => withActions(credit, context)) };
  },
  history: async ({ walletId, assetId, cursor, limit }) => {
    await wallets.row(walletId);
    return ledger.history({ kind: 'client_wallet', assetId, walletId }, cursor, limit);
  },
});
