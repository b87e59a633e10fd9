import { z } from 'zod';
import { DEPOSIT_STATES, type DepositMinimumView, type DepositView } from '../../domain/deposits';
import type { Page } from '../../domain/ledger';
import { STRAY_RECOVERY_ACTIONS, type UnidentifiedFundView } from '../../domain/unidentified-funds';
import { WALLET_STATUSES, type WalletView } from '../../domain/wallets';
import { channel } from '../define';
import * as s from '../schemas';

export const walletChannels = {
  create: channel<WalletView>()('wallets:create', z.object({ chain: s.chain, label: s.label, idempotencyKey: s.idempotencyKey.optional() }).strict()),
  list: channel<Page<WalletView>>()(
    'wallets:list',
    z
      .object({
        chain: s.chain.optional(),
        status: z.enum(WALLET_STATUSES).optional(),
        search: s.search,
        cursor: s.cursor,
        limit: s.pageSize,
      })
      .strict(),
  ),
  get: channel<WalletView>()('wallets:get', z.object({ walletId: s.id }).strict()),
  /** A new alias (label); address and history stay. */
  rename: channel<WalletView>()('wallets:rename', z.object({ walletId: s.id, label: s.label }).strict()),
  /** Disable (suspended: receives, cannot send), enable (active), or close an empty wallet for good. */
  setStatus: channel<WalletView>()(
    'wallets:setStatus',
    z.object({ walletId: s.id, status: z.enum(WALLET_STATUSES) }).strict(),
  ),
  /** Incoming transfers the watchers found, newest first: one wallet's, or all (holding top-ups included). */
  deposits: channel<Page<DepositView>>()(
    'wallets:deposits',
    z
      .object({ walletId: s.id.optional(), chain: s.chain.optional(), state: z.enum(DEPOSIT_STATES).optional(), cursor: s.cursor, limit: s.pageSize })
      .strict(),
  ),
  /** The smallest deposit credited per asset (smaller ones are recorded as below the minimum), with the defaults. */
  depositMinimums: channel<DepositMinimumView[]>()('wallets:depositMinimums', z.object({ chain: s.chain.optional() }).strict()),
  setDepositMinimum: channel<DepositMinimumView>()('wallets:setDepositMinimum', z.object({ assetId: s.assetId, minAmount: s.baseUnits }).strict()),
  /** An officer credits a deposit that arrived below the minimum to its wallet (once, audited). */
  creditBelowMinimum: channel<DepositView>()('wallets:creditBelowMinimum', z.object({ depositId: s.id }).strict()),
  /** Funds at our deposit addresses the watcher could not credit (unknown tokens, internal transfers, the other EVM chain). */
  unidentifiedFunds: channel<UnidentifiedFundView[]>()('wallets:unidentifiedFunds', z.object({ chain: s.chain.optional(), limit: s.pageSize }).strict()),
  /** An officer proposes what becomes of an unidentified entry; a different operator decides (maker-checker). */
  proposeStrayRecovery: channel<UnidentifiedFundView>()(
    'wallets:proposeStrayRecovery',
    // returnTo: where "return to the sender" pays (the transaction's sender when left out).
    z.object({ id: s.id, action: z.enum(STRAY_RECOVERY_ACTIONS), returnTo: s.address.optional() }).strict(),
  ),
  decideStrayRecovery: channel<UnidentifiedFundView>()('wallets:decideStrayRecovery', z.object({ id: s.id, approve: z.boolean() }).strict()),
} as const;
