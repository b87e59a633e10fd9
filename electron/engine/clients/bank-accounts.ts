import type { Kysely } from 'kysely';
import type { BankAccountStatus, BankAccountView } from '@shared/domain/clients';
import { RAIL_CURRENCIES } from '@shared/domain/fiat';
import { DomainError } from '@shared/result';
import { makeBankAccountFormSchemas, type BankAccountFormInput, type BankRail } from '@shared/validation';
import type { AuditLog } from '../audit/audit-log';
import type { BankAccountRow, Database } from '../db/schema';
import { effectId } from '../idempotency/effect-ids';
import type { ClientService } from './client-service';
import { schemaRefusal } from './refusals';
import { assertNotMaker } from '../operators/maker-checker';

type Db = Kysely<Database>;

/** The one identifier that makes two entries the same account on a rail. */
function identifierOf(form: Record<string, string>, rail: BankRail): string {
  switch (rail) {
    case 'sepa':
      return form['iban']!;
    case 'spei':
      return form['clabe']!;
    case 'ach':
      return `${form['routingNumber']}/${form['accountNumber']}`;
    case 'pix':
      return `${form['keyType']}:${form['key']}`;
    case 'ar_transfer':
      return form['cbu']!;
  }
}

/**
 * A client's bank accounts, per rail, validated with the shared form schemas (check digits, holder name
 * against the client's legal name). unverified -> verified (an officer, with a note of the evidence) -> disabled.
 */
export class BankAccountService {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientService,
    private readonly audit: AuditLog,
  ) {}

  async add(clientId: string, form: BankAccountFormInput, operator = 'system'): Promise<BankAccountView> {
    const client = await this.clients.row(clientId);
    const parsed = makeBankAccountFormSchemas({ clientLegalName: client.legal_name }).any.safeParse(form);
    if (!parsed.success) throw schemaRefusal(parsed.error);
    const { rail, holderName, ...rest } = parsed.data as Record<string, string> & { rail: BankRail; holderName: string };
    const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
    const identifier = identifierOf(fields, rail);
    const now = new Date().toISOString();
    const id = effectId();
    // A repeat of a request cut short by a crash meets the account its first run added.
    if (await this.db.selectFrom('bank_accounts').select('id').where('id', '=', id).executeTakeFirst()) return this.get(id);
    await this.db.transaction().execute(async (trx) => {
      const identifierHash = this.clients.keys.searchHash('bank_account', `${clientId}:${rail}:${identifier}`);
      const existing = await trx
        .selectFrom('bank_accounts')
        .select(['id', 'status'])
        .where('client_id', '=', clientId)
        .where('rail', '=', rail)
        .where('identifier_hash', '=', identifierHash)
        .executeTakeFirst();
      if (existing) throw new DomainError('conflict', 'This client already has this account.', { bankAccountId: existing.id, status: existing.status });
      const key = await this.clients.keys.ensureKey(trx, clientId);
      const seal = (field: string, value: string) => this.clients.keys.sealText(key, clientId, `bank_account.${field}`, value);
      await trx
        .insertInto('bank_accounts')
        .values({
          id,
          client_id: clientId,
          rail,
          holder_name: seal('holder_name', holderName.trim()),
          identifier: seal('identifier', identifier),
          identifier_hash: identifierHash,
          fields: seal('fields', JSON.stringify(fields)),
          status: 'unverified',
          verified_by: null,
          verified_at: null,
          verification_note: null,
          created_by: operator,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.audit.record(
        { operator, action: 'bank_account.added', entity: { type: 'bank_account', id }, change: { clientId, rail, holderName: this.clients.keys.pseudonym(holderName.trim()), identifier: this.clients.keys.pseudonym(identifier) } },
        trx,
      );
    });
    return this.get(id);
  }

  /** An officer confirms the account is the client's, saying how (a statement, a micro-deposit, ...). */
  async verify(bankAccountId: string, note: string, operator = 'system'): Promise<BankAccountView> {
    return this.changeStatus(bankAccountId, ['unverified'], 'verified', operator, note);
  }

  async disable(bankAccountId: string, reason: string, operator = 'system'): Promise<BankAccountView> {
    return this.changeStatus(bankAccountId, ['unverified', 'verified'], 'disabled', operator, reason);
  }

  private async changeStatus(
    bankAccountId: string,
    from: BankAccountStatus[],
    to: BankAccountStatus,
    operator: string,
    note: string,
  ): Promise<BankAccountView> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.row(bankAccountId, trx);
      if (!from.includes(row.status)) throw new DomainError('conflict', `A ${row.status} bank account cannot become ${to}.`, { status: row.status });
      // Four eyes: whoever added the account does not also vouch for it.
      if (to === 'verified') assertNotMaker(row.created_by, operator, 'added this bank account', { bankAccountId });
      const now = new Date().toISOString();
      await trx
        .updateTable('bank_accounts')
        .set(to === 'verified' ? { status: to, verified_by: operator, verified_at: now, verification_note: note, updated_at: now } : { status: to, updated_at: now })
        .where('id', '=', bankAccountId)
        .execute();
      await this.audit.record(
        {
          operator,
          action: `bank_account.${to}`,
          entity: { type: 'bank_account', id: bankAccountId },
          change: { clientId: row.client_id, from: row.status, to, [to === 'verified' ? 'evidence' : 'reason']: note },
        },
        trx,
      );
    });
    return this.get(bankAccountId);
  }

  async get(bankAccountId: string, ex: Db = this.db): Promise<BankAccountView> {
    return view(await this.opened(await this.row(bankAccountId, ex), ex));
  }

  /** The row with holder, identifier and fields opened with the client's key; empty once the client is erased. */
  async opened(row: BankAccountRow, ex: Db = this.db): Promise<BankAccountRow> {
    const keys = this.clients.keys;
    const key = await keys.keyOf(row.client_id, ex);
    const open = (field: string, value: string) => keys.openText(key, row.client_id, `bank_account.${field}`, value);
    return { ...row, holder_name: open('holder_name', row.holder_name) ?? '', identifier: open('identifier', row.identifier) ?? '', fields: open('fields', row.fields) ?? '{}' };
  }

  async row(bankAccountId: string, ex: Db = this.db): Promise<BankAccountRow> {
    const row = await ex.selectFrom('bank_accounts').selectAll().where('id', '=', bankAccountId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `Bank account ${bankAccountId} does not exist.`, { bankAccountId });
    return row;
  }

  async list(clientId: string, ex: Db = this.db): Promise<BankAccountView[]> {
    await this.clients.row(clientId, ex);
    const rows = await ex.selectFrom('bank_accounts').selectAll().where('client_id', '=', clientId).orderBy('created_at').orderBy('id').execute();
    return Promise.all(rows.map(async (row) => view(await this.opened(row, ex))));
  }
}

function view(row: BankAccountRow): BankAccountView {
  const rail = row.rail as BankRail;
  return {
    id: row.id,
    clientId: row.client_id,
    rail,
    currencies: [...RAIL_CURRENCIES[rail]],
    holderName: row.holder_name,
    identifier: row.identifier,
    fields: JSON.parse(row.fields) as Record<string, string>,
    status: row.status,
    verifiedBy: row.verified_by,
    verifiedAt: row.verified_at,
    verificationNote: row.verification_note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
