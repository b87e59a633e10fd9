import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertCounts, AlertView } from '@shared/domain/alerts';
import type { CompanyCreditView } from '@shared/domain/controls';
import type { EngineEvent } from '@shared/ipc/events';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import { checker } from '@test/controls';
import type { DevChain } from '../watch/devnet-chain';
import { AbiCoder, keccak256, toBeHex } from 'ethers';
import { DEVNET_EVM_USDT } from '@shared/domain/assets';
import type { Page } from '@shared/domain/ledger';
import type { SweepView } from '@shared/domain/sweeps';
import { openSweepBench } from '../sweep/sweep-bench';
import { startLaggingRpc } from '../watch/lagging-rpc';
import type { ClientView } from '@shared/domain/clients';
import { CLIENT, IDENTITY, PROOF } from '../clients/kyc-fixtures';

/**
 * Every alert is raised by its real cause on a devnet chain, counts its repeats on the one standing alert, and
 * is acknowledged once by an operator, audited with who and when.
 */
const DEPTH = 2;
const MINUTE = 60_000;
let dev: DevChain;
let t: TestEngine;
const pushed: EngineEvent[] = [];

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('polygon', {
    depth: DEPTH,
    rules: [{ assetId: 'polygon:USDT', mode: 'manual' }],
    config: { watch: { troubleAlertAfterMs: 0, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2_000 } }, sweeps: { gasTankCheckMs: 0, maxAttempts: 1 } },
  }));
  t.engine.events.subscribe((event) => pushed.push(event));
  await t.engine.services.watch.tick('polygon');
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

const alerts = async (kind: string) => (await callOk<AlertView[]>(t.engine, 'alerts:list', { limit: 200 })).filter((a) => a.kind === kind);
const raisedEvents = (kind: string) => pushed.filter((e) => e.type === 'alert.raised' && e.alert.kind === kind);
const settle = async () => {
  await dev.mine(DEPTH);
  await t.engine.services.watch.tick('polygon');
};

it('a gas tank below its threshold raises one alert, pushed once, in coins; an operator acknowledges it, audited', async () => {
  await t.engine.services.sweeps.tick('polygon');
  const [low] = await alerts('gas_tank_low');
  expect(low).toMatchObject({ title: 'Gas tank running low', chain: 'polygon', state: 'open', count: 1 });
  expect(low!.message).toMatch(/^The gas tank on Polygon holds 0 POL, below its threshold of 5 POL\. Send POL to 0x[0-9a-fA-F]{40}\.$/);
  expect(raisedEvents('gas_tank_low')).toHaveLength(1);
  expect((await callOk<AlertCounts>(t.engine, 'alerts:counts', {})).byKind.gas_tank_low).toBe(1);

  const officer = await checker(t, 'officer');
  const acked = await callOk<AlertView>(t.engine, 'alerts:acknowledge', { alertId: low!.id }, officer);
  expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: officer.name });
  const record = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'alert.acknowledged').where('entity_id', '=', low!.id).executeTakeFirstOrThrow();
  expect(record.operator).toBe(officer.name);
  expect(await t.engine.api.call('alerts:acknowledge', { alertId: low!.id }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'already_acknowledged' } });
  expect((await callOk<AlertCounts>(t.engine, 'alerts:counts', {})).byKind.gas_tank_low).toBeUndefined();
  // Still low: the acknowledged alert counts the repeat, nobody is notified again.
  await t.engine.services.sweeps.tick('polygon');
  expect(await alerts('gas_tank_low')).toMatchObject([{ id: low!.id, count: 2, state: 'acknowledged' }]);
  expect(raisedEvents('gas_tank_low')).toHaveLength(1);
  // Refilled: the alert is resolved; dropping again is a new alert.
  await dev.fundNative(low!.details.address as string, 6n * dev.coin);
  await t.engine.services.sweeps.tick('polygon');
  expect((await alerts('gas_tank_low'))[0]!.resolvedAt).not.toBeNull();
  // An auditor reads alerts but does not acknowledge them.
  const auditor = await t.signInAs('auditor', 'alert-auditor');
  expect(await auditor.call('alerts:acknowledge', { alertId: low!.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

it('a deposit below its minimum raises an alert naming the amounts in tokens', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Small payer' });
  await callOk(t.engine, 'wallets:setDepositMinimum', { assetId: dev.token, minAmount: (5n * dev.unit).toString() });
  await t.engine.services.watch.tick('polygon');
  await dev.sendToken(wallet.address, dev.unit);
  await settle();
  const [below] = await alerts('deposit_below_minimum');
  expect(below!.message).toBe('A deposit of 1 USDT to wallet "Small payer" on Polygon is below the minimum of 5 USDT: it was not credited. Credit it by hand from the wallet\'s deposits if it belongs to the client.');
  expect(raisedEvents('deposit_below_minimum')).toHaveLength(1);
  await callOk(t.engine, 'wallets:setDepositMinimum', { assetId: dev.token, minAmount: '1' });
});

it("a deposit to a suspended client's wallet is credited but frozen: one alert, and nothing leaves until reinstated", async () => {
  const officer = await checker(t, 'officer');
  const client = await callOk<ClientView>(t.engine, 'clients:create', { ...CLIENT, taxId: { country: 'AR', kind: 'cuit', value: '20-12345678-6' }, email: 'frozen@example.com' });
  await callOk(t.engine, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
  await callOk(t.engine, 'clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
  await callOk(t.engine, 'clients:kyc:submit', { clientId: client.id });
  await callOk(t.engine, 'clients:kyc:verify', { clientId: client.id }, officer);
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Suspended payer' });
  await callOk(t.engine, 'clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
  await callOk(t.engine, 'clients:kyc:suspend', { clientId: client.id, reason: 'source of funds under review' });
  await t.engine.services.watch.tick('polygon');
  await dev.sendToken(wallet.address, 7n * dev.unit);
  await settle();
  const frozen = (await alerts('deposit_frozen')).filter((a) => a.details.walletId === wallet.id);
  expect(frozen).toHaveLength(1);
  expect(frozen[0]!.message).toBe('A deposit of 7 USDT reached wallet "Suspended payer" on Polygon, whose client is suspended: it is credited but frozen, and nothing leaves the wallet until the client is reinstated.');
  const balance = await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: dev.token, walletId: wallet.id });
  expect(balance.posted).toBe((7n * dev.unit).toString());
  // Frozen both ways: the KYC gate refuses money leaving the wallet while the client is suspended.
  const other = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Company float' });
  const refused = await t.engine.api.call('transfers:internal', { idempotencyKey: 'frozen-out', fromWalletId: wallet.id, toWalletId: other.id, assetId: dev.token, amount: dev.unit.toString() }, officer.context);
  expect(refused).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(kyc_not_verified|client_suspended)$/) } });
  // A deposit to a verified client's wallet raises nothing.
  await callOk(t.engine, 'clients:kyc:reinstate', { clientId: client.id }, officer);
  await dev.sendToken(wallet.address, dev.unit);
  await settle();
  expect((await alerts('deposit_frozen')).filter((a) => a.details.walletId === wallet.id)).toHaveLength(1);
});

describe('wallet lifecycle', () => {
  it('renames (audited), disables (cannot send), enables; a wallet holding funds does not close', async () => {
    const a = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Acme' });
    const b = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Beta' });
    await t.engine.services.watch.tick('polygon');
    await dev.sendToken(a.address, 10n * dev.unit);
    await settle();

    expect(await callOk<WalletView>(t.engine, 'wallets:rename', { walletId: a.id, label: 'Acme Corp' })).toMatchObject({ label: 'Acme Corp', address: a.address });
    const renamed = await t.engine.database.db.selectFrom('audit_log').select('change').where('action', '=', 'wallet.renamed').where('entity_id', '=', a.id).executeTakeFirstOrThrow();
    expect(JSON.parse(renamed.change)).toEqual({ from: 'Acme', to: 'Acme Corp' });

    await callOk(t.engine, 'wallets:setStatus', { walletId: a.id, status: 'suspended' });
    const send = { idempotencyKey: 'lifecycle-send-1', fromWalletId: a.id, toWalletId: b.id, assetId: dev.token, amount: dev.unit.toString() };
    expect(await t.engine.api.call('transfers:internal', send, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'inactive_wallet', message: 'Wallet "Acme Corp" is disabled.' } });
    await callOk(t.engine, 'wallets:setStatus', { walletId: a.id, status: 'active' });

    const refused = await t.engine.api.call('wallets:setStatus', { walletId: a.id, status: 'closed' }, { door: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'wallet_not_empty', message: 'Wallet "Acme Corp" cannot be closed while it holds 10 USDT: move or settle it first.' } });
    expect((await callOk<WalletView>(t.engine, 'wallets:get', { walletId: a.id })).status).toBe('active');
  });

  it('an empty wallet closes for good; a deposit to its address lands in unidentified funds, never as a credit', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Gone' });
    await t.engine.services.watch.tick('polygon');
    await callOk(t.engine, 'wallets:setStatus', { walletId: wallet.id, status: 'closed' });
    expect(await t.engine.api.call('wallets:setStatus', { walletId: wallet.id, status: 'active' }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'wallet_closed' } });

    await dev.sendToken(wallet.address, 7n * dev.unit);
    await settle();
    const closed = await callOk<WalletView>(t.engine, 'wallets:get', { walletId: wallet.id });
    expect(closed.balances.every((b) => b.posted === '0')).toBe(true);
    expect(await t.engine.database.db.selectFrom('deposits').select('id').where('wallet_id', '=', wallet.id).execute()).toEqual([]);
    const stray = (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 })).find((u) => u.walletId === wallet.id);
    expect(stray).toMatchObject({ kind: 'closed_wallet', amount: (7n * dev.unit).toString(), symbol: 'USDT' });

    const [alert] = (await alerts('unidentified_funds')).filter((a) => a.details.walletId === wallet.id);
    expect(alert!.message).toBe('7 USDT arrived at the address of wallet "Gone" on Polygon and was not credited: the wallet is closed and receives no credits. See Unidentified funds on the Wallets page.');
    // Closed wallets receive no credits, not even by hand.
    expect(await t.engine.api.call('wallets:proposeStrayRecovery', { id: stray!.id, action: 'credit_wallet' }, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'wallet_closed' } });
  });
});

it('approvals waiting too long raise one alert that counts while they wait, and clears when decided; uncovered credit above its limit raises its own', async () => {
  const { alertMonitor } = t.engine.services;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Credited' });
  const asked = await callOk<CompanyCreditView>(t.engine, 'transfers:companyCredit', { idempotencyKey: 'alerts-credit-1', walletId: wallet.id, assetId: dev.token, amount: (3n * dev.unit).toString(), reason: 'Goodwill credit for the client' });
  await alertMonitor.check(Date.now());
  expect(await alerts('approvals_waiting')).toEqual([]);
  await alertMonitor.check(Date.now() + 31 * MINUTE);
  await alertMonitor.check(Date.now() + 32 * MINUTE);
  const [waiting] = await alerts('approvals_waiting');
  expect(waiting).toMatchObject({ count: 2, resolvedAt: null });
  expect(waiting!.message).toBe("1 uncovered credit waits for a second operator's approval, the oldest for 32 minutes.");
  expect(raisedEvents('approvals_waiting')).toHaveLength(1);

  await callOk(t.engine, 'transfers:approveCompanyCredit', { creditId: asked.id }, await checker(t, 'approver'));
  await alertMonitor.check(Date.now() + 33 * MINUTE);
  expect((await alerts('approvals_waiting'))[0]!.resolvedAt).not.toBeNull();
  const [uncovered] = await alerts('uncovered_credit_high');
  expect(uncovered!.message).toBe('Uncovered credit in USDT on Polygon stands at 3 USDT, above its limit of 0 USDT: clients hold balances the company has not received on chain.');

  await callOk(t.engine, 'alerts:updateSettings', { uncoveredCreditLimits: { [dev.token]: (5n * dev.unit).toString() } });
  await alertMonitor.check();
  expect((await alerts('uncovered_credit_high'))[0]!.resolvedAt).not.toBeNull();
});

it('a chain whose node stops answering raises chain_unhealthy after failing ticks, resolved when it answers again', async () => {
  const { watch } = t.engine.services;
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: 'http://127.0.0.1:9' });
  for (let i = 0; i < 2; i++) await expect(watch.tick('polygon')).rejects.toThrow();
  const [unhealthy] = await alerts('chain_unhealthy');
  expect(unhealthy!.message).toBe('Polygon: the node at http://127.0.0.1:9 failed 2 checks in a row. Deposits on Polygon are not seen until it answers again; check the node or its endpoint in Settings.');
  await expect(watch.tick('polygon')).rejects.toThrow();
  expect((await alerts('chain_unhealthy'))[0]!.count).toBe(2);
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url });
  await watch.tick('polygon');
  expect((await alerts('chain_unhealthy'))[0]!.resolvedAt).not.toBeNull();
});

it('a node behind the blocks already watched raises chain_lagging, resolved once it is level again', async () => {
  const { watch } = t.engine.services;
  const rpc = await startLaggingRpc(dev.url, 15);
  try {
    await dev.mine(20);
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: rpc.url });
    while ((await watch.tick('polygon')).to < (await dev.head())) {
      /* catch up */
    }
    rpc.mode = 'lagging';
    await dev.mine(1);
    expect((await watch.tick('polygon')).nodeBehindBy).toBeGreaterThan(0);
    const [lagging] = await alerts('chain_lagging');
    expect(lagging!.message).toMatch(/^Polygon: the node is 1[45] blocks behind the blocks already watched; deposits wait until it catches up\.$/);
    rpc.mode = 'level';
    await watch.tick('polygon');
    expect((await alerts('chain_lagging'))[0]!.resolvedAt).not.toBeNull();
  } finally {
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url });
    await rpc.stop();
  }
});

it('a reorg deeper than the confirmation depth that takes a credited deposit raises deep_reorg', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Reorged' });
  await t.engine.services.watch.tick('polygon');
  const mark = await dev.markFork();
  await dev.sendToken(wallet.address, 4n * dev.unit);
  await settle();
  await dev.forkFrom(mark, DEPTH + 4);
  await t.engine.services.watch.tick('polygon');
  const [reorg] = await alerts('deep_reorg');
  expect(reorg).toMatchObject({ title: 'Deep chain reorganisation', chain: 'polygon', state: 'open' });
  expect(reorg!.message).toMatch(/^Polygon: a reorg replaced \d+ blocks \(confirmation depth 2\); 1 credited deposit\(s\) were reversed\.$/);
});

/** TestToken keeps balanceOf in storage slot 3: the test edits an address's token balance in place. */
const balanceSlot = (owner: string) => keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [owner, 3]));

it('a sweep that is not mined raises sweep_stuck; one that reverts for good raises sweep_failed and clears the stuck one', async () => {
  const { watch, sweeps, alertMonitor } = t.engine.services;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Sweeper' });
  await watch.tick('polygon');
  await dev.sendToken(wallet.address, 20n * dev.unit);
  await settle();
  await dev.rpc('evm_setAutomine', [false]);
  try {
    await callOk(t.engine, 'sweeps:sweepNow', { assetId: dev.token, walletId: wallet.id });
    const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]!);
    for (let i = 0; i < 6 && (await sweep()).state !== 'broadcast'; i++) {
      await sweeps.tick('polygon');
      if ((await sweep()).state !== 'broadcast') await dev.mine(1);
    }
    expect((await sweep()).state).toBe('broadcast');
    await alertMonitor.check(Date.now() + 31 * MINUTE);
    const [stuck] = await alerts('sweep_stuck');
    expect(stuck!.message).toMatch(/^The sweep of 20 USDT from wallet "Sweeper" on Polygon was sent 3\d minutes ago and is not confirmed yet\.$/);

    // The address loses its tokens before the sweep is mined: it reverts, and with one attempt allowed, fails.
    await dev.rpc('anvil_setStorageAt', [DEVNET_EVM_USDT, balanceSlot(wallet.address), toBeHex(0n, 32)]);
    await dev.mine(1);
    await sweeps.tick('polygon');
    expect((await sweep()).state).toBe('failed');
    const [failed] = await alerts('sweep_failed');
    expect(failed!.message).toMatch(/^The sweep of 20 USDT from wallet "Sweeper" on Polygon failed: transaction 0x[0-9a-f]{64} reverted; gave up after 1 attempt\.$/);
    await alertMonitor.check(Date.now() + 32 * MINUTE);
    expect((await alerts('sweep_stuck'))[0]!.resolvedAt).not.toBeNull();
  } finally {
    await dev.rpc('evm_setAutomine', [true]);
  }
});
