import { z } from 'zod';
import type { Page } from '../../domain/ledger';
import {
  WITHDRAWAL_KINDS,
  WITHDRAWAL_STATES,
  type AddressBookEntry,
  type WithdrawalPolicy,
  type WithdrawalFeeEstimate,
  type WithdrawalView,
} from '../../domain/withdrawals';
import type { ControlsSettings } from '../../domain/controls';
import { channel } from '../define';
import * as s from '../schemas';

const address = s.address;
const memo = s.memo;
const rules = z
  .object({
    perWithdrawalLimit: s.positiveBaseUnits.optional(),
    dailyLimit: s.positiveBaseUnits.optional(),
    approvalThreshold: s.baseUnits.optional(),
    walletDailyLimit: s.positiveBaseUnits.optional(),
    walletMonthlyLimit: s.positiveBaseUnits.optional(),
    walletHourlyCount: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const withdrawalChannels = {
  /** A client's virtual balance out to an external address; the balance is held at once. */
  request: channel<WithdrawalView>()(
    'withdrawals:request',
    z
      .object({ idempotencyKey: s.idempotencyKey, walletId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits, destination: address, memo })
      .strict(),
  ),
  approve: channel<WithdrawalView>()('withdrawals:approve', z.object({ withdrawalId: s.id }).strict()),
  /** Signs on the Ledger and broadcasts. */
  sign: channel<WithdrawalView>()('withdrawals:sign', z.object({ withdrawalId: s.id }).strict()),
  cancel: channel<WithdrawalView>()('withdrawals:cancel', z.object({ withdrawalId: s.id, reason: s.reason }).strict()),
  /** A stuck EVM transaction again with the same nonce and a higher fee, after a fresh device signature. */
  replace: channel<WithdrawalView>()('withdrawals:replace', z.object({ withdrawalId: s.id }).strict()),
  list: channel<Page<WithdrawalView>>()(
    'withdrawals:list',
    z
      .object({
        state: z.enum(WITHDRAWAL_STATES).optional(),
        kind: z.enum(WITHDRAWAL_KINDS).optional(),
        walletId: s.id.optional(),
        cursor: s.cursor,
        limit: s.pageSize,
      })
      .strict(),
  ),
  get: channel<WithdrawalView>()('withdrawals:get', z.object({ withdrawalId: s.id }).strict()),
  /** The chain's quote for the network fee before the withdrawal is sent (native coin). */
  feeEstimate: channel<WithdrawalFeeEstimate>()('withdrawals:feeEstimate', z.object({ withdrawalId: s.id }).strict()),
  addressBookList: channel<AddressBookEntry[]>()('withdrawals:addressBookList', z.object({ chain: s.chain.optional() }).strict()),
  addressBookAdd: channel<AddressBookEntry>()(
    'withdrawals:addressBookAdd',
    z.object({ chain: s.chain, address, label: s.label, whitelisted: z.boolean() }).strict(),
  ),
  /** A second officer approves a whitelisting; the time lock starts then. */
  addressBookApprove: channel<AddressBookEntry>()('withdrawals:addressBookApprove', z.object({ entryId: s.id }).strict()),
  addressBookRemove: channel<{ removed: true }>()('withdrawals:addressBookRemove', z.object({ entryId: s.id }).strict()),
  policyGet: channel<WithdrawalPolicy>()('withdrawals:policyGet', s.empty),
  /** Replaces one asset's rules. */
  policySet: channel<WithdrawalPolicy>()('withdrawals:policySet', z.object({ assetId: s.assetId, rules }).strict()),
  /** The controls' settings (whitelist time lock, transfers into wallets of no client), on the same policy screen. */
  controlsGet: channel<ControlsSettings>()('withdrawals:controlsGet', s.empty),
  controlsSet: channel<ControlsSettings>()(
    'withdrawals:controlsSet',
    z.object({ whitelistTimeLockHours: z.number().int().min(0).max(24 * 30).optional(), transfersToUnownedWallets: z.boolean().optional(), uboThresholdPercent: z.number().int().min(1).max(100).optional() }).strict(),
  ),
} as const;
