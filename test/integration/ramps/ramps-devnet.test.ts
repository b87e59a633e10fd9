import { topUpCompanyNative } from '@test/company-reserve';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { OffRampView, OnRampView } from '@shared/domain/ramps';
import type { HoldingAddressView, WithdrawalView } from '@shared/domain/withdrawals';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { creditOnRamp } from '@test/controls';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { configureReceiving, rampClient, type RampClient } from './ramp-fixtures';

/**
 * Both ramps end to end on the Polygon devnet: the on-ramp credits a virtual balance backed by the
 * holding wallet; the off-ramp's crypto leg leaves the holding wallet through the withdrawals pipeline,
 * approved by a second operator and signed on the virtual Ledger, before fiat is paid out.
 */
const DEVICE_MNEMONIC = 'test test test test test test test test test test test junk';
const LIQUIDITY = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const ASSET = 'polygon:USDT';
const USDT = 10n ** 6n;

let evm: EvmDevnet;
let device: VirtualLedger;
let t: TestEngine;
let approver: TestOperator;
let holding: HoldingAddressView;
let asset: Asset;
let alice: RampClient;

const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });
const chainBalance = async (address: string) => (await t.engine.services.chains.adapter('polygon')).balance(asset, address);
const clientBalance = () => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: alice.wallet.id });
const account = (kind: 'offramp_clearing' | 'onramp_clearing' | 'holding') => t.engine.services.ledger.balance({ kind, assetId: ASSET });

async function offRamp(amount: bigint): Promise<OffRampView> {
  return ok<OffRampView>('ramps:offramp:request', {
    clientId: alice.client.id,
    walletId: alice.wallet.id,
    bankAccountId: alice.bankAccount.id,
    assetId: ASSET,
    amount: amount.toString(),
  });
}

beforeAll(async () => {
  evm = await startEvmDevnet({ chain: 'polygon' });
  device = new VirtualLedger({ mnemonic: DEVICE_MNEMONIC, app: 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
  t = await startUnlockedEngine(engineConfig());
  approver = await t.signInAs('approver', 'bob');
  await ok('configuration:update', { chain: 'polygon', rpcUrl: evm.url });
  asset = await t.engine.services.assets.get(ASSET);
  holding = await ok<HoldingAddressView>('holding:register', { chain: 'polygon' });
  await evm.setNativeBalance(holding.address, 10n ** 19n);
  // The crypto legs' network fees are paid from the company's own POL, sent to holding and booked as reserve.
  await topUpCompanyNative(t, 'polygon', { evm }, holding.address, 10n ** 18n);
  await evm.mintToken('USDT', holding.address, 10_000n * USDT);
  await configureReceiving(t);
  await ok('ramps:settings:setOffRampDestination', { chain: 'polygon', address: LIQUIDITY });
  alice = await rampClient(t, 'polygon');
});

afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

describe('ramps on the devnet', () => {
  it('credits an on-ramp to the virtual wallet; the coins stay in the holding wallet', async () => {
    const holdingBefore = await chainBalance(holding.address);
    const requested = await ok<OnRampView>('ramps:onramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, assetId: ASSET, currency: 'EUR', amount: '100000', rail: 'sepa' });
    await ok('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-IN-1', amount: '100000' });
    await ok('ramps:onramp:verify', { onRampId: requested.id });
    const quoted = await ok<OnRampView>('ramps:onramp:quote', { onRampId: requested.id, rate: '1.08', fee: '0' });
    expect(quoted.cryptoAmount).toBe((1_080n * USDT).toString());
    await creditOnRamp(t, requested.id, quoted.cryptoAmount!);
    await ok('ramps:onramp:complete', { onRampId: requested.id });
    expect(await clientBalance()).toMatchObject({ posted: (1_080n * USDT).toString(), available: (1_080n * USDT).toString() });
    expect(await chainBalance(holding.address)).toBe(holdingBefore);
    expect(await chainBalance(alice.wallet.address)).toBe(0n);
  });

  it('runs an off-ramp: hold, crypto leg approved and signed on the Ledger, converted, paid, completed', async () => {
    const amount = 400n * USDT;
    const held = await offRamp(amount);
    expect(held.state).toBe('held');
    expect(await clientBalance()).toMatchObject({ posted: (1_080n * USDT).toString(), available: (680n * USDT).toString() });

    const pending = await ok<OffRampView>('ramps:offramp:sendCrypto', { offRampId: held.id });
    expect(pending).toMatchObject({ state: 'crypto_pending', payoutId: expect.any(String) });
    const withdrawal = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: pending.payoutId });
    expect(withdrawal).toMatchObject({ kind: 'offramp', destination: LIQUIDITY, amount: amount.toString(), cause: { type: 'offramp', id: held.id } });
    // the same request again (a retry after a crash) finds the same withdrawal, never a second payment
    await expect(call('ramps:offramp:sendCrypto', { offRampId: held.id })).resolves.toMatchObject({ ok: false, error: { code: 'conflict' } });

    if (withdrawal.state === 'requested') await callOk(t.engine, 'withdrawals:approve', { withdrawalId: withdrawal.id }, approver);
    const holdingBefore = await chainBalance(holding.address);
    const signed = await callOk<WithdrawalView>(t.engine, 'withdrawals:sign', { withdrawalId: withdrawal.id }, approver);
    expect(signed.state).toBe('broadcast');
    expect(device.reviews[device.reviews.length - 1]).toMatchObject({ kind: 'token-transfer', ticker: 'USDT', recipient: LIQUIDITY, amount });
    // broadcast is not yet sent: the off-ramp waits for the confirmation
    expect((await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id })).state).toBe('crypto_pending');

    await evm.mine(3);
    await t.engine.services.withdraw.tracker.track();
    const sent = await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id });
    expect(sent).toMatchObject({ state: 'crypto_sent', txHash: signed.txHash });
    expect(await chainBalance(LIQUIDITY)).toBe(amount);
    expect(await chainBalance(holding.address)).toBe(holdingBefore - amount);
    expect(await clientBalance()).toMatchObject({ posted: (680n * USDT).toString(), pending: '0', available: (680n * USDT).toString() });
    // clearing is passed through: credited by the client's posted hold, emptied into the holding payout
    expect(await account('offramp_clearing')).toMatchObject({ posted: '0', pending: '0' });

    // 400 USDT at 0.92 EUR = 368.00 EUR, less a 1.50 EUR fee
    const converted = await ok<OffRampView>('ramps:offramp:convert', { offRampId: held.id, rate: '0.92', fee: '150', currency: 'EUR' });
    expect(converted).toMatchObject({ state: 'converted', fiatAmount: '36650', currency: 'EUR' });
    await ok('ramps:offramp:recordPayout', { offRampId: held.id, payoutReference: 'SEPA-OUT-0001' });
    const completed = await ok<OffRampView>('ramps:offramp:complete', { offRampId: held.id });
    // crypto_pending twice: the step saved before the pipeline is asked, then the withdrawal it answered
    expect(completed.history.map((h) => h.to)).toEqual(['held', 'crypto_pending', 'crypto_pending', 'crypto_sent', 'converted', 'fiat_paid', 'completed']);
    expect(completed.history[2]!.detail).toEqual({ withdrawalId: withdrawal.id });
    const actions = (await t.engine.services.audit.list({ entityType: 'offramp', entityId: held.id, limit: 20 })).map((r) => r.action).reverse();
    expect(actions).toEqual(['offramp.held', 'offramp.crypto_pending', 'offramp.crypto_pending', 'offramp.crypto_sent', 'offramp.converted', 'offramp.fiat_paid', 'offramp.completed']);
    expect(await ok('audit:verify', {})).toMatchObject({ ok: true });
    const invariants = await t.engine.services.ledger.totalsByKind();
    const sum = invariants.filter((r) => r.assetId === ASSET).reduce((acc, r) => acc + r.totals.debitsPosted - r.totals.creditsPosted, 0n);
    expect(sum).toBe(0n);
  });

  it('refunds the hold when the crypto leg is cancelled in the pipeline', async () => {
    const before = await clientBalance();
    const held = await offRamp(50n * USDT);
    const pending = await ok<OffRampView>('ramps:offramp:sendCrypto', { offRampId: held.id });
    const withdrawal = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: pending.payoutId });
    // refunding under a live crypto leg could pay twice: refused until the pipeline lets go
    if (withdrawal.state === 'requested' || withdrawal.state === 'approved') {
      await expect(call('ramps:offramp:refund', { offRampId: held.id, reason: 'client asked' })).resolves.toMatchObject({ ok: false, error: { code: 'conflict' } });
    }
    await ok('withdrawals:cancel', { withdrawalId: withdrawal.id, reason: 'liquidity provider offline' });
    const refunded = await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id });
    expect(refunded).toMatchObject({ state: 'refunded', reason: expect.stringMatching(/cancelled/) });
    expect(await clientBalance()).toEqual(before);
    expect(await account('offramp_clearing')).toMatchObject({ posted: '0', pending: '0' });
  });

  it('refunds after the crypto left by reversing the posted hold, before any payout', async () => {
    const before = await clientBalance();
    const held = await offRamp(30n * USDT);
    const pending = await ok<OffRampView>('ramps:offramp:sendCrypto', { offRampId: held.id });
    const withdrawal = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: pending.payoutId });
    if (withdrawal.state === 'requested') await callOk(t.engine, 'withdrawals:approve', { withdrawalId: withdrawal.id }, approver);
    await callOk(t.engine, 'withdrawals:sign', { withdrawalId: withdrawal.id }, approver);
    await evm.mine(3);
    await t.engine.services.withdraw.tracker.track();
    expect((await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id })).state).toBe('crypto_sent');
    const refunded = await ok<OffRampView>('ramps:offramp:refund', { offRampId: held.id, reason: 'bank rejected the payout' });
    expect(refunded.state).toBe('refunded');
    expect(await clientBalance()).toEqual(before);
    // the liquidity provider now owes the coins back: clearing carries that receivable
    expect(await account('offramp_clearing')).toMatchObject({ posted: (-30n * USDT).toString() });
  });

  it('resumes an off-ramp cut short between asking the pipeline and saving its answer, paying once', async () => {
    const held = await offRamp(20n * USDT);
    // The crash point, as a killed process leaves it: the step saved, the pipeline asked, its id not saved.
    t.engine.database.sqlite!.prepare("update offramps set state = 'crypto_pending' where id = ?").run(held.id);
    const first = await t.engine.services.withdraw.withdrawals.requestPayout(
      { purpose: 'offramp', idempotencyKey: `offramp:${held.id}:crypto`, assetId: ASSET, amount: 20n * USDT, destination: LIQUIDITY, causeId: held.id, memo: `Off-ramp ${held.id}` },
      { operator: 'admin' },
    );
    const resumed = await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id });
    expect(resumed).toMatchObject({ state: 'crypto_pending', payoutId: first.id });
    const all = await ok<{ items: WithdrawalView[] }>('withdrawals:list', { kind: 'offramp', limit: 500 });
    expect(all.items.filter((w) => w.cause?.id === held.id)).toHaveLength(1);
    await ok('withdrawals:cancel', { withdrawalId: first.id, reason: 'test over' });
    expect((await ok<OffRampView>('ramps:offramp:follow', { offRampId: held.id })).state).toBe('refunded');
  });

  it('after a restart with the crypto leg on chain, follows the confirmation on its own', async () => {
    const held = await offRamp(25n * USDT);
    const pending = await ok<OffRampView>('ramps:offramp:sendCrypto', { offRampId: held.id });
    const withdrawal = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: pending.payoutId });
    if (withdrawal.state === 'requested') await callOk(t.engine, 'withdrawals:approve', { withdrawalId: withdrawal.id }, approver);
    await callOk(t.engine, 'withdrawals:sign', { withdrawalId: withdrawal.id }, approver);

    // the process stops with the off-ramp waiting and the transaction in the mempool or a block
    const home = t.home;
    await t.engine.close();
    t = await startTestEngine({ ...engineConfig(), home });
    expect((await ok<OffRampView>('ramps:offramp:get', { offRampId: held.id })).state).toBe('crypto_pending');
    await evm.mine(3);
    await t.engine.services.withdraw.tracker.track();
    // no explicit follow: the withdrawal.status event moves the off-ramp
    await vi.waitFor(async () => expect((await ok<OffRampView>('ramps:offramp:get', { offRampId: held.id })).state).toBe('crypto_sent'), { timeout: 5_000 });
    expect(await account('offramp_clearing')).toMatchObject({ pending: '0' });
  });
});

function engineConfig() {
  return {
    withdrawalTrackIntervalMs: 0,
    signer: {
      openTransport: device.factory(),
      software: true,
      evmTokenInfo: (a: Asset, chainId: number) => withTestSignature({ ticker: a.symbol, contractAddress: a.contract!, decimals: a.decimals, chainId }),
    },
  };
}
