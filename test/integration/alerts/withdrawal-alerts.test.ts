import { HDNodeWallet, AbiCoder, keccak256, toBeHex } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AlertView } from '@shared/domain/alerts';
import { DEVNET_EVM_USDT } from '@shared/domain/assets';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import type { EvmDevnet } from '@test/devnet/evm';
import type { TestEngine } from '@test/engine';
import { openPolygonWithdrawals, type CallContext, type Operators } from '../withdraw/harness';

/**
 * Withdrawals on a Polygon devnet: one broadcast and not mined raises `withdrawal_stuck`; one whose transaction
 * reverts on chain raises `withdrawal_failed` (and the stuck alert clears); approvals waiting count it while it
 * waits for the approver.
 */
const ASSET = 'polygon:USDT';
const UNIT = 10n ** 6n;
const MINUTE = 60_000;
let evm: EvmDevnet;
let t: TestEngine;
let ops: Operators;
let client: WalletView;
let holding: string;

async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
  const result = (await t.engine.api.call(channel, payload, (context ?? ops.admin) as never)) as Result<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}
const alerts = async (kind: string) => (await ok<AlertView[]>('alerts:list', { limit: 100 })).filter((a) => a.kind === kind);
/** TestToken keeps balanceOf in storage slot 3. */
const balanceSlot = (owner: string) => keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [owner, 3]));

beforeAll(async () => {
  let address: { address: string };
  ({ evm, t, ops, client, holding: address } = await openPolygonWithdrawals({ holding: 1_000n * UNIT, client: 500n * UNIT, creditKey: 'credit-alerts', confirmations: 2 }));
  holding = address.address;
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

it('a withdrawal waiting for approval, then sent and not mined, then reverted on chain: each raises its alert', async () => {
  const { tracker } = t.engine.services.withdraw;
  const monitor = t.engine.services.alertMonitor;
  const destination = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, "m/44'/60'/0'/0/4").address;
  const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-alerts-1', walletId: client.id, assetId: ASSET, amount: (40n * UNIT).toString(), destination }, ops.alice);
  expect(requested.state).toBe('requested');
  await monitor.check(Date.now() + 45 * MINUTE);
  expect((await alerts('approvals_waiting'))[0]!.message).toBe("1 withdrawal waits for a second operator's approval, the oldest for 45 minutes.");

  await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
  await evm.provider.send('evm_setAutomine', [false]);
  try {
    await ok<WithdrawalView>('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
    await monitor.check(Date.now() + 40 * MINUTE);
    expect((await alerts('approvals_waiting'))[0]!.resolvedAt).not.toBeNull();
    const [stuck] = await alerts('withdrawal_stuck');
    expect(stuck!.message).toBe(`The withdrawal of 40 USDT to ${destination} on Polygon was sent 40 minutes ago and is not confirmed yet: look it up in the explorer, or replace it with a higher fee.`);

    // The holding wallet's tokens are gone before the transaction is mined: it reverts.
    await evm.provider.send('anvil_setStorageAt', [DEVNET_EVM_USDT, balanceSlot(holding), toBeHex(0n, 32)]);
    await evm.mine(3);
  } finally {
    await evm.provider.send('evm_setAutomine', [true]);
  }
  expect((await tracker.track()).failed).toEqual([requested.id]);
  const [failed] = await alerts('withdrawal_failed');
  expect(failed!.message).toBe(`The withdrawal of 40 USDT to ${destination} failed on Polygon: its transaction reverted, and the held amount was released to the wallet.`);
  await monitor.check(Date.now() + 41 * MINUTE);
  expect((await alerts('withdrawal_stuck'))[0]!.resolvedAt).not.toBeNull();
});
