import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ClientView, ErasureRequestView, RetentionSettings } from '@shared/domain/clients';
import { LIVE_WITHDRAWAL_STATES } from '@shared/domain/withdrawals';
import type { AccountKind } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database, ErasureRequestRow } from '../db/schema';
import { putSetting } from '../db/settings';
import { balanceOf } from '../ledger/balance';
import { assertNotMaker } from '../operators/maker-checker';
import { assertNotErased, type ClientService } from './client-service';
import type { ClientDataKeys } from './data-keys';
import type { KycFileStore } from './kyc-files';
import type { Scrub } from '../db/sqlite/scrub';

type Db = Kysely<Database>;

const RETENTION_KEY = 'clients.retention';
/** AML rules commonly keep customer due-diligence records five years after the relationship ends. */
export const DEFAULT_RETENTION: RetentionSettings = { yearsAfterClose: 5 };
const YEAR_MS = 365.25 * 86_400_000;

/**
 * Retention and erasure by crypto-shredding. A client whose relationship ended (closed, with nothing owed either
 * way) may, once the retention period after closing has passed, be erased: one officer asks, a second operator
 * approves (four eyes), and the approval destroys the client's data key, its search hashes and its copies of
 * KYC file keys. Personal data and KYC files become unreadable; the ledger, the client id (the pseudonym
 * the books and the audit chain use) and the audit chain stay as they were. Every step is audited.
 */
export class ClientErasure {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientService,
    private readonly keys: ClientDataKeys,
    private readonly files: KycFileStore,
    private readonly audit: AuditLog,
    /** The erased key's bytes must not linger in the database file (db/sqlite/scrub.ts). */
    private readonly scrub: Scrub,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async retention(ex: Db = this.db): Promise<RetentionSettings> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', RETENTION_KEY).executeTakeFirst();
    return row ? { ...DEFAULT_RETENTION, ...(JSON.parse(row.value) as Partial<RetentionSettings>) } : DEFAULT_RETENTION;
  }

  async setRetention(settings: RetentionSettings, operator = 'system'): Promise<RetentionSettings> {
    if (!Number.isInteger(settings.yearsAfterClose) || settings.yearsAfterClose < 1 || settings.yearsAfterClose > 100) {
      throw new DomainError('validation', 'Keep client records between 1 and 100 whole years after the relationship ends.', { field: 'yearsAfterClose' });
    }
    const before = await this.retention();
    await this.db.transaction().execute(async (trx) => {
      await putSetting(trx, RETENTION_KEY, settings);
      await this.audit.record({ operator, action: 'clients.retention_changed', entity: { type: 'settings', id: RETENTION_KEY }, change: { from: before, to: settings } }, trx);
    });
    return settings;
  }

  /** Ends the relationship: refused while money or open items remain. Retention counts from here. */
  async close(clientId: string, reason: string, operator = 'system'): Promise<ClientView> {
    await this.db.transaction().execute(async (trx) => {
      const client = await this.clients.row(clientId, trx);
      assertNotErased(client);
      if (client.closed_at) throw new DomainError('conflict', 'This client is already closed.', { clientId, closedAt: client.closed_at });
      await this.assertNothingOwed(clientId, trx);
      const at = this.now().toISOString();
      await trx.updateTable('clients').set({ closed_at: at, updated_at: at }).where('id', '=', clientId).execute();
      await this.audit.record({ operator, action: 'client.closed', entity: { type: 'client', id: clientId }, change: { reason } }, trx);
    });
    return this.clients.get(clientId);
  }

  async request(clientId: string, reason: string, operator = 'system'): Promise<ErasureRequestView> {
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.assertErasable(clientId, trx);
      const open = await trx.selectFrom('erasure_requests').select('id').where('client_id', '=', clientId).where('state', '=', 'requested').executeTakeFirst();
      if (open) throw new DomainError('conflict', 'An erasure of this client is already waiting for a decision.', { requestId: open.id });
      const at = this.now().toISOString();
      await trx
        .insertInto('erasure_requests')
        .values({ id, client_id: clientId, state: 'requested', reason, requested_by: operator, requested_at: at, decided_by: null, decided_at: null, decision_note: null })
        .execute();
      await this.audit.record({ operator, action: 'client.erasure_requested', entity: { type: 'client', id: clientId }, change: { requestId: id, reason } }, trx);
    });
    return this.get(id);
  }

  /** The second operator's decision; approval erases in the same transaction, after checking everything again. */
  async decide(requestId: string, approve: boolean, note: string, checker: string | undefined): Promise<ErasureRequestView> {
    await this.scrub(() => this.db.transaction().execute(async (trx) => {
      const request = await this.row(requestId, trx);
      if (request.state !== 'requested') throw new DomainError('conflict', `This erasure request was already ${request.state}.`, { state: request.state });
      const operator = assertNotMaker(request.requested_by, checker, 'asked for this erasure', { requestId });
      const at = this.now().toISOString();
      if (approve) {
        await this.assertErasable(request.client_id, trx);
        await this.keys.erase(request.client_id, trx, at);
        await trx.updateTable('clients').set({ erased_at: at, tax_id_hash: null, updated_at: at }).where('id', '=', request.client_id).execute();
        await trx.updateTable('bank_accounts').set({ identifier_hash: null }).where('client_id', '=', request.client_id).execute();
      }
      await trx
        .updateTable('erasure_requests')
        .set({ state: approve ? 'approved' : 'rejected', decided_by: operator, decided_at: at, decision_note: note })
        .where('id', '=', requestId)
        .where('state', '=', 'requested')
        .execute();
      await this.audit.record(
        { operator, action: approve ? 'client.erased' : 'client.erasure_rejected', entity: { type: 'client', id: request.client_id }, change: { requestId, note } },
        trx,
      );
    }));
    // The bytes could no longer be opened; they leave this folder too (the shared database's sealed copies stay, unreadable).
    if (approve) await this.files.removeUnreadable();
    return this.get(requestId);
  }

  async list(clientId?: string): Promise<ErasureRequestView[]> {
    let query = this.db.selectFrom('erasure_requests').selectAll().orderBy('requested_at', 'desc').orderBy('id');
    if (clientId) query = query.where('client_id', '=', clientId);
    return (await query.execute()).map(view);
  }

  async get(requestId: string): Promise<ErasureRequestView> {
    return view(await this.row(requestId));
  }

  private async row(requestId: string, ex: Db = this.db): Promise<ErasureRequestRow> {
    const row = await ex.selectFrom('erasure_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'This erasure request does not exist.', { requestId });
    return row;
  }

  private async assertErasable(clientId: string, ex: Db): Promise<void> {
    const client = await this.clients.row(clientId, ex);
    assertNotErased(client);
    if (!client.closed_at) throw new DomainError('conflict', 'Close the client first: only a relationship that ended can be erased.', { clientId });
    const { yearsAfterClose } = await this.retention(ex);
    const until = new Date(new Date(client.closed_at).getTime() + yearsAfterClose * YEAR_MS);
    if (this.now() < until) {
      throw new DomainError('conflict', `The client's records are kept ${yearsAfterClose} years after closing, until ${until.toISOString().slice(0, 10)}.`, {
        clientId,
        retainedUntil: until.toISOString(),
      });
    }
    await this.assertNothingOwed(clientId, ex);
  }

  /** Refused while any of the client's wallets holds a balance (posted or pending) or a ramp or withdrawal is open. */
  private async assertNothingOwed(clientId: string, ex: Db): Promise<void> {
    const accounts = await ex
      .selectFrom('ledger_accounts as a')
      .innerJoin('wallets as w', 'w.id', 'a.wallet_id')
      .select(['a.kind', 'a.asset_id', 'a.debits_posted', 'a.credits_posted', 'a.debits_pending', 'a.credits_pending'])
      .where('w.client_id', '=', clientId)
      .execute();
    const held = accounts.filter((a) => {
      const b = balanceOf(a.kind as AccountKind, {
        debitsPosted: BigInt(a.debits_posted),
        creditsPosted: BigInt(a.credits_posted),
        debitsPending: BigInt(a.debits_pending),
        creditsPending: BigInt(a.credits_pending),
      });
      return b.posted !== 0n || b.pending !== 0n;
    });
    if (held.length > 0) {
      throw new DomainError('conflict', 'The client still has money on the books: pay it out or move it first.', { clientId, assets: [...new Set(held.map((a) => a.asset_id))] });
    }
    const openOnRamps = await ex.selectFrom('onramps').select('id').where('client_id', '=', clientId).where('state', 'not in', ['completed', 'cancelled', 'expired']).execute();
    const openOffRamps = await ex.selectFrom('offramps').select('id').where('client_id', '=', clientId).where('state', 'not in', ['completed', 'refunded']).execute();
    const liveWithdrawals = await ex
      .selectFrom('withdrawals as x')
      .innerJoin('wallets as w', 'w.id', 'x.wallet_id')
      .select('x.id')
      .where('w.client_id', '=', clientId)
      .where('x.state', 'in', [...LIVE_WITHDRAWAL_STATES])
      .execute();
    const open = openOnRamps.length + openOffRamps.length + liveWithdrawals.length;
    if (open > 0) {
      throw new DomainError('conflict', 'The client has ramps or withdrawals still open: finish or cancel them first.', {
        clientId,
        onRamps: openOnRamps.length,
        offRamps: openOffRamps.length,
        withdrawals: liveWithdrawals.length,
      });
    }
  }
}

function view(row: ErasureRequestRow): ErasureRequestView {
  return {
    id: row.id,
    clientId: row.client_id,
    state: row.state,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
  };
}
