import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '@shared/ipc/events';
import type { OffRampView, OnRampView } from '@shared/domain/ramps';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { checker } from '@test/controls';
import { configureReceiving, rampClient, type RampClient } from './ramp-fixtures';

/**
 * Every committed ramp step tells the windows (`ramp.status` on the engine's bus), whoever took it: the lists
 * and the open dialog of another operator follow it. A refused step changes nothing and says nothing.
 */
let t: TestEngine;
let alice: RampClient;
const seen: Array<Extract<EngineEvent, { type: 'ramp.status' }>> = [];
const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);

beforeAll(async () => {
  t = await startUnlockedEngine();
  await configureReceiving(t);
  alice = await rampClient(t, 'polygon');
  t.engine.events.subscribe((event) => {
    if (event.type === 'ramp.status') seen.push(event);
  });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

describe('ramp events', () => {
  it('an on-ramp announces each step, the approval by another operator included', async () => {
    seen.length = 0;
    const ramp = await ok<OnRampView>('ramps:onramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, assetId: 'polygon:USDT', currency: 'EUR', amount: '250000', rail: 'sepa' });
    await ok('ramps:onramp:recordFiat', { onRampId: ramp.id, bankReference: `BANK-${ramp.reference}`, amount: '250000' });
    await ok('ramps:onramp:verify', { onRampId: ramp.id });
    await ok('ramps:onramp:quote', { onRampId: ramp.id, rate: '1', fee: '0' });
    const asked = await ok<OnRampView>('ramps:onramp:credit', { onRampId: ramp.id, cryptoAmount: '2500000000' });
    // The devnet holding cannot cover it: the credit waits for a second operator, and the step says so.
    expect(asked.creditApproval).toBeTruthy();
    await callOk(t.engine, 'ramps:onramp:approveCredit', { onRampId: ramp.id }, await checker(t, 'approver'));
    expect(seen).toEqual(
      ['requested', 'fiat_received', 'verified', 'quoted', 'quoted', 'credited'].map((state) => ({ type: 'ramp.status', rampKind: 'onramp', rampId: ramp.id, state })),
    );
  });

  it('a refused step announces nothing', async () => {
    seen.length = 0;
    const ramp = await ok<OnRampView>('ramps:onramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, assetId: 'polygon:USDT', currency: 'EUR', amount: '1000', rail: 'sepa' });
    const refused = await t.engine.api.call('ramps:onramp:complete', { onRampId: ramp.id }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(seen.map((e) => e.state)).toEqual(['requested']);
  });

  it('an off-ramp announces its hold and its refund', async () => {
    await ok('ramps:settings:setOffRampDestination', { chain: 'polygon', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' });
    seen.length = 0;
    const ramp = await ok<OffRampView>('ramps:offramp:request', { clientId: alice.client.id, walletId: alice.wallet.id, bankAccountId: alice.bankAccount.id, assetId: 'polygon:USDT', amount: '1000000' });
    await ok('ramps:offramp:refund', { offRampId: ramp.id, reason: 'client changed their mind' });
    expect(seen).toEqual(['held', 'refunded'].map((state) => ({ type: 'ramp.status', rampKind: 'offramp', rampId: ramp.id, state })));
  });
});
