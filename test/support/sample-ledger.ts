import type { Engine } from '@engine/engine';
import type { WalletView } from '@shared/domain/wallets';

/** What fillSampleLedger wrote, for comparisons after the data moved elsewhere. */
export interface SampleLedger {
  wallets: WalletView[];
  /** walletId → its balances as the engine reports them. */
  balances: Map<string, unknown>;
}

const BSC_TOKEN = 10n ** 18n; // bsc:USDT has 18 decimals: amounts past 64-bit integers

/**
 * A realistic small ledger written through the engine's own services: wallets on two chains, company
 * credits, internal transfers, holds that are posted and voided, a reversal, and a confirmed deposit row
 * with its credit. Every step leaves its audit records.
 */
export async function fillSampleLedger(engine: Engine): Promise<SampleLedger> {
  const { wallets, transfers, ledger } = engine.services;
  const db = engine.database.db;
  const made: WalletView[] = [];
  for (const [chain, label] of [['polygon', 'Alice'], ['polygon', 'Bob'], ['polygon', 'Carol'], ['bsc', 'Dave'], ['bsc', 'Erin']] as const) {
    made.push(await wallets.create({ chain, label }));
  }
  const [alice, bob, carol, dave, erin] = made as [WalletView, WalletView, WalletView, WalletView, WalletView];
  await transfers.companyCredit({ idempotencyKey: 'open-alice', walletId: alice.id, assetId: 'polygon:USDT', amount: 50_000_000n, reason: 'opening balance' });
  await transfers.companyCredit({ idempotencyKey: 'open-dave', walletId: dave.id, assetId: 'bsc:USDT', amount: 123_456n * BSC_TOKEN, reason: 'opening balance' });
  for (let i = 0; i < 20; i++) {
    // Alice pays Bob, Bob passes half on to Carol.
    const [from, to, amount] = i % 2 === 0 ? [alice, bob, 100_000 + i] : [bob, carol, 50_000 + i];
    await transfers.internalTransfer({ idempotencyKey: `move-${i}`, fromWalletId: from.id, toWalletId: to.id, assetId: 'polygon:USDT', amount: BigInt(amount) });
  }
  await transfers.internalTransfer({ idempotencyKey: 'move-bsc', fromWalletId: dave.id, toWalletId: erin.id, assetId: 'bsc:USDT', amount: 23_456n * BSC_TOKEN + 1n });

  const posted = await transfers.hold({ idempotencyKey: 'hold-posted', walletId: alice.id, assetId: 'polygon:USDT', amount: 1_000_000n, purpose: 'withdrawal', causeId: 'w-1' });
  await transfers.postHold(posted.transfer, 'hold-posted:post');
  const voided = await transfers.hold({ idempotencyKey: 'hold-voided', walletId: erin.id, assetId: 'bsc:USDT', amount: 5n * BSC_TOKEN, purpose: 'offramp', causeId: 'o-1' });
  await transfers.voidHold(voided.transfer, 'hold-voided:void');
  await transfers.hold({ idempotencyKey: 'hold-open', walletId: carol.id, assetId: 'polygon:USDT', amount: 7_000n, purpose: 'withdrawal', causeId: 'w-2' });
  const mistake = await transfers.companyCredit({ idempotencyKey: 'credit-twice', walletId: bob.id, assetId: 'polygon:USDT', amount: 999n, reason: 'goodwill' });
  await ledger.reverse(mistake.transfer.id, { idempotencyKey: 'credit-twice:undo', code: 'correction', memo: 'credited twice' });

  // A deposit the watcher confirmed and credited, as its row and its ledger credit in one transaction.
  const now = new Date().toISOString();
  const txHash = `0x${'ab'.repeat(32)}`;
  await db.transaction().execute(async (trx) => {
    const credit = await transfers.creditDeposit(
      { chain: 'polygon', txHash, logIndex: 3, walletId: carol.id, assetId: 'polygon:USDT', amount: 2_500_000n, depositId: 'dep-1' },
      trx,
    );
    await trx
      .insertInto('deposits')
      .values({
        id: 'dep-1', profile: 'devnet', chain: 'polygon', kind: 'client', wallet_id: carol.id, asset_id: 'polygon:USDT', address: carol.address,
        from_address: `0x${'12'.repeat(20)}`, amount: '2500000', tx_hash: txHash, log_index: 3, block_number: 42, block_hash: `0x${'cd'.repeat(32)}`,
        state: 'confirmed', confirmations: 3, credit_round: 0, credit_transfer_id: credit.transfer.id, sweep_id: null, seen_at: now, confirmed_at: now, updated_at: now,
      })
      .execute();
  });

  const balances = new Map<string, unknown>();
  for (const w of made) balances.set(w.id, await ledger.walletBalances(w.id));
  return { wallets: made, balances };
}
