import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { WebhookSecretReveal } from '@shared/domain/webhooks';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { callOk } from '@test/engine';
import { WebhookReceiver } from '@test/webhook-receiver';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from '../controls/controls-fixtures';

const USDT = 1_000_000n;

/**
 * KYC decisions and a withdrawal's whole life (requested, approved, broadcast, confirmed on anvil; another
 * cancelled) reach a real receiver as signed webhooks, each from the transaction of its own state change.
 */
describe('webhooks of KYC and withdrawals', () => {
  let bench: ControlsBench;
  let receiver: WebhookReceiver;
  let client: ClientView;
  let wallet: WalletView;

  beforeAll(async () => {
    bench = await startControlsBench();
    receiver = new WebhookReceiver();
    await receiver.start();
    const endpoint = await callOk<WebhookSecretReveal>(bench.t.engine, 'webhooks:create', { url: receiver.url, events: ['kyc.*', 'withdrawal.*'] });
    receiver.secrets = [endpoint.secret];
    client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
    wallet = await fundedWallet(bench, 'webhooks', 100n * USDT, client.id);
  }, 120_000);
  afterAll(async () => {
    await receiver?.stop();
    await bench?.stop();
  });

  const deliver = () => bench.t.engine.services.webhooks.worker.deliverDue();

  it('KYC submitted then verified', async () => {
    await deliver();
    const kyc = receiver.received.filter((r) => r.json.data.clientId === client.id);
    expect(kyc.map((r) => [r.type, r.json.data.status, r.json.data.previousStatus])).toEqual([
      ['kyc.submitted', 'submitted', 'draft'],
      ['kyc.verified', 'verified', 'submitted'],
    ]);
    expect(kyc.every((r) => r.checks[0]!.ok)).toBe(true);
  });

  it('a withdrawal from request to confirmation, in order, success with its transaction and fee; a cancelled one', async () => {
    const { t, approver, evm } = bench;
    const requested = await callOk<WithdrawalView>(t.engine, 'withdrawals:request', { idempotencyKey: 'webhook-flow-1', walletId: wallet.id, assetId: ASSET, amount: (5n * USDT).toString(), destination: DESTINATION });
    await callOk(t.engine, 'withdrawals:approve', { withdrawalId: requested.id }, approver);
    await callOk(t.engine, 'withdrawals:sign', { withdrawalId: requested.id }, approver);
    await evm.mine(3);
    await t.engine.services.withdraw.tracker.track();
    const other = await callOk<WithdrawalView>(t.engine, 'withdrawals:request', { idempotencyKey: 'webhook-flow-2', walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), destination: DESTINATION });
    await callOk(t.engine, 'withdrawals:cancel', { withdrawalId: other.id, reason: 'client changed their mind' });
    await deliver();

    const first = receiver.received.filter((r) => r.json.data.withdrawalId === requested.id);
    const types = first.map((r) => r.type);
    expect(types[0]).toBe('withdrawal.requested');
    expect(types.at(-1)).toBe('withdrawal.confirmed');
    expect(types.filter((x) => ['withdrawal.approved', 'withdrawal.broadcast'].includes(x))).toEqual(['withdrawal.approved', 'withdrawal.broadcast']);
    const success = first.at(-1)!.json.data;
    expect(success).toMatchObject({
      state: 'confirmed',
      previousState: 'broadcast',
      walletId: wallet.id,
      idempotencyKey: 'webhook-flow-1',
      amount: { value: '5', baseUnits: (5n * USDT).toString() },
      token: { symbol: 'USDT', decimals: 6 },
      destination: DESTINATION,
      txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      feePaid: { symbol: 'POL', baseUnits: expect.stringMatching(/^[1-9]\d*$/) },
    });
    expect(receiver.received.filter((r) => r.json.data.withdrawalId === other.id).map((r) => r.type)).toEqual(['withdrawal.requested', 'withdrawal.cancelled']);
    expect(receiver.received.every((r) => r.checks[0]!.ok)).toBe(true);
    // Every event once, in the order of the changes.
    expect(receiver.firstArrivals()).toEqual(receiver.received.map((r) => r.eventId));
  });
});
