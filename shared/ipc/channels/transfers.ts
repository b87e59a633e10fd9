import { z } from 'zod';
import type { Page, TransferReceipt, TransferView } from '../../domain/ledger';
import { channel } from '../define';
import * as s from '../schemas';

export const transferChannels = {
  internal: channel<TransferReceipt>()(
    'transfers:internal',
    z
      .object({
        idempotencyKey: s.idempotencyKey,
        fromWalletId: s.id,
        toWalletId: s.id,
        assetId: s.assetId,
        amount: s.positiveBaseUnits,
        memo: s.memo,
      })
      .strict()
      .refine((r) => r.fromWalletId !== r.toWalletId, { message: 'Source and destination are the same wallet.', path: ['toWalletId'] }),
  ),
  companyCredit: channel<TransferReceipt>()(
    'transfers:companyCredit',
    z
      .object({ idempotencyKey: s.idempotencyKey, walletId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits, reason: s.reason })
      .strict(),
  ),
  history: channel<Page<TransferView>>()(
    'transfers:history',
    z.object({ walletId: s.id, assetId: s.assetId, cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
} as const;
