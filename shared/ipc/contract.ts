import { z } from 'zod';
import type { Asset } from '../domain/assets';
import type { Configuration } from '../domain/configuration';
import type { Page, ReconciliationLine, TransferReceipt, TransferView } from '../domain/ledger';
import type { CustodyStatus, SystemStatus } from '../domain/system';
import { WALLET_STATUSES, type WalletView } from '../domain/wallets';
import { channel } from './define';
import * as s from './schemas';

/**
 * Every IPC channel, once. Keys are the method names preload exposes (`treasury.system.status()`),
 * `name` is the wire channel. Main registers one handler per entry; the compiler keeps preload,
 * renderer and handlers in step with this object.
 */
export const contract = {
  system: {
    status: channel<SystemStatus>()('system:status', s.empty),
    // The passphrase travels inward once, to main, and is never echoed, stored in clear or logged.
    setup: channel<CustodyStatus>()('system:setup', z.object({ passphrase: s.passphrase }).strict()),
    unlock: channel<CustodyStatus>()('system:unlock', z.object({ passphrase: s.passphrase }).strict()),
    lock: channel<CustodyStatus>()('system:lock', s.empty),
  },
  wallets: {
    create: channel<WalletView>()('wallets:create', z.object({ chain: s.chain, label: s.label }).strict()),
    list: channel<Page<WalletView>>()(
      'wallets:list',
      z
        .object({
          chain: s.chain.optional(),
          status: z.enum(WALLET_STATUSES).optional(),
          search: z.string().trim().max(120).optional(),
          cursor: s.cursor,
          limit: s.pageSize,
        })
        .strict(),
    ),
    get: channel<WalletView>()('wallets:get', z.object({ walletId: s.id }).strict()),
    setStatus: channel<WalletView>()(
      'wallets:setStatus',
      z.object({ walletId: s.id, status: z.enum(WALLET_STATUSES) }).strict(),
    ),
  },
  transfers: {
    internal: channel<TransferReceipt>()(
      'transfers:internal',
      z
        .object({
          idempotencyKey: s.idempotencyKey,
          fromWalletId: s.id,
          toWalletId: s.id,
          assetId: s.assetId,
          amount: s.positiveBaseUnits,
          memo: z.string().trim().max(500).optional(),
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
  },
  configuration: {
    get: channel<Configuration>()('configuration:get', s.empty),
    update: channel<Configuration>()(
      'configuration:update',
      z
        .object({
          profile: s.networkProfile.optional(),
          chain: s.chain.optional(),
          rpcUrl: s.httpUrl.optional(),
          confirmations: z.number().int().min(1).max(1000).optional(),
        })
        .strict()
        .refine((r) => (r.rpcUrl === undefined && r.confirmations === undefined) || r.chain !== undefined, {
          message: 'rpcUrl and confirmations need a chain.',
        }),
    ),
    assets: channel<Asset[]>()('configuration:assets', z.object({ chain: s.chain.optional() }).strict()),
  },
  audit: {
    reconcile: channel<ReconciliationLine[]>()('audit:reconcile', s.empty),
  },
} as const;

export type Contract = typeof contract;
export type Area = keyof Contract;

/** Flat list of every channel, for registration loops and the completeness test. */
export function allChannels(): Array<{ area: string; method: string; name: string; request: z.ZodType }> {
  const list: Array<{ area: string; method: string; name: string; request: z.ZodType }> = [];
  for (const [area, methods] of Object.entries(contract)) {
    for (const [method, ch] of Object.entries(methods as Record<string, { name: string; request: z.ZodType }>)) {
      list.push({ area, method, name: ch.name, request: ch.request });
    }
  }
  return list;
}
