import { topUpCompanyNative } from '@test/company-reserve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, WithdrawalView } from '@shared/domain/withdrawals';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { creditWallet } from '@test/controls';
import { callOk, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/**
 * Maker-checker through the role table and the engine, on the Polygon devnet: the officer who asked for a
 * withdrawal cannot approve it (the role table refuses), an admin who asked cannot either (the engine
 * refuses the requester: maker_checker), and each refusal is in the audit log; another operator's approval goes through.
 */
const DESTINATION = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
let evm: EvmDevnet;
let t: TestEngine;
let officer: TestOperator;
let approver: TestOperator;
let client: WalletView;
let keys = 0;

beforeAll(async () => {
  evm = await startEvmDevnet({ chain: 'polygon' });
  const device = new VirtualLedger({ mnemonic: 'test test test test test test test test test test test junk', app: 'eth' });
  t = await startUnlockedEngine({ withdrawalTrackIntervalMs: 0, signer: { openTransport: device.factory(), software: true } });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: evm.url });
  const holding = await callOk<HoldingAddressView>(t.engine, 'holding:register', { chain: 'polygon' });
  // The withdrawals' network fees are paid from the company's own POL, sent to holding and booked as reserve.
  await topUpCompanyNative(t, 'polygon', { evm }, holding.address, 10n ** 18n);
  await evm.mintToken('USDT', holding.address, 1_000_000_000n);
  officer = await t.signInAs('officer', 'olga');
  approver = await t.signInAs('approver', 'abe');
  client = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'maker-checker client' }, officer);
  await creditWallet(t, { idempotencyKey: 'mc-credit-1', walletId: client.id, assetId: 'polygon:USDT', amount: '500000000', reason: 'test balance' }, officer);
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

const request = (as?: TestOperator) =>
  callOk<WithdrawalView>(t.engine, 'withdrawals:request', { idempotencyKey: `maker-checker-${++keys}`, walletId: client.id, assetId: 'polygon:USDT', amount: '1000000', destination: DESTINATION }, as);
const refusals = (channel: string, action = 'access.refused') =>
  t.engine.database.sqlite!.prepare('select operator, change from audit_log where action = ? and entity_id = ? order by seq').all(action, channel) as Array<{ operator: string; change: string }>;

describe('maker-checker', () => {
  it('the officer who requested cannot approve: the role table refuses, and says so in the audit log', async () => {
    const requested = await request(officer);
    expect(requested).toMatchObject({ state: 'requested', requestedBy: 'olga' });
    expect(await officer.call('withdrawals:approve', { withdrawalId: requested.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refusals('withdrawals:approve').at(-1)).toMatchObject({ operator: 'olga' });
    expect(await approver.call('withdrawals:approve', { withdrawalId: requested.id })).toMatchObject({ ok: true, data: { state: 'approved', approvedBy: 'abe' } });
  });

  it('an admin, allowed both steps by role, still cannot approve their own request', async () => {
    const requested = await request();
    expect(requested.requestedBy).toBe('admin');
    const self = await t.engine.api.call('withdrawals:approve', { withdrawalId: requested.id }, { door: 'test' });
    expect(self).toMatchObject({ ok: false, error: { code: 'maker_checker' } });
    const audited = refusals('withdrawals:approve', 'control.refused').at(-1)!;
    expect(audited.operator).toBe('admin');
    expect(JSON.parse(audited.change)).toMatchObject({ role: 'admin', code: 'maker_checker' });
    expect(await callOk<WithdrawalView>(t.engine, 'withdrawals:get', { withdrawalId: requested.id })).toMatchObject({ state: 'requested', approvedBy: null });
    expect(await approver.call('withdrawals:approve', { withdrawalId: requested.id })).toMatchObject({ ok: true, data: { approvedBy: 'abe' } });
  });

  it('an approver cannot ask for a withdrawal in the first place', async () => {
    const result = await approver.call('withdrawals:request', { idempotencyKey: 'mc-approver-asks', walletId: client.id, assetId: 'polygon:USDT', amount: '1', destination: DESTINATION });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
