import { z } from 'zod';
import type { Page, TransferReceipt, TransferView } from '../../domain/ledger';
import { COMPANY_CREDIT_STATES, type CompanyCreditView } from '../../domain/controls';
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
  /** Asks for a company credit: uncovered credit, so a second operator approves it (four eyes) before it is booked. */
  companyCredit: channel<CompanyCreditView>()(
    'transfers:companyCredit',
    z
      .object({ idempotencyKey: s.idempotencyKey, walletId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits, reason: s.reason })
      .strict(),
  ),
  approveCompanyCredit: channel<CompanyCreditView>()('transfers:approveCompanyCredit', z.object({ creditId: s.id }).strict()),
  rejectCompanyCredit: channel<CompanyCreditView>()('transfers:rejectCompanyCredit', z.object({ creditId: s.id, reason: s.reason }).strict()),
  companyCredits: channel<Page<CompanyCreditView>>()(
    'transfers:companyCredits',
    z.object({ state: z.enum(COMPANY_CREDIT_STATES).optional(), walletId: s.id.optional(), cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
  history: channel<Page<TransferView>>()(
    'transfers:history',
    z.object({ walletId: s.id, assetId: s.assetId, cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
} as const;
