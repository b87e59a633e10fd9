import { z } from 'zod';
import type { Page } from '../../domain/ledger';
import {
  WITHDRAWAL_KINDS,
  WITHDRAWAL_STATES,
  type AddressBookEntry,
  type WithdrawalPolicy,
  type WithdrawalDepth,
  type WithdrawalFeeEstimate,
  type WithdrawalQuote,
  type WithdrawalView,
} from '../../domain/withdrawals';
import { CLIENT_FEE_MODES, type ClientFeeQuote, type ClientFeeSchedule } from '../../domain/client-fees';
import { QUORUM_ACTIONS, QUORUM_MAX, type ControlsSettings, type PolicyProposalView } from '../../domain/controls';
import { RISK_LEVELS } from '../../domain/screening';
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
    clientDailyLimit: s.positiveBaseUnits.optional(),
    clientMonthlyLimit: s.positiveBaseUnits.optional(),
  })
  .strict();

const feeRule = z
  .object({
    fixed: s.baseUnits,
    // Percent of the amount, 0 to 100 with at most 4 decimal places; the engine reads it exactly.
    percent: z.string().regex(/^(0|[1-9][0-9]?|100)(\.[0-9]{1,4})?$/, 'A percent from 0 to 100 with at most 4 decimal places, like 0.25.'),
    minimum: s.baseUnits.optional(),
    mode: z.enum(CLIENT_FEE_MODES),
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
  /** The confirmation counter, read from the chain when a screen asks. */
  depth: channel<WithdrawalDepth>()('withdrawals:depth', z.object({ withdrawalId: s.id }).strict()),
  feeEstimate: channel<WithdrawalFeeEstimate>()('withdrawals:feeEstimate', z.object({ withdrawalId: s.id }).strict()),
  /** What a client withdrawal of this amount would cost the client, and what the destination would receive. */
  clientFeeQuote: channel<ClientFeeQuote>()('withdrawals:clientFeeQuote', z.object({ walletId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits }).strict()),
  /** Before a client withdrawal is requested: client fee, network fee and the holding wallet's cover. Changes nothing. */
  quote: channel<WithdrawalQuote>()(
    'withdrawals:quote',
    z.object({ walletId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits, destination: address }).strict(),
  ),
  feeScheduleGet: channel<ClientFeeSchedule>()('withdrawals:feeScheduleGet', s.empty),
  /** Sets (rule) or removes (null) an asset's client fee, or one client's override of it. */
  feeScheduleSet: channel<ClientFeeSchedule>()(
    'withdrawals:feeScheduleSet',
    z.object({ assetId: s.assetId, clientId: s.id.optional(), rule: feeRule.nullable() }).strict(),
  ),
  addressBookList: channel<AddressBookEntry[]>()('withdrawals:addressBookList', z.object({ chain: s.chain.optional() }).strict()),
  addressBookAdd: channel<AddressBookEntry>()(
    'withdrawals:addressBookAdd',
    z.object({ chain: s.chain, address, label: s.label, whitelisted: z.boolean() }).strict(),
  ),
  /** A second officer approves a whitelisting; the time lock starts then. */
  addressBookApprove: channel<AddressBookEntry>()('withdrawals:addressBookApprove', z.object({ entryId: s.id }).strict()),
  addressBookRemove: channel<{ removed: true }>()('withdrawals:addressBookRemove', z.object({ entryId: s.id }).strict()),
  policyGet: channel<WithdrawalPolicy>()('withdrawals:policyGet', s.empty),
  /** Proposes one asset's rules in place of the current ones: they apply once a second admin approves. */
  policySet: channel<PolicyProposalView>()('withdrawals:policySet', z.object({ assetId: s.assetId, rules }).strict()),
  /** The controls' settings (time lock, cool-off, risk levels, quorums), on the same policy screen. */
  controlsGet: channel<ControlsSettings>()('withdrawals:controlsGet', s.empty),
  /** Proposes a change of the controls: it applies once a second admin approves. */
  controlsSet: channel<PolicyProposalView>()(
    'withdrawals:controlsSet',
    z
      .object({
        whitelistTimeLockHours: z.number().int().min(0).max(24 * 30).optional(),
        transfersToUnownedWallets: z.boolean().optional(),
        riskLevelsToAnyDestination: z.array(z.enum(RISK_LEVELS)).max(RISK_LEVELS.length).optional(),
        newDestinationCoolOffHours: z.number().int().min(0).max(24 * 30).optional(),
        uboThresholdPercent: z.number().int().min(1).max(100).optional(),
        quorum: z.partialRecord(z.enum(QUORUM_ACTIONS), z.number().int().min(1).max(QUORUM_MAX)).optional(),
        // replaces the whole map: an asset left out credits covered amounts without approvers
        onrampCreditApprovalAbove: z.record(s.assetId, s.positiveBaseUnits).optional(),
      })
      .strict(),
  ),
} as const;
