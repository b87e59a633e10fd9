import { z } from 'zod';
import { FIAT_CURRENCIES } from '../../domain/fiat';
import type { Page } from '../../domain/ledger';
import { OFFRAMP_STATES, ONRAMP_STATES, type OffRampSimulation, type OffRampView, type OnRampView, type RampSettingsView } from '../../domain/ramps';
import { BANK_RAILS, plainText, textField } from '../../validation';
import { channel } from '../define';
import * as s from '../schemas';

/** Fiat amounts cross as decimal strings of the currency's minor units (cents), like crypto base units. */
const minorUnits = s.positiveBaseUnits;
const feeMinorUnits = s.baseUnits;
const rate = textField(1, 40);
const reference = textField(3, 100);

export const rampChannels = {
  settings: channel<RampSettingsView>()('ramps:settings:get', s.empty),
  setReceivingAccount: channel<RampSettingsView>()(
    'ramps:settings:setReceivingAccount',
    z
      .object({
        rail: z.enum(BANK_RAILS),
        beneficiary: textField(2, 200),
        account: z.record(z.string().regex(/^[A-Za-z]{1,30}$/), plainText(z.string().max(100))),
      })
      .strict(),
  ),
  setOffRampDestination: channel<RampSettingsView>()(
    'ramps:settings:setOffRampDestination',
    z.object({ chain: s.chain, address: textField(1, 100) }).strict(),
  ),
  setOnRampTtl: channel<RampSettingsView>()('ramps:settings:setOnRampTtl', z.object({ hours: z.number().int().min(1).max(720) }).strict()),

  requestOnRamp: channel<OnRampView>()(
    'ramps:onramp:request',
    z
      .object({ clientId: s.id, walletId: s.id, assetId: s.assetId, currency: z.enum(FIAT_CURRENCIES), amount: minorUnits, rail: z.enum(BANK_RAILS), idempotencyKey: s.idempotencyKey.optional() })
      .strict(),
  ),
  recordOnRampFiat: channel<OnRampView>()('ramps:onramp:recordFiat', z.object({ onRampId: s.id, bankReference: reference, amount: minorUnits }).strict()),
  verifyOnRamp: channel<OnRampView>()('ramps:onramp:verify', z.object({ onRampId: s.id, acceptReceivedAmount: z.boolean().optional() }).strict()),
  quoteOnRamp: channel<OnRampView>()('ramps:onramp:quote', z.object({ onRampId: s.id, rate, fee: feeMinorUnits }).strict()),
  creditOnRamp: channel<OnRampView>()('ramps:onramp:credit', z.object({ onRampId: s.id, cryptoAmount: s.positiveBaseUnits }).strict()),
  /** A second operator approves a credit that waits for approvers; the approval that reaches the quorum books it. */
  approveOnRampCredit: channel<OnRampView>()('ramps:onramp:approveCredit', z.object({ onRampId: s.id }).strict()),
  completeOnRamp: channel<OnRampView>()('ramps:onramp:complete', z.object({ onRampId: s.id }).strict()),
  cancelOnRamp: channel<OnRampView>()('ramps:onramp:cancel', z.object({ onRampId: s.id, reason: s.reason }).strict()),
  expireOnRamps: channel<{ expired: string[] }>()('ramps:onramp:expire', s.empty),
  getOnRamp: channel<OnRampView>()('ramps:onramp:get', z.object({ onRampId: s.id }).strict()),
  listOnRamps: channel<Page<OnRampView>>()(
    'ramps:onramp:list',
    z.object({ clientId: s.id.optional(), state: z.enum(ONRAMP_STATES).optional(), cursor: s.cursor, limit: s.pageSize }).strict(),
  ),

  requestOffRamp: channel<OffRampView>()(
    'ramps:offramp:request',
    z.object({ clientId: s.id, walletId: s.id, bankAccountId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits, idempotencyKey: s.idempotencyKey.optional() }).strict(),
  ),
  /** What an off-ramp would pay out (rate, converted amount, fee, final amount), holding nothing. */
  simulateOffRamp: channel<OffRampSimulation>()(
    'ramps:offramp:simulate',
    z.object({ clientId: s.id, walletId: s.id, bankAccountId: s.id, assetId: s.assetId, amount: s.positiveBaseUnits }).strict(),
  ),
  sendOffRampCrypto: channel<OffRampView>()('ramps:offramp:sendCrypto', z.object({ offRampId: s.id }).strict()),
  followOffRamp: channel<OffRampView>()('ramps:offramp:follow', z.object({ offRampId: s.id }).strict()),
  convertOffRamp: channel<OffRampView>()(
    'ramps:offramp:convert',
    z.object({ offRampId: s.id, rate, fee: feeMinorUnits, currency: z.enum(FIAT_CURRENCIES) }).strict(),
  ),
  recordOffRampPayout: channel<OffRampView>()('ramps:offramp:recordPayout', z.object({ offRampId: s.id, payoutReference: reference }).strict()),
  completeOffRamp: channel<OffRampView>()('ramps:offramp:complete', z.object({ offRampId: s.id }).strict()),
  refundOffRamp: channel<OffRampView>()('ramps:offramp:refund', z.object({ offRampId: s.id, reason: s.reason }).strict()),
  getOffRamp: channel<OffRampView>()('ramps:offramp:get', z.object({ offRampId: s.id }).strict()),
  listOffRamps: channel<Page<OffRampView>>()(
    'ramps:offramp:list',
    z.object({ clientId: s.id.optional(), state: z.enum(OFFRAMP_STATES).optional(), cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
} as const;
