import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import { LIVE_WITHDRAWAL_STATES, type WithdrawalKind, type WithdrawalState, type WithdrawalView } from '@shared/domain/withdrawals';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { UnsignedTransaction } from '../chains/adapter';
import type { Database, WithdrawalRow, WithdrawalsTable } from '../db/schema';
import type { EventBus } from '../events';
import type { Updateable } from 'kysely';
import { assertLifecycleMove, type TxPhase } from '../outgoing/tx-lifecycle';

/** Where a withdrawal's transaction is in the shared lifecycle (outgoing/tx-lifecycle.ts); 'requested' is before it. */
const WITHDRAWAL_PHASES: Partial<Record<WithdrawalState, TxPhase>> = {
  approved: 'build',
  signed: 'broadcast',
  broadcast: 'track',
  confirmed: 'final',
  failed: 'final',
  cancelled: 'final',
};

type Db = Kysely<Database>;

export function withdrawalView(row: WithdrawalRow): WithdrawalView {
  return {
    id: row.id,
    kind: row.kind as WithdrawalKind,
    state: row.state as WithdrawalState,
    chain: row.chain as Chain,
    assetId: row.asset_id,
    amount: row.amount,
    destination: row.destination,
    source: row.source,
    walletId: row.wallet_id,
    idempotencyKey: row.idempotency_key,
    needsApproval: row.needs_approval === 1,
    approvalReasons: JSON.parse(row.approval_reasons) as string[],
    requestedBy: row.requested_by,
    approvedBy: row.approved_by,
    signedBy: row.signed_by,
    nonce: row.nonce,
    txHash: row.tx_hash,
    txHashes: JSON.parse(row.tx_hashes) as string[],
    failureReason: row.failure_reason,
    memo: row.memo,
    cause: row.cause_type && row.cause_id ? { type: row.cause_type, id: row.cause_id } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    feePaid: row.fee_paid ?? null,
    clientFee: row.client_fee ?? '0',
    clientFeeMode: (row.client_fee_mode ?? null) as WithdrawalView['clientFeeMode'],
    // On top, the balance paid amount + fee; deducted, it paid the amount asked for and the destination the net.
    debited: (BigInt(row.amount) + BigInt(row.client_fee ?? '0')).toString(),
    netAmount: row.amount,
    screeningListVersion: row.screening_list_version ?? null,
    screenedAt: row.screened_at ?? null,
  };
}

/**
 * The withdrawal rows and their transitions. Each transition is a compare-and-set on the state (a
 * second caller, or a resumed flow, finds the state moved and stops) plus its audit record, in the
 * caller's transaction.
 */
export class WithdrawalRecords {
  constructor(
    private readonly db: Db,
    readonly audit: AuditLog,
    readonly events: EventBus,
  ) {}

  async row(id: string, ex: Db = this.db): Promise<WithdrawalRow> {
    const row = await ex.selectFrom('withdrawals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such withdrawal.', { withdrawalId: id });
    return row;
  }

  async transition(
    trx: Db,
    row: WithdrawalRow,
    from: readonly WithdrawalState[],
    patch: Updateable<WithdrawalsTable> & { state?: WithdrawalState },
    audit: { operator: string; action: string; change?: Record<string, unknown> },
  ): Promise<WithdrawalRow> {
    assertLifecycleMove('withdrawal', WITHDRAWAL_PHASES, from, patch.state);
    const now = new Date().toISOString();
    const result = await trx
      .updateTable('withdrawals')
      .set({ ...patch, updated_at: now })
      .where('id', '=', row.id)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const current = await this.row(row.id, trx);
      throw new DomainError('conflict', `The withdrawal is ${current.state}; it cannot be ${audit.action.replace('withdrawal.', '')} now.`, {
        withdrawalId: row.id,
        state: current.state,
      });
    }
    await this.audit.record(
      {
        operator: audit.operator,
        action: audit.action,
        entity: { type: 'withdrawal', id: row.id },
        change: { from: row.state, to: patch.state ?? row.state, ...audit.change },
      },
      trx,
    );
    return this.row(row.id, trx);
  }

  announce(row: WithdrawalRow): void {
    this.events.publish({ type: 'withdrawal.status', withdrawalId: row.id, state: row.state });
  }

  /** How many withdrawals on the chain are not yet mined (each still has a network fee to pay). */
  async liveCount(trx: Db | null, profile: string, chain: Chain): Promise<number> {
    const row = await (trx ?? this.db)
      .selectFrom('withdrawals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('profile', '=', profile)
      .where('chain', '=', chain)
      .where('state', 'in', [...LIVE_WITHDRAWAL_STATES])
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * What the holding wallet already owes on (chain, asset): withdrawals not yet settled, plus those
   * confirmed since `since` (the on-chain balance read may predate their payment).
   */
  async inFlight(trx: Db | null, profile: string, chain: Chain, assetId: string, since: string): Promise<bigint> {
    const rows = await (trx ?? this.db)
      .selectFrom('withdrawals')
      .select('amount')
      .where('profile', '=', profile)
      .where('chain', '=', chain)
      .where('asset_id', '=', assetId)
      .where((eb) => eb.or([eb('state', 'in', [...LIVE_WITHDRAWAL_STATES]), eb.and([eb('state', '=', 'confirmed'), eb('finished_at', '>=', since)])]))
      .execute();
    return rows.reduce((sum, r) => sum + BigInt(r.amount), 0n);
  }
}

/** An UnsignedTransaction as stored: bigints as decimal strings. */
export function serializeUnsigned(tx: UnsignedTransaction): string {
  return JSON.stringify(tx, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

export function parseUnsigned(text: string): UnsignedTransaction {
  const parsed = JSON.parse(text) as UnsignedTransaction & {
    intent: { amount: string; asset: Asset };
    fee: { maxFee: string; detail: Record<string, string> };
  };
  return {
    ...parsed,
    intent: { ...parsed.intent, amount: BigInt(parsed.intent.amount) },
    fee: { ...parsed.fee, maxFee: BigInt(parsed.fee.maxFee) },
  };
}
