import { AbiCoder, HDNodeWallet, keccak256, Wallet } from 'ethers';
import { companyFunds } from '@engine/ledger/company-funds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, HoldingBalanceView, WithdrawalPolicy, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { evmFeesOf } from '@engine/outgoing/tx-lifecycle';
import type { EvmDevnet } from '@test/devnet/evm';
import { startRpcFront } from '@test/devnet/rpc-front';
import type { TestEngine } from '@test/engine';
import { applyPolicy } from '@test/controls';
import type { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { openPolygonWithdrawals, type CallContext, type Operators } from './harness';

/**
 * Policy, address book, company and off-ramp payouts, nonces, a stuck transaction replaced and a
 * transaction that reverts on chain, on the Polygon devnet with the virtual Ledger.
 */
const USDT = 10n ** 6n;
const ASSET = 'polygon:USDT';
const destinations = Array.from({ length: 21 }, (_, i) =>
  HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, `m/44'/60'/1'/0/${i}`).address,
);

let evm: EvmDevnet;
let device: VirtualLedger;
let t: TestEngine;
let ops: Operators;
let holding: HoldingAddressView;
let client: WalletView;
let asset: Asset;
let keys = 0;

const call = <T>(channel: string, payload: unknown, context: CallContext = ops.admin) =>
  t.engine.api.call(channel, payload, context as never) as Promise<Result<T>>;
async function ok<T>(channel: string, payload: unknown, context: CallContext = ops.admin): Promise<T> {
  const result = await call<T>(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
/** A policy change: the admin proposes, a second admin approves (four eyes on policy). */
async function policy(channel: string, change: unknown): Promise<void> {
  await applyPolicy(t, channel, change);
}
/** A company credit: the admin asks, bob (approver) approves and so books it (four eyes). */
async function credit(request: Record<string, unknown>): Promise<void> {
  const asked = await ok<{ id: string }>('transfers:companyCredit', request);
  await ok('transfers:approveCompanyCredit', { creditId: asked.id }, ops.bob);
}
const chainBalance = async (address: string) => (await t.engine.services.chains.adapter('polygon')).balance(asset, address);
const clientBalance = () => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: client.id });
const request = (amount: bigint, destination: string, context: CallContext = ops.alice) =>
  call<WithdrawalView>('withdrawals:request', { idempotencyKey: `flow-key-${++keys}`, walletId: client.id, assetId: ASSET, amount: amount.toString(), destination }, context);
async function approved(amount: bigint, destination: string): Promise<WithdrawalView> {
  const requested = await request(amount, destination);
  if (!requested.ok) throw new Error(requested.error.message);
  return ok<WithdrawalView>('withdrawals:approve', { withdrawalId: requested.data.id }, ops.bob);
}
async function confirm() {
  await evm.mine(3);
  return t.engine.services.withdraw.tracker.track();
}
function flipFirstLetterCase(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i]!;
  return address.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + address.slice(i + 1);
}
const setAutomine = (on: boolean) => evm.provider.send('evm_setAutomine', [on]);

/**
 * Signs while the holding wallet is drained of gas during the device review: the fee check before the device
 * passed, the node refuses the signed bytes (the only way left for a node refusal at signing).
 */
async function signDrainedDuringReview(withdrawalId: string): Promise<Result<WithdrawalView>> {
  const gas = await evm.provider.getBalance(holding.address);
  device.holdNextConfirmation();
  const signing = call<WithdrawalView>('withdrawals:sign', { withdrawalId }, ops.bob);
  await device.whenPrompted();
  await evm.setNativeBalance(holding.address, 0n);
  device.approve();
  try {
    return await signing;
  } finally {
    await evm.setNativeBalance(holding.address, gas);
  }
}

beforeAll(async () => {
  ({ evm, device, t, ops, holding, client, asset } = await openPolygonWithdrawals({ holding: 100_000n * USDT, client: 50_000n * USDT, creditKey: 'flows-credit-1' }));
});

afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

describe('destinations', () => {
  it('refuses one of our own deposit addresses and points to an internal transfer', async () => {
    const own = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'another client' });
    const result = await request(1n * USDT, own.address.toLowerCase());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_address', details: { walletId: own.id, suggestion: 'transfers:internal' } } });
    expect((result as { ok: false; error: { message: string } }).error.message).toMatch(/internal transfer/);
  });

  it.each([
    ['the holding wallet itself', () => holding.address],
    ['a Tron address', () => 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
    ['a bad checksum', () => flipFirstLetterCase(destinations[0]!)],
    ['the zero address', () => '0x0000000000000000000000000000000000000000'],
    ['the USDT token contract itself', () => asset.contract!],
    ['our own gas tank', () => t.engine.services.custody.keyring().gasTankAddress('polygon')],
  ])('refuses %s', async (_name, destination) => {
    const before = await clientBalance();
    expect(await request(1n * USDT, destination())).toMatchObject({ ok: false, error: { code: 'invalid_address' } });
    expect(await clientBalance()).toEqual(before);
  });

  it('refuses a native-coin withdrawal of everything the holding wallet has: the fee comes out of it too', async () => {
    await credit({ idempotencyKey: 'flows-credit-pol', walletId: client.id, assetId: 'polygon:POL', amount: (100n * 10n ** 18n).toString(), reason: 'test balance' });
    const pol = await t.engine.services.assets.get('polygon:POL');
    const all = await (await t.engine.services.chains.adapter('polygon')).balance(pol, holding.address);
    const result = await call('withdrawals:request', { idempotencyKey: 'flows-pol-all', walletId: client.id, assetId: 'polygon:POL', amount: all.toString(), destination: destinations[1] }, ops.alice);
    expect(result).toMatchObject({ ok: false, error: { code: 'insufficient_holding', message: expect.stringMatching(/short by [0-9.,]+ POL, the network fee included/) } });
  });

  it('refuses more than the client holds, and holds nothing', async () => {
    const before = await clientBalance();
    expect(await request(60_000n * USDT, destinations[1]!)).toMatchObject({ ok: false, error: { code: 'insufficient_funds' } });
    expect(await clientBalance()).toEqual(before);
  });
});

describe('address book', () => {
  it.each([
    ['the zero address', () => '0x0000000000000000000000000000000000000000', 'zero_address'],
    ['a registry token contract', () => asset.contract!, 'token_contract'],
  ])('refuses %s as an entry, with its reason, and adds nothing', async (_name, address, reason) => {
    const before = await ok<unknown[]>('withdrawals:addressBookList', { chain: 'polygon' });
    const result = await call('withdrawals:addressBookAdd', { chain: 'polygon', address: address(), label: 'never right', whitelisted: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_address', details: { reason } } });
    expect(await ok<unknown[]>('withdrawals:addressBookList', { chain: 'polygon' })).toEqual(before);
  });
});

describe('policy', () => {
  it('approves by policy a small withdrawal to a whitelisted address, and asks a second operator otherwise', async () => {
    await policy('withdrawals:policySet', { assetId: ASSET, rules: { approvalThreshold: (100n * USDT).toString(), perWithdrawalLimit: (1_000n * USDT).toString() } });
    // Whitelisting takes a second officer (here the admin) and a time lock, tested in controls/whitelist.test.ts; none here.
    await policy('withdrawals:controlsSet', { whitelistTimeLockHours: 0 });
    const entry = await ok<{ id: string }>('withdrawals:addressBookAdd', { chain: 'polygon', address: destinations[2]!.toLowerCase(), label: 'Exchange deposit', whitelisted: true }, ops.alice);
    await ok('withdrawals:addressBookApprove', { entryId: entry.id });

    const small = await request(50n * USDT, destinations[2]!);
    expect(small).toMatchObject({ ok: true, data: { state: 'approved', needsApproval: false, approvedBy: 'policy' } });
    const large = await request(150n * USDT, destinations[2]!);
    expect(large).toMatchObject({ ok: true, data: { state: 'requested', approvalReasons: [expect.stringMatching(/above the approval threshold of 100\.00 USDT/)] } });
    const unknown = await request(50n * USDT, destinations[3]!);
    expect(unknown).toMatchObject({ ok: true, data: { state: 'requested', approvalReasons: ['destination not whitelisted'] } });
    const tooMuch = await request(1_001n * USDT, destinations[2]!);
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'limit_exceeded', message: expect.stringMatching(/per-withdrawal limit of 1,000\.00 USDT/) } });

    for (const r of [small, large, unknown]) {
      if (r.ok) await ok('withdrawals:cancel', { withdrawalId: r.data.id, reason: 'policy test over' }, ops.alice);
    }
  });

  it("refuses what would take the day's total past the daily limit", async () => {
    const { dailyLimit: _unused, ...rest } = (await ok<WithdrawalPolicy>('withdrawals:policyGet', {})).assets[ASSET] ?? {};
    // cancelled withdrawals do not count against the day
    await policy('withdrawals:policySet', { assetId: ASSET, rules: { ...rest, dailyLimit: (300n * USDT).toString() } });
    const first = await request(200n * USDT, destinations[4]!);
    expect(first.ok).toBe(true);
    const second = await request(150n * USDT, destinations[4]!);
    expect(second).toMatchObject({ ok: false, error: { code: 'limit_exceeded', message: expect.stringMatching(/daily limit of 300\.00 USDT/) } });
    if (first.ok) await ok('withdrawals:cancel', { withdrawalId: first.data.id, reason: 'daily test over' }, ops.alice);
    expect((await request(150n * USDT, destinations[4]!)).ok).toBe(true);
    await policy('withdrawals:policySet', { assetId: ASSET, rules: {} });
  });

  it('refuses policy changes and address book entries from no one', async () => {
    expect(await ops.anonymous('withdrawals:policySet', { assetId: ASSET, rules: {} })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('withdrawals:addressBookList', { chain: 'polygon' })).toMatchObject({ ok: true, data: [{ label: 'Exchange deposit', whitelisted: true }] });
  });
});

describe('requests', () => {
  it('answers a repeated key with the same withdrawal and one hold, and refuses the key for another one', async () => {
    const payload = { idempotencyKey: 'flow-replay-1', walletId: client.id, assetId: ASSET, amount: (5n * USDT).toString(), destination: destinations[5] };
    const first = await ok<WithdrawalView>('withdrawals:request', payload, ops.alice);
    const pendingAfterFirst = (await clientBalance()).pending;
    const again = await ok<WithdrawalView>('withdrawals:request', payload, ops.alice);
    expect(again.id).toBe(first.id);
    expect((await clientBalance()).pending).toBe(pendingAfterFirst);
    expect(await call('withdrawals:request', { ...payload, amount: (6n * USDT).toString() }, ops.alice)).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    await ok('withdrawals:cancel', { withdrawalId: first.id, reason: 'replay test over' }, ops.alice);
  });

  it('shows requested amounts as in flight on the holding balances', async () => {
    const before = (await ok<HoldingBalanceView[]>('holding:balances', { chain: 'polygon' })).find((b) => b.assetId === ASSET)!;
    const r = await request(40n * USDT, destinations[6]!);
    const after = (await ok<HoldingBalanceView[]>('holding:balances', { chain: 'polygon' })).find((b) => b.assetId === ASSET)!;
    expect(BigInt(after.inFlight) - BigInt(before.inFlight)).toBe(40n * USDT);
    expect(BigInt(after.available)).toBe(BigInt(after.onChain) - BigInt(after.inFlight));
    if (r.ok) await ok('withdrawals:cancel', { withdrawalId: r.data.id, reason: 'in flight test over' }, ops.alice);
  });

  it('refuses to cancel once signed', async () => {
    const w = await approved(2n * USDT, destinations[7]!);
    await ok('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    expect(await call('withdrawals:cancel', { withdrawalId: w.id, reason: 'too late' }, ops.alice)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await confirm();
  });

  it('lists withdrawals newest first, page by page', async () => {
    const first = await ok<{ items: WithdrawalView[]; nextCursor: string | null }>('withdrawals:list', { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await ok<{ items: WithdrawalView[] }>('withdrawals:list', { limit: 2, cursor: first.nextCursor });
    expect(second.items[0]!.createdAt <= first.items[1]!.createdAt).toBe(true);
    expect(second.items.map((w) => w.id)).not.toContain(first.items[0]!.id);
  });
});

describe('holding coverage under load', () => {
  it('lets exactly ten of twenty-five concurrent requests for a tenth of the free funds through', async () => {
    const free = BigInt((await ok<HoldingBalanceView[]>('holding:balances', { chain: 'polygon' })).find((b) => b.assetId === ASSET)!.available);
    const tenth = free / 10n;
    // the client could pay all twenty-five: only the holding wallet limits them
    await credit({ idempotencyKey: 'flows-credit-load', walletId: client.id, assetId: ASSET, amount: (tenth * 25n).toString(), reason: 'load test balance' });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => request(tenth, destinations[14 + (i % 5)]!)));
    const won = results.filter((r): r is { ok: true; data: WithdrawalView } => r.ok);
    expect(won).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'insufficient_holding')).toBe(true);
    const after = (await ok<HoldingBalanceView[]>('holding:balances', { chain: 'polygon' })).find((b) => b.assetId === ASSET)!;
    expect(BigInt(after.available)).toBeGreaterThanOrEqual(0n);
    for (const w of won) await ok('withdrawals:cancel', { withdrawalId: w.data.id, reason: 'load test over' }, ops.alice);
  });
});

describe('nonces and stuck transactions', () => {
  it('gives back a nonce a signing cut short by a crash had reserved, never one a running engine is signing with', async () => {
    const w = await approved(1n * USDT, destinations[19]!);
    const reserve = (engine: string | null) =>
      t.engine.database.db.updateTable('withdrawals').set({ nonce: 999, signing_engine: engine }).where('id', '=', w.id).execute();
    // Reserved by this engine, which is running: the device may still be asking a person.
    await reserve(t.engine.services.presence.id);
    await t.engine.services.withdraw.tracker.resume();
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'approved', nonce: 999 });
    // Reserved by an engine that is gone (a crash), or before engines were recorded: given back.
    for (const gone of ['an-engine-that-crashed', null]) {
      await reserve(gone);
      await t.engine.services.withdraw.tracker.resume();
      expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'approved', nonce: null });
    }
    await ok('withdrawals:cancel', { withdrawalId: w.id, reason: 'nonce test over' }, ops.alice);
  });

  it('gives two withdrawals signed before a block consecutive nonces, and both confirm', async () => {
    await setAutomine(false);
    try {
      const a = await approved(1n * USDT, destinations[8]!);
      const b = await approved(1n * USDT, destinations[9]!);
      const signedA = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: a.id }, ops.bob);
      const signedB = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: b.id }, ops.bob);
      expect(signedB.nonce).toBe(signedA.nonce! + 1);
    } finally {
      await setAutomine(true);
    }
    const tracked = await confirm();
    expect(tracked.confirmed).toHaveLength(2);
  });

  it('replaces a stuck transaction with the same nonce and a higher fee, signed again; one payment', async () => {
    await setAutomine(false);
    let w: WithdrawalView;
    try {
      w = await approved(12n * USDT, destinations[10]!);
      const broadcast = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
      const reviewsBefore = device.reviews.length;
      const replaced = await ok<WithdrawalView>('withdrawals:replace', { withdrawalId: w.id }, ops.bob);
      expect(device.reviews.length).toBe(reviewsBefore + 1);
      expect(replaced.nonce).toBe(broadcast.nonce);
      expect(replaced.txHashes).toEqual([broadcast.txHash, replaced.txHash]);
      expect(replaced.txHash).not.toBe(broadcast.txHash);
    } finally {
      await setAutomine(true);
    }
    expect((await confirm()).confirmed).toEqual([w.id]);
    const confirmed = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id });
    expect(confirmed.txHash).toBe(confirmed.txHashes[1]);
    expect(await chainBalance(destinations[10]!)).toBe(12n * USDT);
    expect(await call('withdrawals:replace', { withdrawalId: w.id }, ops.bob)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('takes a node refusal back to approved with its nonce kept, then signs again with that nonce', async () => {
    const w = await approved(3n * USDT, destinations[18]!);
    const refused = await signDrainedDuringReview(w.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/refused/) } });
    const back = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id });
    expect(back).toMatchObject({ state: 'approved', txHash: null, failureReason: expect.stringMatching(/Refused by the node/) });
    expect(back.nonce).not.toBeNull();
    expect(back.txHashes).toHaveLength(1);
    // a restart keeps that nonce with it too
    await t.engine.services.withdraw.tracker.resume();
    expect((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).nonce).toBe(back.nonce);

    const again = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    expect(again).toMatchObject({ state: 'broadcast', nonce: back.nonce });
    // same nonce, fee and payload: the deterministic device signs the very same transaction again
    expect(again.txHashes).toContain(again.txHash);
    expect((await confirm()).confirmed).toEqual([w.id]);
    expect(await chainBalance(destinations[18]!)).toBe(3n * USDT);
  });

  it('gives up a kept nonce only when another transaction of the holding address used it, and signs with the next', async () => {
    const w = await approved(2n * USDT, destinations[16]!);
    expect(await signDrainedDuringReview(w.id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const kept = (await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).nonce!;
    // Someone uses the Ledger account outside the app: that transaction takes the nonce.
    await evm.provider.send('anvil_impersonateAccount', [holding.address]);
    await evm.provider.send('eth_sendTransaction', [{ from: holding.address, to: holding.address, value: '0x0' }]);
    await evm.provider.send('anvil_stopImpersonatingAccount', [holding.address]);

    const stale = await call('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'approved', nonce: null });
    const signed = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    expect(signed.nonce).toBe(kept + 1);
    expect((await confirm()).confirmed).toEqual([w.id]);
    expect(await chainBalance(destinations[16]!)).toBe(2n * USDT);
  });

  it('cancels a withdrawal whose only signature the node refused, since nothing holds its nonce on chain', async () => {
    const w = await approved(2n * USDT, destinations[17]!);
    expect(await signDrainedDuringReview(w.id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const held = await clientBalance();
    expect(await ok<WithdrawalView>('withdrawals:cancel', { withdrawalId: w.id, reason: 'no gas' }, ops.alice)).toMatchObject({ state: 'cancelled' });
    expect(BigInt((await clientBalance()).available) - BigInt(held.available)).toBe(2n * USDT);
  });

  it('refuses to sign a token withdrawal when holding lost the gas since approval: named top-up, no device prompt, still approved', async () => {
    const w = await approved(2n * USDT, destinations[20]!);
    const gas = await evm.provider.getBalance(holding.address);
    const reviews = device.reviews.length;
    await evm.setNativeBalance(holding.address, 1_000n);
    let refused: Result<WithdrawalView>;
    try {
      refused = await call<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    } finally {
      await evm.setNativeBalance(holding.address, gas);
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'fee_not_covered', details: { assetId: 'polygon:POL', address: holding.address } } });
    const message = (refused as { ok: false; error: { message: string } }).error.message;
    // Words an officer can act on: how much POL, where to send it; no node text, no transaction bytes.
    expect(message).toMatch(new RegExp(`needs [0-9.,]+ POL more for the network fee of this USDT transfer; send it to ${holding.address}`));
    expect(message).not.toMatch(/0x[0-9a-f]{64}|insufficient funds|execution/i);
    expect(device.reviews.length).toBe(reviews);
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'approved', nonce: null, txHashes: [] });
    // Topped up again, it signs.
    expect(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob)).toMatchObject({ state: 'broadcast' });
    expect((await confirm()).confirmed).toEqual([w.id]);
  });

  it("refuses to sign when fees rose past what the company's own POL pays since approval: named top-up, no device prompt, still approved", async () => {
    const w = await approved(2n * USDT, destinations[20]!);
    const reviews = device.reviews.length;
    const own = await companyFunds(t.engine.services.ledger, 'polygon:POL');
    // A fee spike: 50,000 gwei base fee. The holding wallet's 10 POL nobody owns would still pay it; the company's own would not.
    await evm.provider.send('anvil_setNextBlockBaseFeePerGas', [`0x${(5n * 10n ** 13n).toString(16)}`]);
    await evm.mine(1);
    let refused: Result<WithdrawalView>;
    try {
      refused = await call<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    } finally {
      await evm.provider.send('anvil_setNextBlockBaseFeePerGas', [`0x${(10n ** 9n).toString(16)}`]);
      await evm.mine(1);
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'fee_not_covered', details: { withdrawalId: w.id, assetId: 'polygon:POL', address: holding.address, companyFunds: own.toString() } } });
    const { message, details } = (refused as unknown as { error: { message: string; details: { shortfall: string; fee: string } } }).error;
    expect(BigInt(details.shortfall)).toBe(BigInt(details.fee) - own);
    expect(message).toMatch(new RegExp(`^The company's own POL on Polygon does not cover this transfer's network fee: send [0-9.,]+ POL more to the holding wallet ${holding.address} \\(it is booked as company reserve\\), then sign again\\.$`));
    expect(device.reviews.length).toBe(reviews);
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'approved', txHashes: [] });
    expect(await companyFunds(t.engine.services.ledger, 'polygon:POL')).toBe(own);
    // Fees back to normal, it signs and pays from the company's POL.
    expect(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob)).toMatchObject({ state: 'broadcast' });
    expect((await confirm()).confirmed).toEqual([w.id]);
  });

  it('fails a transaction that reverts on chain, releases the hold and books the fee', async () => {
    const gasBefore = await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: 'polygon:POL' });
    await setAutomine(false);
    let w: WithdrawalView;
    const slot = keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [holding.address, 3]));
    const tokens = await chainBalance(holding.address);
    let held: Awaited<ReturnType<typeof clientBalance>>;
    try {
      w = await approved(9n * USDT, destinations[11]!);
      held = await clientBalance();
      await ok('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
      // The holding wallet's tokens vanish before the block: the transfer reverts when mined.
      await evm.provider.send('anvil_setStorageAt', [asset.contract, slot, `0x${'0'.repeat(64)}`]);
    } finally {
      await setAutomine(true);
    }
    const tracked = await confirm().finally(() =>
      evm.provider.send('anvil_setStorageAt', [asset.contract, slot, `0x${tokens.toString(16).padStart(64, '0')}`]),
    );
    expect(tracked.failed).toEqual([w.id]);
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).toMatchObject({ state: 'failed', failureReason: expect.stringMatching(/reverted/) });
    // the hold is released: 9 USDT more available than while it was held, nothing posted
    const after = await clientBalance();
    expect(after.posted).toBe(held.posted);
    expect(BigInt(after.available) - BigInt(held.available)).toBe(9n * USDT);
    // The fee is the company's: booked from its POL reserve, never from the holding coins that back clients.
    const gasAfter = await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: 'polygon:POL' });
    const receipt = (await evm.provider.getTransactionReceipt((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).txHash!))!;
    expect(BigInt(gasBefore.posted) - BigInt(gasAfter.posted)).toBe(receipt.gasUsed * receipt.gasPrice);
  });
});

describe('the network fee of a token withdrawal', () => {
  it('is refused before approval when holding lacks the native coin for the fee, naming the top-up', async () => {
    const before = await clientBalance();
    const native = await evm.provider.getBalance(holding.address);
    await evm.setNativeBalance(holding.address, 1_000n);
    let result: Awaited<ReturnType<typeof request>>;
    try {
      result = await request(5n * USDT, destinations[14]!);
    } finally {
      await evm.setNativeBalance(holding.address, native);
    }
    expect(result).toMatchObject({ ok: false, error: { code: 'insufficient_holding', details: { assetId: 'polygon:POL', address: holding.address } } });
    const { message, details } = (result as unknown as { ok: false; error: { message: string; details: { shortfall: string; fee: string; pendingWithdrawals: number } } }).error;
    // This fee and one for each withdrawal of the chain not yet mined, less the 1,000 wei there.
    expect(BigInt(details.shortfall)).toBe(BigInt(details.fee) * BigInt(details.pendingWithdrawals + 1) - 1_000n);
    expect(message).toMatch(new RegExp(`needs [0-9.,]+ POL more for the network fee of this USDT transfer( \\(and the \\d+ other withdrawals? not yet mined on it\\))?; send it to ${holding.address}`));
    expect(await clientBalance()).toEqual(before);
    // With the coin back, the same request goes through.
    expect((await request(5n * USDT, destinations[14]!)).ok).toBe(true);
  });
});

describe('a node refusing the fee', () => {
  it('takes a withdrawal back to approved in plain words, and the next signature pays the floor and 12.5% over the refused one', async () => {
    const GWEI = 10n ** 9n;
    // A Polygon node that refuses tips under 25 gwei, while the floor is set as low as public RPCs suggest.
    const node = await startRpcFront(evm.url, { minTipWei: 25n * GWEI });
    await ok('configuration:update', { chain: 'polygon', rpcUrl: node.url, feeFloorWei: (1n * GWEI).toString() });
    try {
      const w = await approved(4n * USDT, destinations[15]!);
      const refused = await call<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', details: { state: 'approved', refusal: 'fee_too_low' } } });
      const { message } = (refused as unknown as { error: { message: string } }).error;
      expect(message).toMatch(/Polygon node refused the signed transaction: the fee is below what the network accepts now/);
      expect(message).not.toMatch(/0x[0-9a-f]{16}|-32000|gas tip cap/);
      const back = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id });
      expect(back).toMatchObject({ state: 'approved', failureReason: 'Refused by the node: the fee is below what the network accepts now.' });

      await ok('configuration:update', { chain: 'polygon', feeFloorWei: (30n * GWEI).toString() });
      const signed = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
      expect(signed).toMatchObject({ state: 'broadcast', nonce: back.nonce });
      const attempts = await t.engine.database.db.selectFrom('withdrawal_txs').select('raw').where('withdrawal_id', '=', w.id).orderBy('created_at').execute();
      const [first, second] = attempts.map((a) => evmFeesOf(a.raw));
      expect(second!.maxPriorityFeePerGas!).toBeGreaterThanOrEqual(30n * GWEI);
      expect(second!.maxFeePerGas! * 1000n).toBeGreaterThanOrEqual(first!.maxFeePerGas! * 1125n);
      expect((await confirm()).confirmed).toEqual([w.id]);
      expect(await chainBalance(destinations[15]!)).toBe(4n * USDT);
    } finally {
      await ok('configuration:update', { chain: 'polygon', rpcUrl: evm.url });
      await node.stop();
    }
  });
});

describe('company and off-ramp payouts', () => {
  it('refuses a company withdrawal beyond the company reserve, though the holding wallet holds the coins', async () => {
    // 100,000 USDT sit in holding, but none of it is the company's: it backs clients' balances.
    const refused = await call('holding:companyWithdraw', { idempotencyKey: 'company-0', assetId: ASSET, amount: (300n * USDT).toString(), destination: destinations[12], reason: 'treasury rebalancing' }, ops.alice);
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_funds', details: { account: 'company_reserve', available: '0', shortBy: (300n * USDT).toString() } } });
    expect((refused as { ok: false; error: { message: string } }).error.message).toMatch(/company reserve holds 0(\.00)? USDT on Polygon/);
    expect(await t.engine.database.db.selectFrom('withdrawals').select('id').where('idempotency_key', '=', 'company-0').execute()).toEqual([]);
    // The watcher books what came into holding from outside (the 100,000 minted there, 500 more now) as reserve.
    await evm.mintToken('USDT', holding.address, 500n * USDT);
    await evm.mine(3);
    await t.engine.services.watch.tick('polygon');
    expect((await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: ASSET })).posted).toBe((100_500n * USDT).toString());
  });

  it("refuses a company token withdrawal whose network fee the company's own POL cannot pay, until the company tops it up", async () => {
    // The company moves its own POL out but for a little more than the fees of what is still open: the 10 POL
    // more in holding back nobody's fees.
    const pol = await t.engine.services.assets.get('polygon:POL');
    const polygon = await t.engine.services.chains.adapter('polygon');
    const nativeFee = (await polygon.estimateFee({ asset: pol, from: holding.address, to: destinations[12]!, amount: 1n })).maxFee;
    const { profile } = await t.engine.services.configuration.get();
    const open = await t.engine.database.db.selectFrom('withdrawals').select('id').where('profile', '=', profile).where('chain', '=', 'polygon').where('state', 'in', ['requested', 'approved', 'signed', 'broadcast']).execute();
    const own = await companyFunds(t.engine.services.ledger, 'polygon:POL');
    const keep = nativeFee * BigInt(open.length + 2);
    const drain = await ok<WithdrawalView>('holding:companyWithdraw', { idempotencyKey: 'company-drain', assetId: 'polygon:POL', amount: (own - keep).toString(), destination: destinations[12], reason: 'to cold storage' }, ops.alice);
    await ok('withdrawals:approve', { withdrawalId: drain.id }, ops.bob);
    await ok('withdrawals:sign', { withdrawalId: drain.id }, ops.bob);
    expect((await confirm()).confirmed).toEqual([drain.id]);
    const left = await companyFunds(t.engine.services.ledger, 'polygon:POL');
    expect(left).toBeLessThan(keep);

    const refused = await call('holding:companyWithdraw', { idempotencyKey: 'company-nofee', assetId: ASSET, amount: (300n * USDT).toString(), destination: destinations[12], reason: 'treasury rebalancing' }, ops.alice);
    expect(refused).toMatchObject({ ok: false, error: { code: 'fee_not_covered', details: { assetId: 'polygon:POL', address: holding.address, companyFunds: left.toString() } } });
    expect((refused as { ok: false; error: { message: string } }).error.message).toMatch(new RegExp(`send [0-9.,]+ POL more to the holding wallet ${holding.address}`));
    expect(await t.engine.database.db.selectFrom('withdrawals').select('id').where('idempotency_key', '=', 'company-nofee').execute()).toEqual([]);
    // A client's token withdrawal is refused the same way: its fee is the company's too, never client backing.
    const clientRefused = await request(2n * USDT, destinations[19]!);
    expect(clientRefused).toMatchObject({ ok: false, error: { code: 'fee_not_covered', details: { assetId: 'polygon:POL', address: holding.address } } });
    expect(await companyFunds(t.engine.services.ledger, 'polygon:POL')).toBe(left);
    // The company sends 1 POL from outside; the watcher books it as company reserve.
    const outside = new Wallet('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a', evm.provider);
    await (await outside.sendTransaction({ to: holding.address, value: 10n ** 18n })).wait();
    await evm.mine(3);
    await t.engine.services.watch.tick('polygon');
    expect(await companyFunds(t.engine.services.ledger, 'polygon:POL')).toBe(left + 10n ** 18n);
  });

  it("bounds a company withdrawal of POL by the company's own POL, its fee included", async () => {
    const own = await companyFunds(t.engine.services.ledger, 'polygon:POL');
    const refused = await call('holding:companyWithdraw', { idempotencyKey: 'company-pol', assetId: 'polygon:POL', amount: own.toString(), destination: destinations[12], reason: 'all of it' }, ops.alice);
    // Everything the company has would leave nothing for the fee: refused, though holding holds 10 POL more of clients' backing.
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_funds', details: { account: 'company_reserve', available: own.toString() } } });
    expect((refused as { ok: false; error: { message: string } }).error.message).toMatch(/network fee is paid from it too/);
  });

  it('pays the company out of holding after a second operator approves, booked against company reserve', async () => {
    const polBefore = await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: 'polygon:POL' });
    const w = await ok<WithdrawalView>('holding:companyWithdraw', {
      idempotencyKey: 'company-1',
      assetId: ASSET,
      amount: (300n * USDT).toString(),
      destination: destinations[12],
      reason: 'treasury rebalancing',
    }, ops.alice);
    expect(w).toMatchObject({ kind: 'company', state: 'requested', walletId: null });
    expect(w.approvalReasons[0]).toMatch(/company funds/);
    await ok('withdrawals:approve', { withdrawalId: w.id }, ops.bob);
    await ok('withdrawals:sign', { withdrawalId: w.id }, ops.bob);
    expect((await confirm()).confirmed).toEqual([w.id]);
    expect(await chainBalance(destinations[12]!)).toBe(300n * USDT);
    const reserve = await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: ASSET });
    expect(reserve.posted).toBe((100_200n * USDT).toString());
    // Its network fee came out of the company's POL reserve.
    const paid = BigInt((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: w.id })).feePaid!);
    const polAfter = await t.engine.services.ledger.balance({ kind: 'company_reserve', assetId: 'polygon:POL' });
    expect(BigInt(polBefore.posted) - BigInt(polAfter.posted)).toBe(paid);
  });

  it('sends an off-ramp crypto leg through the same pipeline, held from the off-ramp clearing account', async () => {
    const pipeline = t.engine.services.withdraw.withdrawals;
    const leg = await pipeline.requestPayout(
      { purpose: 'offramp', idempotencyKey: 'offramp-leg-1', assetId: ASSET, amount: 20n * USDT, destination: destinations[13]!, causeId: 'offramp-1' },
      { operator: 'alice' },
    );
    expect(leg).toMatchObject({ kind: 'offramp', state: 'requested', cause: { type: 'offramp', id: 'offramp-1' } });
    const again = await pipeline.requestPayout(
      { purpose: 'offramp', idempotencyKey: 'offramp-leg-1', assetId: ASSET, amount: 20n * USDT, destination: destinations[13]!, causeId: 'offramp-1' },
      { operator: 'alice' },
    );
    expect(again.id).toBe(leg.id);
    await ok('withdrawals:approve', { withdrawalId: leg.id }, ops.bob);
    await ok('withdrawals:sign', { withdrawalId: leg.id }, ops.bob);
    expect((await confirm()).confirmed).toEqual([leg.id]);
    expect(await pipeline.get(leg.id)).toMatchObject({ state: 'confirmed' });
    const clearing = await t.engine.services.ledger.balance({ kind: 'offramp_clearing', assetId: ASSET });
    expect(clearing.posted).toBe((-20n * USDT).toString());
  });
});

describe('the audit trail', () => {
  it('still verifies after every step above', async () => {
    expect(await ok('audit:verify', {})).toMatchObject({ ok: true });
    const records = await ok<Array<{ action: string }>>('audit:list', { entityType: 'withdrawal', limit: 500 });
    const actions = new Set(records.map((r) => r.action));
    for (const action of ['withdrawal.requested', 'withdrawal.approved', 'withdrawal.signed', 'withdrawal.broadcast', 'withdrawal.confirmed', 'withdrawal.failed', 'withdrawal.cancelled', 'withdrawal.replaced']) {
      expect(actions).toContain(action);
    }
  });
});
