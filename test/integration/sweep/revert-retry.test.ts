import { AbiCoder, keccak256, toBeHex } from 'ethers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { DEVNET_EVM_USDT } from '@shared/domain/assets';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, type TestEngine } from '@test/engine';
import type { DevChain } from '../watch/devnet-chain';
import { openSweepBench } from './sweep-bench';

const DEPTH = 2;
let dev: DevChain;
let t: TestEngine;

beforeAll(async () => {
  ({ dev, t } = await openSweepBench('polygon', { depth: DEPTH, rules: [{ assetId: 'polygon:USDT', mode: 'on_confirmation' }] }));
});
afterAll(async () => {
  await t?.dispose();
  await dev?.stop();
});

/** TestToken keeps balanceOf in storage slot 3: the test edits an address's token balance in place. */
function balanceSlot(owner: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [owner, 3]));
}

it('a sweep transaction that reverts pays its gas as company expense, and the sweep is retried with a new transaction', async () => {
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'reverting' });
  const { watch, sweeps } = t.engine.services;
  const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'polygon')!;
  await dev.fundNative(tank.address!, dev.coin);
  await watch.tick('polygon');
  const amount = 50n * dev.unit;
  await dev.sendToken(wallet.address, amount);
  await dev.mine(DEPTH);
  await watch.tick('polygon');

  // Blocks only when asked: fund gas, then catch the signed sweep in the mempool.
  await dev.rpc('evm_setAutomine', [false]);
  const sweep = () => callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: wallet.id }).then((p) => p.items[0]!);
  for (let i = 0; i < 6 && (await sweep().catch(() => null))?.state !== 'broadcast'; i++) {
    await sweeps.tick('polygon');
    if ((await sweep()).state !== 'broadcast') await dev.mine(1);
  }
  expect((await sweep()).state).toBe('broadcast');

  // The deposit address loses its tokens before the sweep is mined: the transfer reverts on chain.
  await dev.rpc('anvil_setStorageAt', [DEVNET_EVM_USDT, balanceSlot(wallet.address), toBeHex(0n, 32)]);
  await dev.mine(1);
  await sweeps.tick('polygon');
  const retried = await sweep();
  expect(retried).toMatchObject({ state: 'planned', attempts: 1 });
  expect(retried.error).toMatch(/reverted/);
  const revertedTx = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('purpose', '=', 'sweep').where('state', '=', 'reverted').executeTakeFirstOrThrow();
  const gasAfterRevert = BigInt((await t.engine.services.ledger.balance({ kind: 'gas_expense', assetId: 'polygon:POL' })).posted);
  expect(gasAfterRevert).toBe(BigInt(revertedTx.fee_paid!));

  // The tokens come back; the next attempt signs a new transaction with the next nonce and goes through.
  await dev.rpc('anvil_setStorageAt', [DEVNET_EVM_USDT, balanceSlot(wallet.address), toBeHex(amount, 32)]);
  await dev.rpc('evm_setAutomine', [true]);
  for (let i = 0; i < 8 && (await sweep()).state !== 'confirmed'; i++) {
    await sweeps.tick('polygon');
    await dev.mine(1);
  }
  const done = await sweep();
  expect(done).toMatchObject({ state: 'confirmed', attempts: 1 });
  const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('purpose', '=', 'sweep').orderBy('created_at').execute();
  expect(txs.map((tx) => tx.state)).toEqual(['reverted', 'mined']);
  expect(txs[1]!.nonce).toBe(txs[0]!.nonce! + 1);
  expect(await dev.tokenBalance(dev.holdingAddress)).toBe(amount);
  expect((await t.engine.services.ledger.balance({ kind: 'holding', assetId: 'polygon:USDT' })).posted).toBe(amount.toString());
  expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
});
