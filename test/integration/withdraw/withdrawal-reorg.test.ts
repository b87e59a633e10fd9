import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { ChainAlertView } from '@shared/domain/deposits';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { EvmDevnet } from '@test/devnet/evm';
import type { TestEngine } from '@test/engine';
import { openPolygonWithdrawals, type CallContext, type Operators } from './harness';

/**
 * A confirmed withdrawal whose block a reorg takes back (anvil reverted to a snapshot before it, then a longer
 * history mined): its settlement and fee are reversed, the amount is held again, its stored bytes go out
 * again, and it settles once more, once, when mined anew (outgoing/reorg-check.ts).
 */
const ASSET = 'polygon:USDT';
const UNIT = 10n ** 6n;
let evm: EvmDevnet;
let t: TestEngine;
let ops: Operators;
let client: WalletView;
let asset: Asset;

async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
  const result = (await t.engine.api.call(channel, payload, (context ?? ops.admin) as never)) as Result<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

beforeAll(async () => {
  ({ evm, t, ops, client, asset } = await openPolygonWithdrawals({ holding: 1_000n * UNIT, client: 500n * UNIT, creditKey: 'credit-reorg', confirmations: 3 }));
});
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

it('a confirmed withdrawal whose block is orphaned is unbooked, held again, tracked and settled once when mined again', async () => {
  const tracker = t.engine.services.withdraw.tracker;
  const db = t.engine.database.db;
  const destination = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, "m/44'/60'/0'/0/3").address;
  const clientBalance = () => t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: ASSET, walletId: client.id });
  const onChain = async (address: string) => (await t.engine.services.chains.adapter('polygon')).balance(asset, address);
  const snapshot = await evm.snapshot();
  const markHead = Number(await evm.provider.getBlockNumber());

  const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-polygon-reorg', walletId: client.id, assetId: ASSET, amount: (125n * UNIT).toString(), destination }, ops.alice);
  await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
  const sent = await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
  await evm.mine(3);
  expect((await tracker.track()).confirmed).toEqual([requested.id]);
  const booked = await db.selectFrom('withdrawals').select(['block_hash', 'block_number']).where('id', '=', requested.id).executeTakeFirstOrThrow();
  expect(booked.block_hash).toMatch(/^0x[0-9a-f]{64}$/);
  expect(await clientBalance()).toMatchObject({ posted: (375n * UNIT).toString(), pending: '0' });
  expect(await onChain(destination)).toBe(125n * UNIT);

  // A longer history without the withdrawal replaces every block since the snapshot.
  const headBefore = Number(await evm.provider.getBlockNumber());
  await evm.revert(snapshot);
  await evm.mine(headBefore - markHead + 2);
  expect(await onChain(destination)).toBe(0n);
  const pass = await tracker.track();
  expect(pass).toMatchObject({ confirmed: [], reorged: [requested.id] });

  // Unbooked and held again: the client cannot spend what is on its way out.
  expect(await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).toMatchObject({ state: 'broadcast', txHash: sent.txHash, feePaid: null });
  expect(await clientBalance()).toMatchObject({ posted: (500n * UNIT).toString(), pending: (-125n * UNIT).toString(), available: (375n * UNIT).toString() });
  const alerts = await ok<ChainAlertView[]>('sweeps:alerts', { limit: 20 });
  const named = alerts.filter((a) => a.kind === 'outgoing_reorged');
  expect(named).toHaveLength(1);
  expect(named[0]!.message).toContain(`withdrawal of 125 USDT to ${destination}`);
  expect(named[0]!.details).toMatchObject({ withdrawalId: requested.id, txHash: sent.txHash });

  // The stored bytes went out again; deep enough, it settles once more under the next round's keys.
  await evm.mine(3);
  expect(await tracker.track()).toEqual({ confirmed: [requested.id], failed: [], expired: [], reorged: [] });
  expect(await tracker.track()).toEqual({ confirmed: [], failed: [], expired: [], reorged: [] });
  expect(await onChain(destination)).toBe(125n * UNIT);
  expect((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).feePaid).toMatch(/^[1-9][0-9]*$/);
  expect(await clientBalance()).toMatchObject({ posted: (375n * UNIT).toString(), pending: '0', available: (375n * UNIT).toString() });
  const transfers = await db
    .selectFrom('ledger_transfers')
    .select(['kind', 'code', 'reverses_id'])
    .where('cause_type', '=', 'withdrawal')
    .where('cause_id', '=', requested.id)
    .orderBy('id')
    .execute();
  expect(transfers.map((tr) => `${tr.kind}:${tr.code}${tr.reverses_id === null ? '' : ':reversal'}`)).toEqual([
    'pending:withdrawal',
    'post_pending:withdrawal',
    'posted:gas',
    'posted:correction:reversal',
    'posted:correction:reversal',
    'pending:withdrawal',
    'post_pending:withdrawal',
    'posted:gas',
  ]);
  const actions = (await db.selectFrom('audit_log').select('action').where('entity_id', '=', requested.id).orderBy('seq').execute()).map((r) => r.action);
  expect(actions.filter((a) => a === 'withdrawal.confirmed')).toHaveLength(2);
  expect(actions.filter((a) => a === 'withdrawal.reorged')).toHaveLength(1);
  expect(await checkLedgerInvariants(db)).toEqual([]);
});
