import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { ChainWatcherDeps } from './chain-watcher';
import { depositKey } from '../ledger/transfer-service';

/**
 * An officer credits a deposit that arrived below its asset's minimum: the company reserve, which took the
 * coins when the deposit was confirmed, pays the client. Once per deposit (its chain identity is the key),
 * audited with who did it; refused for anything but a confirmed below-minimum client deposit.
 */
export async function creditBelowMinimum(deps: Pick<ChainWatcherDeps, 'db' | 'ledger' | 'audit' | 'events' | 'configuration'>, depositId: string, operator: string): Promise<void> {
  const { db, ledger, audit, events } = deps;
  const { profile } = await deps.configuration.get();
  const done = await db.transaction().execute(async (trx) => {
    const deposit = await trx.selectFrom('deposits').selectAll().where('id', '=', depositId).where('profile', '=', profile).executeTakeFirst();
    if (!deposit) throw new DomainError('not_found', 'That deposit does not exist.');
    if (deposit.kind !== 'client' || deposit.wallet_id === null) throw new DomainError('validation', 'Only a deposit to a client wallet can be credited to it.');
    if (deposit.below_minimum !== 1) throw new DomainError('validation', 'That deposit is not below the minimum: it is credited by the watcher.');
    if (deposit.state !== 'confirmed' && deposit.state !== 'swept') throw new DomainError('validation', 'That deposit is not confirmed on chain.');
    if (deposit.manual_credit_transfer_id !== null) throw new DomainError('conflict', 'That deposit was already credited by hand.');
    // Unidentified funds booked as company funds were decided by two operators; one may not undo that alone.
    const adopted = await trx.selectFrom('unidentified_funds').select('id').where('deposit_id', '=', deposit.id).executeTakeFirst();
    if (adopted) throw new DomainError('validation', 'These were unidentified funds booked as company funds by two operators; they are not credited by hand.');
    const amount = BigInt(deposit.amount);
    const outcome = await ledger.transfer(
      {
        idempotencyKey: `manual-credit:${depositKey(deposit.chain as Chain, deposit.tx_hash, deposit.log_index)}`,
        debit: { kind: 'company_reserve', assetId: deposit.asset_id },
        credit: { kind: 'client_wallet', assetId: deposit.asset_id, walletId: deposit.wallet_id },
        amount,
        code: 'deposit',
        cause: { type: 'deposit', id: deposit.id },
        memo: 'Deposit below the minimum, credited by an officer',
        operator,
      },
      trx,
    );
    await trx
      .updateTable('deposits')
      .set({ manual_credit_transfer_id: outcome.transfer.id, manual_credit_by: operator, updated_at: new Date().toISOString() })
      .where('id', '=', deposit.id)
      .execute();
    await audit.record(
      { operator, action: 'deposit.credited_by_hand', entity: { type: 'deposit', id: deposit.id }, change: { transferId: outcome.transfer.id, amount: deposit.amount, assetId: deposit.asset_id, walletId: deposit.wallet_id } },
      trx,
    );
    return { walletId: deposit.wallet_id, assetId: deposit.asset_id };
  });
  const balance = await ledger.balance({ kind: 'client_wallet', assetId: done.assetId, walletId: done.walletId });
  events.publish({ type: 'balance.changed', walletId: done.walletId, ...balance });
}
