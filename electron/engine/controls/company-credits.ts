import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CompanyCreditState, CompanyCreditView } from '@shared/domain/controls';
import type { Page } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import type { CompanyCreditRow, Database } from '../db/schema';
import { guardedWallets } from '../ledger/ledger-statements';
import type { Ledger } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import type { EventBus } from '../events';
import type { Quorum } from './quorum';
import { requireActive } from '../wallets/wallet-service';
import { assertMayReceive } from './kyc-gate';

type Db = Kysely<Database>;

/**
 * Company credit under four eyes. A credit is always uncovered (booked against uncovered credit: the
 * company owes more than it holds), so one officer only asks for it; a second operator with the
 * approver's rights, never the one who asked, approves it, and the approval books it in the same
 * transaction (TransferService.companyCredit under the request's idempotency key). Rejected requests
 * book nothing. Each step is audited.
 */
export class CompanyCreditRequests {
  constructor(
    private readonly db: Db,
    private readonly transfers: TransferService,
    private readonly assets: AssetRegistry,
    private readonly audit: AuditLog,
    private readonly ledger: Ledger,
    private readonly events: EventBus,
    private readonly quorum: Quorum,
    private readonly now: () => number = Date.now,
  ) {}

  async request(
    request: { idempotencyKey: string; walletId: string; assetId: string; amount: bigint; reason: string },
    operator: string,
  ): Promise<CompanyCreditView> {
    const asset = await this.assets.get(request.assetId);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('company_credits').selectAll().where('idempotency_key', '=', request.idempotencyKey).executeTakeFirst();
      if (existing) {
        const same = existing.wallet_id === request.walletId && existing.asset_id === asset.id && existing.amount === request.amount.toString() && existing.reason === request.reason;
        if (!same) throw new DomainError('idempotency_conflict', 'This idempotency key was used for a different company credit.', { creditId: existing.id });
        return { ...view(existing), replayed: true };
      }
      // Refused now what approval would refuse: a closed wallet, another chain's asset, a client not verified.
      const [wallet] = requireActive([request.walletId], await guardedWallets(trx, [request.walletId]).execute());
      if (wallet!.chain !== asset.chain) {
        throw new DomainError('asset_mismatch', `${asset.id} cannot be held in wallet "${wallet!.label}" on ${wallet!.chain}.`, { assetId: asset.id });
      }
      assertMayReceive(wallet!, true);
      const row: CompanyCreditRow = {
        id: randomUUID(),
        idempotency_key: request.idempotencyKey,
        wallet_id: request.walletId,
        asset_id: asset.id,
        amount: request.amount.toString(),
        reason: request.reason,
        state: 'requested',
        requested_by: operator,
        created_at: new Date(this.now()).toISOString(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
        transfer_id: null,
      };
      await trx.insertInto('company_credits').values(row).execute();
      await this.audit.record(
        {
          operator,
          action: 'company_credit.requested',
          entity: { type: 'company_credit', id: row.id },
          change: { walletId: row.wallet_id, assetId: row.asset_id, amount: row.amount, reason: row.reason },
        },
        trx,
      );
      return view(row);
    });
  }

  /** A second operator approves: the credit is booked in the same transaction. */
  async approve(creditId: string, operator: string): Promise<CompanyCreditView> {
    const approved = await this.db.transaction().execute(async (trx) => {
      const row = await this.pending(creditId, trx);
      const progress = await this.quorum.approve(trx, 'companyCredit', { type: 'company_credit', id: row.id, maker: row.requested_by, madeWhat: 'requested this company credit', details: { creditId } }, operator);
      if (!progress.reached) {
        await this.audit.record(
          { operator, action: 'company_credit.approval_recorded', entity: { type: 'company_credit', id: row.id }, change: { approvals: progress.approvals, needed: progress.needed } },
          trx,
        );
        return { ...view(row), approvals: progress.approvals };
      }
      const { transfer } = await this.transfers.companyCredit(
        { idempotencyKey: row.idempotency_key, walletId: row.wallet_id, assetId: row.asset_id, amount: BigInt(row.amount), reason: row.reason },
        { operator },
        trx,
      );
      return { ...(await this.decide(trx, row, 'approved', operator, null, transfer.id)), approvals: progress.approvals };
    });
    if (approved.state !== 'approved') return approved;
    // Booked inside our transaction: the ledger may not announce it (a wallet's first account, created in
    // an open transaction, is invisible to its commit check on PostgreSQL), so the committed balance goes out here.
    const balance = await this.ledger.balance({ kind: 'client_wallet', assetId: approved.assetId, walletId: approved.walletId });
    this.events.publish({ type: 'balance.changed', walletId: approved.walletId, ...balance });
    return approved;
  }

  /** Anyone allowed may turn a request down, its requester included (withdrawing it): nothing is booked. */
  async reject(creditId: string, reason: string, operator: string): Promise<CompanyCreditView> {
    return this.db.transaction().execute(async (trx) => this.decide(trx, await this.pending(creditId, trx), 'rejected', operator, reason, null));
  }

  async get(creditId: string): Promise<CompanyCreditView> {
    return view(await this.row(creditId, this.db));
  }

  async list(filter: { state?: CompanyCreditState; walletId?: string; cursor?: string; limit: number }): Promise<Page<CompanyCreditView>> {
    let query = this.db.selectFrom('company_credits').selectAll();
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.walletId) query = query.where('wallet_id', '=', filter.walletId);
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
    return keysetPage(rows, filter.limit, view);
  }

  private async row(creditId: string, ex: Db): Promise<CompanyCreditRow> {
    const row = await ex.selectFrom('company_credits').selectAll().where('id', '=', creditId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'No such company credit request.', { creditId });
    return row;
  }

  private async pending(creditId: string, ex: Db): Promise<CompanyCreditRow> {
    const row = await this.row(creditId, ex);
    if (row.state !== 'requested') throw new DomainError('conflict', `This company credit was already ${row.state} by ${row.decided_by}.`, { creditId, state: row.state });
    return row;
  }

  private async decide(trx: Db, row: CompanyCreditRow, state: 'approved' | 'rejected', operator: string, note: string | null, transferId: number | null): Promise<CompanyCreditView> {
    const decided = { state, decided_by: operator, decided_at: new Date(this.now()).toISOString(), decision_note: note, transfer_id: transferId };
    const result = await trx.updateTable('company_credits').set(decided).where('id', '=', row.id).where('state', '=', 'requested').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', 'This company credit was just decided by someone else.', { creditId: row.id });
    await this.audit.record(
      {
        operator,
        action: `company_credit.${state}`,
        entity: { type: 'company_credit', id: row.id },
        change: { requestedBy: row.requested_by, ...(note ? { reason: note } : {}), ...(transferId !== null ? { transferId } : {}) },
      },
      trx,
    );
    return view({ ...row, ...decided });
  }
}

function view(row: CompanyCreditRow): CompanyCreditView {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    walletId: row.wallet_id,
    assetId: row.asset_id,
    amount: row.amount,
    reason: row.reason,
    state: row.state,
    requestedBy: row.requested_by,
    requestedAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    transferId: row.transfer_id === null ? null : String(row.transfer_id),
  };
}
