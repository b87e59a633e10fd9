import { companyFunds } from '@engine/ledger/company-funds';
import { topUpCompanyNative } from '@test/company-reserve';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, HoldingBalanceView, WithdrawalDepth, WithdrawalView } from '@shared/domain/withdrawals';
import type { EngineEvent } from '@shared/ipc/events';
import type { Result } from '@shared/result';
import { normalizeTronAddress } from '@engine/chains/tron';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import type { TestEngine } from '@test/engine';
import { openEngine, type CallContext, type Operators } from './harness';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/**
 * The whole withdrawal path on each devnet chain: request -> approve -> sign on the virtual Ledger ->
 * broadcast -> confirm, with the device saying no, the cable coming out, two requests racing for the
 * last holding funds, and a restart after broadcast.
 */
const DEVICE_MNEMONIC = 'test test test test test test test test test test test junk';

interface ChainCase {
  chain: Chain;
  label: string;
  app: 'eth' | 'tron';
  assetId: string;
  /** one whole token in base units */
  unit: bigint;
  nativeAssetId: string;
  nativeUnit: bigint;
}

const CASES: ChainCase[] = [
  { chain: 'polygon', label: 'Polygon', app: 'eth', assetId: 'polygon:USDT', unit: 10n ** 6n, nativeAssetId: 'polygon:POL', nativeUnit: 10n ** 18n },
  { chain: 'bsc', label: 'BNB Chain', app: 'eth', assetId: 'bsc:USDT', unit: 10n ** 18n, nativeAssetId: 'bsc:BNB', nativeUnit: 10n ** 18n },
  { chain: 'tron', label: 'Tron', app: 'tron', assetId: 'tron:USDT', unit: 10n ** 6n, nativeAssetId: 'tron:TRX', nativeUnit: 10n ** 6n },
];

function externalAddress(chain: Chain, index: number): string {
  const wallet = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, `m/44'/60'/0'/0/${index}`);
  return chain === 'tron' ? normalizeTronAddress(`41${wallet.address.slice(2)}`) : wallet.address;
}

describe.each(CASES)('withdrawals on $label', ({ chain, label, app, assetId, unit, nativeAssetId, nativeUnit }) => {
  let evm: EvmDevnet | undefined;
  let tron: TronDevnode | undefined;
  let device: VirtualLedger;
  let t: TestEngine;
  let holding: HoldingAddressView;
  let client: WalletView;
  let asset: Asset;
  let ops: Operators;
  let ALICE: CallContext;
  let BOB: CallContext;
  const events: EngineEvent[] = [];

  const call = <T>(channel: string, payload: unknown, context: CallContext = ops.admin) =>
    t.engine.api.call(channel, payload, context as never) as Promise<Result<T>>;
  async function ok<T>(channel: string, payload: unknown, context: CallContext = ops.admin): Promise<T> {
    const result = await call<T>(channel, payload, context);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }
  /** A company credit: the admin asks, the approver approves and so books it (four eyes). */
  async function credit(request: Record<string, unknown>): Promise<void> {
    const asked = await ok<{ id: string }>('transfers:companyCredit', request);
    await ok('transfers:approveCompanyCredit', { creditId: asked.id }, ops.bob);
  }
  const chainBalance = async (address: string) => (await t.engine.services.chains.adapter(chain)).balance(asset, address);
  const clientBalance = async () => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId, walletId: client.id });
  async function mine(blocks: number) {
    if (evm) await evm.mine(blocks);
    else await tron!.mine(blocks);
  }
  async function fundHolding(amount: bigint) {
    if (evm) await evm.mintToken('USDT', holding.address, amount);
    else {
      tron!.mintToken(holding.address, amount);
      await tron!.mine();
    }
  }
  async function confirm() {
    await mine(3);
    return t.engine.services.withdraw.tracker.track();
  }
  async function requestApproved(key: string, amount: bigint, destination: string): Promise<WithdrawalView> {
    const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: key, walletId: client.id, assetId, amount: amount.toString(), destination }, ALICE);
    return ok<WithdrawalView>('withdrawals:approve', { withdrawalId: requested.id }, BOB);
  }

  beforeAll(async () => {
    if (chain === 'tron') tron = await startTronDevnode({});
    else evm = await startEvmDevnet({ chain });
    device = new VirtualLedger({ mnemonic: DEVICE_MNEMONIC, app, ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
    ({ t, ops } = await openEngine(engineConfig()));
    ({ alice: ALICE, bob: BOB } = ops);
    t.engine.events.subscribe((event) => events.push(event));
    await ok('configuration:update', { chain, rpcUrl: evm?.url ?? tron!.url });
    asset = await t.engine.services.assets.get(assetId);
    holding = await ok<HoldingAddressView>('holding:register', { chain });
    if (evm) await evm.setNativeBalance(holding.address, 10n ** 19n);
    else {
      tron!.fund(holding.address, 5_000n * 1_000_000n);
      await tron!.mine();
    }
    await fundHolding(1_000n * unit);
    client = await ok<WalletView>('wallets:create', { chain, label: 'client' });
    await credit({ idempotencyKey: `credit-${chain}-1`, walletId: client.id, assetId, amount: (5_000n * unit).toString(), reason: 'test balance' });
  });

  afterAll(async () => {
    await t?.dispose();
    await evm?.stop();
    await tron?.stop();
  });

  it('registers the holding address the device reports, shown on its screen', () => {
    expect(holding.source).toBe('virtual-ledger');
    expect(device.reviews[0]).toMatchObject({ kind: 'address', address: holding.address });
  });

  it("refuses a token withdrawal before approval while the company's own native coin cannot pay its fee, and pays it once the company tops up", async () => {
    // The holding wallet holds native coins on chain, but none was booked as the company's: it backs nobody's fee.
    // A wallet of its own, so the cases below find the client's balance and holding's tokens as they were.
    const spare = await ok<WalletView>('wallets:create', { chain, label: 'client with a fee to pay' });
    await credit({ idempotencyKey: `credit-${chain}-nofee`, walletId: spare.id, assetId, amount: (7n * unit).toString(), reason: 'test balance' });
    const spareBalance = () => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId, walletId: spare.id });
    const request = { idempotencyKey: `w-${chain}-nofee`, walletId: spare.id, assetId, amount: (7n * unit).toString(), destination: externalAddress(chain, 17) };
    const before = await spareBalance();
    const ownBefore = await companyFunds(t.engine.services.ledger, nativeAssetId);
    const refused = await call<WithdrawalView>('withdrawals:request', request, ALICE);
    expect(refused).toMatchObject({ ok: false, error: { code: 'fee_not_covered', details: { assetId: nativeAssetId, address: holding.address } } });
    const { message, details } = (refused as unknown as { error: { message: string; details: { shortfall: string; fee: string } } }).error;
    const symbol = (await t.engine.services.assets.get(nativeAssetId)).symbol;
    // Officer words: how much, of what, to which address; no base units, no node text.
    expect(message).toMatch(new RegExp(`^The company's own ${symbol} on ${label} does not cover this transfer's network fee: send [0-9.,]+ ${symbol} more to the holding wallet ${holding.address}`));
    expect(message).not.toMatch(new RegExp(`\\b${details.shortfall}\\b|0x[0-9a-f]{64}|insufficient`, 'i'));
    expect(BigInt(details.shortfall)).toBe(BigInt(details.fee) - (ownBefore > 0n ? ownBefore : 0n));
    // Nothing changed: no withdrawal, no hold, the company's coins as they were.
    expect(await spareBalance()).toEqual(before);
    expect(await t.engine.database.db.selectFrom('withdrawals').select('id').where('idempotency_key', '=', request.idempotencyKey).execute()).toEqual([]);
    expect(await companyFunds(t.engine.services.ledger, nativeAssetId)).toBe(ownBefore);

    await topUpCompanyNative(t, chain, evm ? { evm } : { tron: tron! }, holding.address, 1_000n * nativeUnit);
    const own = await companyFunds(t.engine.services.ledger, nativeAssetId);
    expect(own).toBeGreaterThanOrEqual(1_000n * nativeUnit);
    const requested = await ok<WithdrawalView>('withdrawals:request', request, ALICE);
    await ok('withdrawals:approve', { withdrawalId: requested.id }, BOB);
    await ok('withdrawals:sign', { withdrawalId: requested.id }, BOB);
    expect((await confirm()).confirmed).toEqual([requested.id]);
    expect(await chainBalance(request.destination)).toBe(7n * unit);
    // Its fee was paid from the company's own coins, never below zero.
    const paid = BigInt((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).feePaid ?? '0');
    expect(await companyFunds(t.engine.services.ledger, nativeAssetId)).toBe(own - paid);
    expect(await spareBalance()).toMatchObject({ posted: '0', pending: '0' });
    await fundHolding(7n * unit);
  });

  it('pays a withdrawal: request, approve by another operator, sign, broadcast, confirm', async () => {
    const destination = externalAddress(chain, 1);
    const amount = 125n * unit;
    const requested = await ok<WithdrawalView>('withdrawals:request', {
      idempotencyKey: `w-${chain}-happy`,
      walletId: client.id,
      assetId,
      amount: amount.toString(),
      destination,
    }, ALICE);
    expect(requested).toMatchObject({ state: 'requested', needsApproval: true, requestedBy: 'alice' });
    // the balance is held at once
    expect(await clientBalance()).toMatchObject({ posted: (5_000n * unit).toString(), available: (4_875n * unit).toString() });

    const anonymous = await ops.anonymous('withdrawals:approve', { withdrawalId: requested.id });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).toMatchObject({ state: 'requested', approvedBy: null });
    expect(await ok<WithdrawalDepth>('withdrawals:depth', { withdrawalId: requested.id })).toMatchObject({ confirmations: null, txHash: null });
    await ok('withdrawals:approve', { withdrawalId: requested.id }, BOB);

    const holdingBefore = await chainBalance(holding.address);
    const broadcast = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, BOB);
    expect(broadcast).toMatchObject({ state: 'broadcast', signedBy: 'bob' });
    expect(broadcast.txHash).toBeTruthy();
    // the device showed the token transfer in clear: from a descriptor (EVM) or its own token list (Tron)
    const review = device.reviews[device.reviews.length - 1]!;
    expect(review).toMatchObject({ kind: 'token-transfer', ticker: 'USDT', recipient: destination, amount });
    // Polygon's fee market is EIP-1559; BNB Chain takes legacy (EIP-155) transactions
    if (evm) expect((await evm.provider.getTransaction(broadcast.txHash!))?.type).toBe(chain === 'polygon' ? 2 : 0);

    // The confirmation counter reads the chain: one more block, one more confirmation.
    await mine(1);
    const first = await ok<WithdrawalDepth>('withdrawals:depth', { withdrawalId: requested.id });
    expect(first).toMatchObject({ txHash: broadcast.txHash, required: 3 });
    expect(first.confirmations).toBeGreaterThanOrEqual(1);
    await mine(1);
    expect(await ok<WithdrawalDepth>('withdrawals:depth', { withdrawalId: requested.id })).toMatchObject({ confirmations: first.confirmations! + 1 });

    expect((await confirm()).confirmed).toEqual([requested.id]);
    const confirmed = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id });
    expect(confirmed.state).toBe('confirmed');
    expect(await chainBalance(destination)).toBe(amount);
    expect(await chainBalance(holding.address)).toBe(holdingBefore - amount);
    expect(await clientBalance()).toMatchObject({ posted: (4_875n * unit).toString(), pending: '0', available: (4_875n * unit).toString() });
    expect(events).toContainEqual({ type: 'withdrawal.status', withdrawalId: requested.id, state: 'confirmed' });
    expect(events.some((e) => e.type === 'device.status' && e.state === 'awaiting-confirmation')).toBe(true);

    // a second tracking pass changes nothing
    expect(await confirm()).toEqual({ confirmed: [], failed: [], expired: [], reorged: [] });
    const balances = await ok<HoldingBalanceView[]>('holding:balances', { chain });
    expect(balances.find((b) => b.assetId === assetId)).toMatchObject({ onChain: (holdingBefore - amount).toString(), inFlight: '0' });
  });

  it('pays a native-coin withdrawal, shown on the device as a plain transfer', async () => {
    const destination = externalAddress(chain, 8);
    await credit({ idempotencyKey: `credit-${chain}-native`, walletId: client.id, assetId: nativeAssetId, amount: (5n * nativeUnit).toString(), reason: 'test balance' });
    const requested = await ok<WithdrawalView>(
      'withdrawals:request',
      { idempotencyKey: `w-${chain}-native`, walletId: client.id, assetId: nativeAssetId, amount: (2n * nativeUnit).toString(), destination },
      ALICE,
    );
    await ok('withdrawals:approve', { withdrawalId: requested.id }, BOB);
    await ok('withdrawals:sign', { withdrawalId: requested.id }, BOB);
    if (app === 'eth') expect(device.reviews[device.reviews.length - 1]).toMatchObject({ kind: 'transfer', to: destination, value: 2n * nativeUnit });
    else expect(device.reviews[device.reviews.length - 1]).toMatchObject({ kind: 'trx-transfer', to: destination, amount: 2n * nativeUnit, memo: false });
    expect((await confirm()).confirmed).toEqual([requested.id]);
    const native = await t.engine.services.assets.get(nativeAssetId);
    expect(await (await t.engine.services.chains.adapter(chain)).balance(native, destination)).toBe(2n * nativeUnit);
    expect(await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: nativeAssetId, walletId: client.id })).toMatchObject({
      posted: (3n * nativeUnit).toString(),
      pending: '0',
    });
  });

  it('pays two identical withdrawals signed in one block twice on chain and books each once', async () => {
    const destination = externalAddress(chain, 11);
    await ok('transfers:companyCredit', { idempotencyKey: `credit-${chain}-twins`, walletId: client.id, assetId: nativeAssetId, amount: (3n * nativeUnit).toString(), reason: 'test balance' });
    const native = await t.engine.services.assets.get(nativeAssetId);
    const adapter = await t.engine.services.chains.adapter(chain);
    const before = await adapter.balance(native, destination);
    const twins: WithdrawalView[] = [];
    for (const key of ['a', 'b']) {
      const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: `w-${chain}-twin-${key}`, walletId: client.id, assetId: nativeAssetId, amount: nativeUnit.toString(), destination }, ALICE);
      await ok('withdrawals:approve', { withdrawalId: requested.id }, BOB);
      // No block between the two: the same head is their reference block.
      twins.push(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, BOB));
    }
    expect(twins.map((w) => w.state)).toEqual(['broadcast', 'broadcast']);
    expect(twins[0]!.txHash).not.toBe(twins[1]!.txHash);
    expect((await confirm()).confirmed.sort()).toEqual(twins.map((w) => w.id).sort());
    expect(await adapter.balance(native, destination)).toBe(before + 2n * nativeUnit);
    const posts = await t.engine.database.db.selectFrom('ledger_transfers').select('id').where('idempotency_key', 'in', twins.map((w) => `withdrawal:${w.id}:post`)).execute();
    expect(posts).toHaveLength(2);
    const attempts = await t.engine.database.db.selectFrom('withdrawal_txs').select(['withdrawal_id', 'tx_hash']).where('withdrawal_id', 'in', twins.map((w) => w.id)).execute();
    expect(attempts.map((a) => a.tx_hash).sort()).toEqual(twins.map((w) => w.txHash!).sort());
  });

  it('refuses an approval by the operator who requested (maker-checker binds the admin too)', async () => {
    const requested = await ok<WithdrawalView>('withdrawals:request', {
      idempotencyKey: `w-${chain}-self`,
      walletId: client.id,
      assetId,
      amount: unit.toString(),
      destination: externalAddress(chain, 5),
    });
    const selfApproval = await call('withdrawals:approve', { withdrawalId: requested.id }, ops.admin);
    expect(selfApproval).toMatchObject({ ok: false, error: { code: 'maker_checker', message: expect.stringMatching(/You requested this withdrawal: another operator must check it/) } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).toMatchObject({ state: 'requested' });
    const cancelled = await ok<WithdrawalView>('withdrawals:cancel', { withdrawalId: requested.id, reason: 'self approval test' }, ALICE);
    expect(cancelled.state).toBe('cancelled');
    expect(await clientBalance()).toMatchObject({ pending: '0' });
  });

  it('keeps a withdrawal approved and unsigned when it is rejected on the device, and signs it afterwards', async () => {
    const approved = await requestApproved(`w-${chain}-reject`, 10n * unit, externalAddress(chain, 2));
    device.rejectNextConfirmation();
    const rejected = await call('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect(rejected).toMatchObject({ ok: false, error: { code: 'device', details: { state: 'rejected' } } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'approved', txHash: null, nonce: null });
    expect(events.some((e) => e.type === 'device.status' && e.state === 'rejected')).toBe(true);

    expect(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB)).toMatchObject({ state: 'broadcast' });
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await chainBalance(externalAddress(chain, 2))).toBe(10n * unit);
  });

  it('survives the device being unplugged mid-signature, nothing signed', async () => {
    const approved = await requestApproved(`w-${chain}-unplug`, 7n * unit, externalAddress(chain, 3));
    device.disconnectAtNextConfirmation();
    const failed = await call('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect(failed).toMatchObject({ ok: false, error: { code: 'device', details: { state: 'disconnected' } } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'approved', txHash: null });
    const unplugged = await call('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect(unplugged).toMatchObject({ ok: false, error: { code: 'device', details: { state: 'not-connected' } } });

    device.plugIn(app);
    expect(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB)).toMatchObject({ state: 'broadcast' });
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await chainBalance(externalAddress(chain, 3))).toBe(7n * unit);
  });

  it.runIf(chain === 'tron')('signs again a Tron withdrawal whose signature came after the transaction expired', async () => {
    const destination = externalAddress(chain, 6);
    const approved = await requestApproved(`w-${chain}-late`, 4n * unit, destination);
    device.holdNextConfirmation();
    const signing = call<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    await device.whenPrompted();
    // The officer walks away from the device for longer than the transaction's 10-minute expiration.
    await tron!.mine(250);
    device.approve();
    expect(await signing).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/sign it again/) } });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'approved', txHash: null });

    expect(await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB)).toMatchObject({ state: 'broadcast' });
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await chainBalance(destination)).toBe(4n * unit);
  });

  it.runIf(chain === 'tron')('takes back a Tron withdrawal whose block was reorged away and whose transaction expired, and pays it once', async () => {
    const destination = externalAddress(chain, 7);
    const approved = await requestApproved(`w-${chain}-reorg`, 6n * unit, destination);
    const first = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    await tron!.mine(1);
    // below the confirmation depth: nothing settles yet
    expect(await t.engine.services.withdraw.tracker.track()).toEqual({ confirmed: [], failed: [], expired: [], reorged: [] });
    const { orphaned } = await tron!.reorg(1, { dropTransactions: true });
    expect(orphaned).toContain(first.txHash!.replace(/^0x/, ''));
    await tron!.mine(250);
    expect(await t.engine.services.withdraw.tracker.track()).toEqual({ confirmed: [], failed: [], expired: [approved.id], reorged: [] });
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'approved', txHash: null });
    expect(await chainBalance(destination)).toBe(0n);

    await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await chainBalance(destination)).toBe(6n * unit);
  });

  it('lets exactly one of two concurrent requests take the last holding funds', async () => {
    const onChain = await chainBalance(holding.address);
    const share = (onChain * 6n) / 10n;
    const results = await Promise.all(
      [1, 2].map((n) =>
        call<WithdrawalView>('withdrawals:request', {
          idempotencyKey: `w-${chain}-race-${n}`,
          walletId: client.id,
          assetId,
          amount: share.toString(),
          destination: externalAddress(chain, 10 + n),
        }, ALICE),
      ),
    );
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const refusal = losers[0] as { ok: false; error: { code: string; message: string } };
    expect(refusal.error.code).toBe('insufficient_holding');
    expect(refusal.error.message).toMatch(new RegExp(`holding wallet on ${label} is short by [0-9,]+\\.[0-9]+ USDT`));
    // only one hold was written
    expect(await clientBalance()).toMatchObject({ pending: (-share).toString() });
    const won = (winners[0] as { ok: true; data: WithdrawalView }).data;
    await ok('withdrawals:cancel', { withdrawalId: won.id, reason: 'race test over' }, BOB);
    expect(await clientBalance()).toMatchObject({ pending: '0' });
  });

  it.runIf(chain === 'tron')('keeps a withdrawal signed while the node is busy and sends the same bytes later, signed once', async () => {
    const destination = externalAddress(chain, 12);
    const approved = await requestApproved(`w-${chain}-busy`, 2n * unit, destination);
    const reviews = device.reviews.length;
    tron!.setBusy(true);
    let busy: Result<WithdrawalView>;
    try {
      busy = await call<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    } finally {
      tron!.setBusy(false);
    }
    expect(busy).toMatchObject({ ok: false, error: { code: 'chain_unavailable', details: { state: 'signed' } } });
    expect((busy as { ok: false; error: { message: string } }).error.message).toMatch(/node is busy/);
    const signed = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id });
    expect(signed).toMatchObject({ state: 'signed', txHashes: [signed.txHash] });
    await t.engine.services.withdraw.tracker.resume();
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'broadcast', txHash: signed.txHash });
    expect(device.reviews.length).toBe(reviews + 1);
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await chainBalance(destination)).toBe(2n * unit);
  });

  it('confirms once after a crash between broadcast and the state write, with no second payment', async () => {
    const destination = externalAddress(chain, 4);
    const approved = await requestApproved(`w-${chain}-crash`, 3n * unit, destination);
    const signed = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect(signed.state).toBe('broadcast');
    // The node took the transaction but the process died before recording it: the row still says signed.
    t.engine.database.sqlite!.prepare("update withdrawals set state = 'signed' where id = ?").run(approved.id);
    await mine(1);
    await t.engine.close();

    ({ t, ops } = await openEngine(engineConfig(), t.home));
    ({ alice: ALICE, bob: BOB } = ops);
    t.engine.events.subscribe((event) => events.push(event));
    const restarted = t;
    await restarted.engine.services.withdraw.tracker.resume();
    expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: approved.id })).toMatchObject({ state: 'broadcast', txHash: signed.txHash });
    expect((await confirm()).confirmed).toEqual([approved.id]);
    expect(await confirm()).toEqual({ confirmed: [], failed: [], expired: [], reorged: [] });
    expect(await chainBalance(destination)).toBe(3n * unit);
    const again = await call('withdrawals:sign', { withdrawalId: approved.id }, BOB);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await chainBalance(destination)).toBe(3n * unit);
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
});

describe('a software signer off the devnet', () => {
  it('is refused on mainnet before any device call', async () => {
    const device = new VirtualLedger({ mnemonic: DEVICE_MNEMONIC, app: 'eth' });
    const { t, ops } = await openEngine({ network: 'mainnet', withdrawalTrackIntervalMs: 0, signer: { openTransport: device.factory(), software: true } });
    const admin = ops.admin;
    try {
      const result = await t.engine.api.call('holding:register', { chain: 'polygon' }, admin as never);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(device.exchanges).toHaveLength(0);
    } finally {
      await t.dispose();
    }
  });
});

