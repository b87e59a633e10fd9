import { randomUUID } from 'node:crypto';
import type { Chain } from '@shared/domain/chains';
import type { StrayRecoveryAction } from '@shared/domain/unidentified-funds';
import { DomainError } from '@shared/result';
import type { DepositRow, UnidentifiedFundsTable } from '@engine/db/schema';
import { depositKey } from '@engine/ledger/transfer-service';
import { assertNotRequester } from '@engine/operators/maker-checker';
import type { Selectable } from 'kysely';
import type { ChainWatcherDeps } from '../chain-watcher';
import { assertReturnable, strayAsset } from './stray-return';

type Deps = Pick<ChainWatcherDeps, 'db' | 'configuration' | 'assets' | 'transfers' | 'ledger' | 'audit' | 'events' | 'chains'>;
type StrayRow = Selectable<UnidentifiedFundsTable>;

/**
 * Recovery of unidentified funds under maker-checker: one officer proposes, a different operator approves.
 * An approved "credit the wallet" or "company funds" adopts the funds as a deposit of the address's wallet (the
 * token registered first when the registry lacks it): credited to the client, or booked to the company reserve
 * (`reserve_topup`) like a below-minimum deposit. From there the ordinary sweep moves the coins to holding,
 * signed by the deposit address's own key with gas from the gas tank. An approved "return to the sender" plans a
 * sweep that pays the sender instead of holding (sweep/sweep-runner.ts: same key, gas top-up, saved bytes and
 * receipts), the client's books untouched. Funds on the other EVM chain (kind `other_chain`: the address belongs
 * to a wallet of the other chain) can only be returned: the sweep runs on the stray's chain, signed by the same key
 * (both chains derive deposit keys under coin type 60); crediting or booking them as company funds is refused.
 */
export class StrayRecovery {
  constructor(private readonly deps: Deps) {}

  private async row(id: string): Promise<StrayRow> {
    const { profile } = await this.deps.configuration.get();
    const row = await this.deps.db.selectFrom('unidentified_funds').selectAll().where('id', '=', id).where('profile', '=', profile).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'That entry of the unidentified funds does not exist.');
    return row;
  }

  async propose(id: string, action: StrayRecoveryAction, operator: string, requestedReturnTo?: string): Promise<void> {
    const row = await this.row(id);
    if (row.recovery_state === 'done') throw new DomainError('conflict', 'These funds were already recovered.');
    if (row.recovery_state === 'returning') throw new DomainError('conflict', 'These funds are being returned to the sender.');
    if (row.recovery_state === 'proposed') throw new DomainError('conflict', 'A recovery is already proposed for these funds: approve or reject it first.');
    if (row.state !== 'seen') throw new DomainError('validation', 'A reorg removed this transaction from the chain; nothing can be recovered until it is included again.');
    // The address's key signs on both EVM chains, so the funds can go back; the wallet cannot hold them.
    if (row.kind === 'other_chain' && action !== 'return_to_sender') {
      throw new DomainError('validation', 'These funds are on another chain than the wallet: it cannot be credited with them, and booking them as company funds is not available yet. Return them to the sender instead.');
    }
    if (action === 'credit_wallet') await this.assertWalletOpen(row);
    let returnTo: string | null = null;
    if (action === 'return_to_sender') {
      const sender = requestedReturnTo ?? row.tx_sender ?? (await (await this.deps.chains.adapter(row.chain as Chain)).transactionSender(row.tx_hash));
      if (!sender) throw new DomainError('validation', 'The node does not say who sent this transaction: enter the address to return to.', { field: 'returnTo' });
      returnTo = await assertReturnable(this.deps, row, sender);
    }
    const at = new Date().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('unidentified_funds')
        .set({ recovery_action: action, recovery_state: 'proposed', return_to: returnTo, proposed_by: operator, proposed_at: at, decided_by: null, decided_at: null, updated_at: at })
        .where('id', '=', id)
        .where('recovery_state', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('conflict', 'A recovery was proposed for these funds meanwhile.');
      await this.deps.audit.record(
        { operator, action: 'unidentified_funds.recovery_proposed', entity: { type: 'unidentified_funds', id }, change: { action, amount: row.amount, tokenContract: row.token_contract, walletId: row.wallet_id, ...(returnTo ? { returnTo } : {}) } },
        trx,
      );
    });
  }

  /** Closed wallets receive no credits: what reaches their address can only become company funds. */
  private async assertWalletOpen(row: StrayRow): Promise<void> {
    if (row.wallet_id === null) return;
    const wallet = await this.deps.db.selectFrom('wallets').select(['label', 'status']).where('id', '=', row.wallet_id).executeTakeFirst();
    if (wallet?.status === 'closed') {
      throw new DomainError('wallet_closed', `Wallet "${wallet.label}" is closed and receives no credits: book these funds as company funds instead.`, { walletId: row.wallet_id });
    }
  }

  /** A different operator approves (and the funds are adopted at once) or rejects the proposal. */
  async decide(id: string, approve: boolean, context: { operator?: string | null }): Promise<void> {
    const row = await this.row(id);
    if (row.recovery_state !== 'proposed' || !row.recovery_action) throw new DomainError('validation', 'No recovery is proposed for these funds.');
    assertNotRequester(row.proposed_by, { operator: context.operator ?? undefined }, 'recovery proposal');
    const operator = context.operator!;
    if (!approve) {
      await this.deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('unidentified_funds')
          .set({ recovery_action: null, recovery_state: null, return_to: null, proposed_by: null, proposed_at: null, decided_by: null, decided_at: null, updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .where('recovery_state', '=', 'proposed')
          .execute();
        await this.deps.audit.record({ operator, action: 'unidentified_funds.recovery_rejected', entity: { type: 'unidentified_funds', id }, change: { action: row.recovery_action, proposedBy: row.proposed_by } }, trx);
      });
      return;
    }
    if (row.recovery_action === 'credit_wallet') await this.assertWalletOpen(row);
    if (row.recovery_action === 'return_to_sender') return this.approveReturn(row, operator);
    await this.adopt(row, row.recovery_action, operator);
  }

  /** Deep enough that a reorg is not expected to take the transaction away before anything moves. */
  private async assertConfirmed(row: StrayRow): Promise<number> {
    const { profile, chains } = await this.deps.configuration.get();
    const chain = row.chain as Chain;
    const cursor = await this.deps.db.selectFrom('watch_cursors').select('next_block').where('profile', '=', profile).where('chain', '=', chain).executeTakeFirst();
    const depth = chains[chain].confirmations;
    if (!cursor || cursor.next_block - row.block_number < depth) {
      throw new DomainError('validation', `The transaction is not confirmed yet (${depth} confirmations needed); approve it once it is.`);
    }
    return cursor.next_block;
  }

  /**
   * The approval checks the return once more (the funds still there, the sender still payable) and plans its
   * sweep in the same transaction as the decision; the sweep runner signs with the deposit address's key.
   */
  private async approveReturn(row: StrayRow, operator: string): Promise<void> {
    const { db, audit } = this.deps;
    if (row.wallet_id === null || row.return_to === null) throw new DomainError('validation', 'These funds cannot be returned from here.');
    await this.assertConfirmed(row);
    const returnTo = await assertReturnable(this.deps, row, row.return_to);
    const asset = await strayAsset(this.deps.assets, row);
    const at = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('unidentified_funds').select(['recovery_state', 'state']).where('id', '=', row.id).executeTakeFirstOrThrow();
      if (current.recovery_state !== 'proposed' || current.state !== 'seen') throw new DomainError('conflict', 'These funds changed meanwhile; reload and decide again.');
      // One sweep per address at a time keeps its nonces in order and its coins from paying two transfers.
      const open = await trx.selectFrom('sweeps').select('id').where('wallet_id', '=', row.wallet_id!).where('state', 'not in', ['confirmed', 'failed']).executeTakeFirst();
      if (open) throw new DomainError('conflict', 'A sweep of this address is under way; approve the return once it is done.');
      const sweepId = randomUUID();
      await trx
        .insertInto('sweeps')
        .values({
          id: sweepId,
          profile: row.profile,
          chain: row.chain,
          wallet_id: row.wallet_id!,
          asset_id: asset.id,
          from_address: row.address,
          to_address: returnTo,
          amount: row.amount,
          excess: '0',
          state: 'planned',
          wait_reason: null,
          top_up_amount: null,
          attempts: 0,
          trigger: 'manual',
          operator,
          error: null,
          created_at: at,
          updated_at: at,
          confirmed_at: null,
          stray_id: row.id,
        })
        .execute();
      await trx
        .updateTable('unidentified_funds')
        .set({ recovery_state: 'returning', decided_by: operator, decided_at: at, sweep_id: sweepId, updated_at: at })
        .where('id', '=', row.id)
        .execute();
      await audit.record(
        { operator, action: 'unidentified_funds.return_approved', entity: { type: 'unidentified_funds', id: row.id }, change: { proposedBy: row.proposed_by, returnTo, amount: row.amount, tokenContract: row.token_contract, sweepId } },
        trx,
      );
      await audit.record({ operator, action: 'sweep.planned', entity: { type: 'sweep', id: sweepId }, change: { walletId: row.wallet_id, assetId: asset.id, amount: row.amount, returnTo, strayId: row.id, trigger: 'manual' } }, trx);
    });
  }

  private async adopt(row: StrayRow, action: StrayRecoveryAction, operator: string): Promise<void> {
    const { db, configuration, assets, transfers, ledger, audit, events } = this.deps;
    const chain = row.chain as Chain;
    if (row.state !== 'seen' || row.wallet_id === null || row.kind === 'other_chain') throw new DomainError('validation', 'These funds cannot be adopted by a wallet of this chain.');
    const { profile } = await configuration.get();
    const nextBlock = await this.assertConfirmed(row);
    let asset = row.token_contract === null
      ? (await assets.list(chain)).find((a) => a.contract === null)
      : (await assets.list(chain)).find((a) => a.contract?.toLowerCase() === row.token_contract!.toLowerCase());
    // Registering reads symbol and decimals from the contract (the custom-token path, audited with the approver).
    if (!asset && row.token_contract) asset = await assets.addToken(chain, row.token_contract, operator);
    if (!asset) throw new DomainError('not_found', `No native asset is configured for ${chain}.`);
    const amount = BigInt(row.amount);
    const key = depositKey(chain, row.tx_hash, row.event_index);
    const at = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('unidentified_funds').select(['recovery_state', 'state']).where('id', '=', row.id).executeTakeFirstOrThrow();
      if (current.recovery_state !== 'proposed' || current.state !== 'seen') throw new DomainError('conflict', 'These funds changed meanwhile; reload and decide again.');
      const deposit: DepositRow = {
        id: randomUUID(),
        profile,
        chain,
        kind: 'client',
        wallet_id: row.wallet_id,
        asset_id: asset.id,
        address: row.address,
        from_address: row.from_address,
        amount: row.amount,
        tx_hash: row.tx_hash,
        log_index: row.event_index,
        block_number: row.block_number,
        block_hash: row.block_hash,
        state: 'confirmed',
        confirmations: nextBlock - row.block_number,
        credit_round: 0,
        credit_transfer_id: null,
        reversal_transfer_id: null,
        below_minimum: action === 'company_funds' ? 1 : 0,
        manual_credit_transfer_id: null,
        manual_credit_by: null,
        sweep_id: null,
        seen_at: row.seen_at,
        confirmed_at: at,
        updated_at: at,
      };
      await trx.insertInto('deposits').values(deposit).execute();
      const cause = { type: 'deposit', id: deposit.id };
      const outcome =
        action === 'credit_wallet'
          ? await transfers.creditDeposit({ chain, txHash: row.tx_hash, logIndex: row.event_index, walletId: row.wallet_id!, assetId: asset.id, amount, depositId: deposit.id }, trx)
          : await ledger.transfer(
              {
                idempotencyKey: `stray-company-funds:${key}`,
                debit: { kind: 'deposit_in_transit', assetId: asset.id, walletId: row.wallet_id! },
                credit: { kind: 'company_reserve', assetId: asset.id },
                amount,
                code: 'reserve_topup',
                cause,
                memo: 'Unidentified funds booked as company funds',
                operator,
              },
              trx,
            );
      await trx.updateTable('deposits').set({ credit_transfer_id: outcome.transfer.id }).where('id', '=', deposit.id).execute();
      await trx
        .updateTable('unidentified_funds')
        .set({ recovery_state: 'done', decided_by: operator, decided_at: at, deposit_id: deposit.id, updated_at: at })
        .where('id', '=', row.id)
        .execute();
      await audit.record(
        {
          operator,
          action: 'unidentified_funds.recovered',
          entity: { type: 'unidentified_funds', id: row.id },
          change: { action, proposedBy: row.proposed_by, depositId: deposit.id, assetId: asset.id, amount: row.amount, transferId: outcome.transfer.id },
        },
        trx,
      );
    });
    if (action === 'credit_wallet') {
      const balance = await ledger.balance({ kind: 'client_wallet', assetId: asset.id, walletId: row.wallet_id });
      events.publish({ type: 'balance.changed', walletId: row.wallet_id, ...balance });
    }
  }
}
