import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BeneficialOwnerView, BusinessDetails, ClientView, CompanyDocumentView, KycFileView } from '@shared/domain/clients';
import { COMPANY_DOCUMENT_LABELS, COMPANY_DOCUMENT_TYPES, requiredDocuments, type BusinessType, type CompanyDocumentType } from '@shared/reference/countries';
import { DomainError } from '@shared/result';
import { businessFieldsSchema, formatOwnership, parseCalendarDate, parseOwnershipPercent } from '@shared/validation';
import type { AuditLog } from '../audit/audit-log';
import type { ClientRow, Database } from '../db/schema';
import { isoDay, PROOF_OF_ADDRESS_MAX_AGE_DAYS, type ClientFields, type ClientService } from './client-service';
import type { KycFileStore } from './kyc-files';
import { schemaRefusal } from './refusals';

type Db = Kysely<Database>;
/** A client's legal name, opened (names are sealed at rest, so no query reads them). */
export type NameOf = (clientId: string) => Promise<string>;

/** The company data, latest document of each type and beneficial owners a business client's view carries. */
export async function businessParts(
  ex: Db,
  row: ClientRow,
  fileView: (sha256: string) => Promise<KycFileView>,
  nameOf: NameOf,
): Promise<{ business: BusinessDetails | null; companyDocuments: CompanyDocumentView[]; beneficialOwners: BeneficialOwnerView[] }> {
  if (row.client_kind !== 'business') return { business: null, companyDocuments: [], beneficialOwners: [] };
  const documents = await latestCompanyDocuments(ex, row.id);
  const companyDocuments: CompanyDocumentView[] = [];
  for (const d of documents) {
    companyDocuments.push({ id: d.id, type: d.document_type as CompanyDocumentType, issuedOn: d.issued_on, file: await fileView(d.file_sha256), uploadedBy: d.uploaded_by, uploadedAt: d.uploaded_at });
  }
  return {
    business: {
      tradeName: row.business_trade_name,
      businessType: row.business_type as BusinessType | null,
      registrationNumber: row.business_registration_number,
      incorporationCountry: row.business_incorporation_country,
      incorporationDate: row.business_incorporation_date,
    },
    companyDocuments,
    beneficialOwners: await owners(ex, row.id, nameOf),
  };
}

async function latestCompanyDocuments(ex: Db, clientId: string) {
  const rows = await ex.selectFrom('company_documents').selectAll().where('client_id', '=', clientId).orderBy('uploaded_at', 'desc').orderBy('id', 'desc').execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.document_type)) latest.set(row.document_type, row);
  return COMPANY_DOCUMENT_TYPES.flatMap((type) => (latest.has(type) ? [latest.get(type)!] : []));
}

async function owners(ex: Db, businessId: string, nameOf: NameOf): Promise<BeneficialOwnerView[]> {
  const rows = await ex
    .selectFrom('beneficial_owners as o')
    .innerJoin('clients as p', 'p.id', 'o.person_client_id')
    .select(['o.person_client_id', 'o.ownership_bp', 'o.added_by', 'o.added_at', 'p.kyc_status'])
    .where('o.business_client_id', '=', businessId)
    .orderBy('o.ownership_bp', 'desc')
    .orderBy('o.added_at')
    .execute();
  const list: BeneficialOwnerView[] = [];
  for (const r of rows) {
    list.push({ clientId: r.person_client_id, legalName: await nameOf(r.person_client_id), ownershipBasisPoints: r.ownership_bp, kycStatus: r.kyc_status, addedBy: r.added_by, addedAt: r.added_at });
  }
  return list;
}

export async function ownerOf(ex: Db, personId: string, nameOf: NameOf): Promise<ClientView['ownerOf']> {
  const rows = await ex
    .selectFrom('beneficial_owners as o')
    .innerJoin('clients as b', 'b.id', 'o.business_client_id')
    .select(['o.business_client_id', 'o.ownership_bp'])
    .where('o.person_client_id', '=', personId)
    .execute();
  const list: ClientView['ownerOf'] = [];
  for (const r of rows) list.push({ clientId: r.business_client_id, legalName: await nameOf(r.business_client_id), ownershipBasisPoints: r.ownership_bp });
  return list.sort((a, b) => a.legalName.localeCompare(b.legalName));
}

/**
 * The KYB rule, applied at submission and (with `ownersVerified`) at verification:
 * - the company data passes the shared form (registration number and tax id per country);
 * - every document the reference data requires for the country is there, the proof of address recent;
 * - at least one beneficial owner is recorded and the shares add up to at most 100%;
 * - at verification, every owner holding at least the threshold (controls setting, 25% by default) is a
 *   verified individual whose identity document is still current.
 */
export async function assertBusinessComplete(
  ex: Db,
  client: ClientRow,
  rule: { today: Date; thresholdPercent: number; ownersVerified: boolean; ownerCurrent: (personId: string) => Promise<void>; nameOf: NameOf },
): Promise<void> {
  const missing = (
    [
      ['registrationNumber', client.business_registration_number],
      ['incorporationCountry', client.business_incorporation_country],
      ['incorporationDate', client.business_incorporation_date],
      ['address', client.address],
      ['email', client.email],
      ['taxId', client.tax_id],
    ] as const
  )
    .filter(([, value]) => value === null)
    .map(([field]): string => field);
  const documents = await latestCompanyDocuments(ex, client.id);
  const have = new Set(documents.map((d) => d.document_type));
  const country = client.business_incorporation_country ?? '';
  for (const type of requiredDocuments('business', country)) if (!have.has(type)) missing.push(type);
  const list = await owners(ex, client.id, rule.nameOf);
  if (list.length === 0) missing.push('beneficialOwners');
  if (missing.length > 0) {
    const names = missing.map((m) => COMPANY_DOCUMENT_LABELS[m as CompanyDocumentType] ?? m);
    throw new DomainError('kyc_incomplete', `The KYB file is missing: ${names.join(', ')}.`, { missing });
  }
  const form = businessFieldsSchema.safeParse({
    legalName: client.legal_name,
    tradeName: client.business_trade_name ?? undefined,
    incorporationCountry: client.business_incorporation_country,
    registrationNumber: client.business_registration_number,
    incorporationDate: client.business_incorporation_date,
    taxId: { country: client.tax_country, kind: client.tax_kind, value: client.tax_id },
  });
  if (!form.success) throw schemaRefusal(form.error, 'kyc_incomplete');
  const proof = documents.find((d) => d.document_type === 'proof_of_address');
  const oldest = isoDay(new Date(rule.today.getTime() - PROOF_OF_ADDRESS_MAX_AGE_DAYS * 86_400_000));
  if (proof && proof.issued_on < oldest) {
    throw new DomainError('kyc_incomplete', `The proof of registered address is older than ${PROOF_OF_ADDRESS_MAX_AGE_DAYS} days; ask for a recent one.`, {
      missing: ['proof_of_address'],
      issuedOn: proof.issued_on,
    });
  }
  assertTotalOwnership(list.reduce((sum, o) => sum + o.ownershipBasisPoints, 0));
  if (!rule.ownersVerified) return;
  const thresholdBp = rule.thresholdPercent * 100;
  const unverified = list.filter((o) => o.ownershipBasisPoints >= thresholdBp && o.kycStatus !== 'verified');
  if (unverified.length > 0) {
    throw new DomainError(
      'beneficial_owner_not_verified',
      `Every beneficial owner holding ${rule.thresholdPercent}% or more must be verified first: ${unverified.map((o) => `${o.legalName} (${formatOwnership(o.ownershipBasisPoints)})`).join(', ')}.`,
      { owners: unverified.map((o) => o.clientId), thresholdPercent: rule.thresholdPercent },
    );
  }
  for (const o of list.filter((x) => x.ownershipBasisPoints >= thresholdBp)) await rule.ownerCurrent(o.clientId);
}

/** A verified business moves money only while its significant owners' identity documents are current. */
export async function assertOwnersCurrent(ex: Db, businessId: string, thresholdPercent: number, identityCurrent: (personId: string) => Promise<void>, nameOf: NameOf): Promise<void> {
  for (const o of await owners(ex, businessId, nameOf)) {
    if (o.ownershipBasisPoints < thresholdPercent * 100) continue;
    if (o.kycStatus !== 'verified') {
      throw new DomainError('beneficial_owner_not_verified', `Beneficial owner ${o.legalName} is ${o.kycStatus}.`, { owners: [o.clientId], thresholdPercent });
    }
    await identityCurrent(o.clientId);
  }
}

function assertTotalOwnership(totalBp: number): void {
  if (totalBp > 10_000) {
    throw new DomainError('ownership_over_100', `The beneficial owners' shares add up to ${formatOwnership(totalBp)}, more than 100%.`, { totalBasisPoints: totalBp });
  }
}

/** Company documents and beneficial owners of business clients; the review itself is ClientService's. */
export class BusinessClientService {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientService,
    private readonly files: KycFileStore,
    private readonly audit: AuditLog,
    private readonly today: () => Date = () => new Date(),
  ) {}

  async addCompanyDocument(clientId: string, input: { type: CompanyDocumentType; issuedOn: string; file: Buffer }, operator = 'system'): Promise<ClientView> {
    const client = await this.business(clientId);
    this.clients.assertDocumentsOpen(client);
    if (!(COMPANY_DOCUMENT_TYPES as readonly string[]).includes(input.type)) throw new DomainError('validation', 'Unknown company document type.', { field: 'type' });
    const issuedOn = input.issuedOn.trim();
    if (!parseCalendarDate(issuedOn)) throw new DomainError('invalid_date', 'Issue date must be a real date as YYYY-MM-DD.', { field: 'issuedOn' });
    if (issuedOn > isoDay(this.today())) throw new DomainError('invalid_date', 'Issue date is in the future.', { field: 'issuedOn' });
    const checked = this.files.check(input.file);
    // File first (sealed under the client's key, named by hash, harmless if the transaction then fails), row and audit together.
    const key = await this.clients.keys.ensureKey(this.db, clientId);
    const file = await this.files.seal(checked, clientId, key);
    await this.files.write(file);
    const now = new Date().toISOString();
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      this.clients.assertDocumentsOpen(await this.clients.row(clientId, trx));
      await this.files.record(file, trx, now);
      await trx.insertInto('company_documents').values({ id, client_id: clientId, document_type: input.type, issued_on: issuedOn, file_sha256: file.sha256, uploaded_by: operator, uploaded_at: now }).execute();
      await this.audit.record(
        {
          operator,
          action: 'kyb.document_added',
          entity: { type: 'client', id: clientId },
          change: { documentId: id, type: input.type, issuedOn, files: [{ sha256: file.sha256, size: file.size, mediaType: file.mediaType }] },
        },
        trx,
      );
    });
    return this.clients.get(clientId);
  }

  /**
   * Links a beneficial owner: an existing individual client, or a new one created with the link in the same
   * transaction. Refused (nothing written) when the shares would exceed 100% or the person is already listed.
   */
  async addBeneficialOwner(
    businessId: string,
    input: { ownership: string; personClientId?: string; person?: ClientFields & { legalName: string } },
    operator = 'system',
  ): Promise<ClientView> {
    const share = parseOwnershipPercent(input.ownership);
    if (!share.ok) throw new DomainError('validation', 'Ownership must be a percentage above 0 and at most 100, with at most two decimals.', { field: 'ownership' });
    if (!input.personClientId === !input.person) throw new DomainError('validation', 'Name either an existing individual client or a new person.', { field: 'person' });
    await this.db.transaction().execute(async (trx) => {
      const business = await this.business(businessId, trx);
      this.clients.assertEditable(business);
      const personId = input.personClientId ?? (await this.clients.insert(trx, { ...input.person!, kind: 'individual' }, operator));
      const person = await this.clients.row(personId, trx);
      if (person.client_kind !== 'individual') throw new DomainError('validation', 'A beneficial owner is a person, not a company.', { field: 'personClientId' });
      const listed = await owners(trx, businessId, async (id) => (await this.clients.row(id, trx)).legal_name);
      if (listed.some((o) => o.clientId === personId)) throw new DomainError('conflict', `${person.legal_name} is already a beneficial owner.`, { personClientId: personId });
      assertTotalOwnership(listed.reduce((sum, o) => sum + o.ownershipBasisPoints, share.basisPoints));
      const now = new Date().toISOString();
      await trx.insertInto('beneficial_owners').values({ business_client_id: businessId, person_client_id: personId, ownership_bp: share.basisPoints, added_by: operator, added_at: now, updated_at: now }).execute();
      await this.audit.record({ operator, action: 'kyb.owner_added', entity: { type: 'client', id: businessId }, change: { personClientId: personId, ownershipBasisPoints: share.basisPoints } }, trx);
    });
    return this.clients.get(businessId);
  }

  async removeBeneficialOwner(businessId: string, personClientId: string, reason: string, operator = 'system'): Promise<ClientView> {
    await this.db.transaction().execute(async (trx) => {
      const business = await this.business(businessId, trx);
      this.clients.assertEditable(business);
      const row = await trx.selectFrom('beneficial_owners').selectAll().where('business_client_id', '=', businessId).where('person_client_id', '=', personClientId).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'This person is not a beneficial owner of the business.', { personClientId });
      await trx.deleteFrom('beneficial_owners').where('business_client_id', '=', businessId).where('person_client_id', '=', personClientId).execute();
      await this.audit.record({ operator, action: 'kyb.owner_removed', entity: { type: 'client', id: businessId }, change: { personClientId, ownershipBasisPoints: row.ownership_bp, reason } }, trx);
    });
    return this.clients.get(businessId);
  }

  private async business(clientId: string, ex: Db = this.db): Promise<ClientRow> {
    const client = await this.clients.row(clientId, ex);
    if (client.client_kind !== 'business') throw new DomainError('validation', 'Only a business client has company documents and beneficial owners.', { kind: client.client_kind });
    return client;
  }
}
