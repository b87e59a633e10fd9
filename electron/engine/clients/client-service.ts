import type { Kysely } from 'kysely';
import type {
  ClientView,
  IdentityDocumentView,
  KycFileView,
  KycStatus,
  PostalAddress,
  ProofOfAddressView,
  TaxIdentification,
} from '@shared/domain/clients';
import type { Page } from '@shared/domain/ledger';
import type { RiskLevel } from '@shared/domain/screening';
import { BUSINESS_TYPES, REFERENCE_DATA_VERSION, type BusinessType, type ClientKind } from '@shared/reference/countries';
import { DomainError } from '@shared/result';
import {
  checkIdDocumentExpiry,
  makeClientFormSchema,
  normalizePhone,
  parseCalendarDate,
  validateDateOfBirth,
  validateEmail,
  validateBusinessTaxId,
  validateRegistrationNumber,
  validateTaxId,
} from '@shared/validation';
import type { AuditLog } from '../audit/audit-log';
import type { ClientRow, Database, KycDocumentRow } from '../db/schema';
import { effectId } from '../idempotency/effect-ids';
import { sniffMediaType, type CheckedFile, type KycFileStore, type SealedFile } from './kyc-files';
import { refusal, schemaRefusal } from './refusals';
import { assertNotMaker } from '../operators/maker-checker';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import { compactIdentifier, nameTokens, type ClientDataKeys, type SearchKind } from './data-keys';
import { ControlsSettingsStore } from '../controls/controls-settings';
import { assertBusinessComplete, assertOwnersCurrent, businessParts, ownerOf, type NameOf } from './business-clients';

type Db = Kysely<Database>;

/** Proof of address older than this no longer shows where the client lives. */
export const PROOF_OF_ADDRESS_MAX_AGE_DAYS = 90;

/** Which status may follow which, and the audit action naming the step. */
const KYC_STEPS = {
  submit: { from: ['draft', 'rejected'], to: 'submitted' },
  verify: { from: ['submitted'], to: 'verified' },
  reject: { from: ['submitted'], to: 'rejected' },
  suspend: { from: ['verified'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'verified' },
} as const satisfies Record<string, { from: readonly KycStatus[]; to: KycStatus }>;
export type KycStep = keyof typeof KYC_STEPS;

/** The columns sealed under the client's data key (data-keys.ts); search goes through their keyed hashes. */
export const PERSONAL_FIELDS = [
  'legal_name',
  'date_of_birth',
  'nationality',
  'address',
  'email',
  'phone',
  'tax_id',
  // a business's trade name and register number identify it (and through it its owners) as much as its legal name
  'business_trade_name',
  'business_registration_number',
] as const;
type PersonalValues = Partial<Omit<ClientRow, 'id' | 'created_at' | 'created_by' | 'kyc_status' | 'client_kind'>>;

/** Personal data may be corrected only while nobody is reviewing or relying on it. */
const EDITABLE: readonly KycStatus[] = ['draft', 'rejected'];
/** Documents may also be renewed while suspended (an identity document that expired), before reinstating. */
const DOCUMENTS_OPEN: readonly KycStatus[] = ['draft', 'rejected', 'suspended'];

export interface ClientFields {
  legalName?: string;
  dateOfBirth?: string;
  nationality?: string;
  address?: PostalAddress;
  email?: string;
  phone?: string;
  taxId?: TaxIdentification;
  /** Businesses only. */
  tradeName?: string;
  businessType?: BusinessType;
  registrationNumber?: string;
  incorporationCountry?: string;
  incorporationDate?: string;
}

/** Fields only a person has, and fields only a company has: the other kind refuses them by name. */
const PERSON_ONLY = ['dateOfBirth', 'nationality'] as const;
const BUSINESS_ONLY = ['tradeName', 'businessType', 'registrationNumber', 'incorporationCountry', 'incorporationDate'] as const;

export interface IdentityDocumentInput {
  type: string;
  number: string;
  issuingCountry: string;
  expiresOn: string;
  front: Buffer;
  back?: Buffer;
}

/**
 * Company clients and their KYC: personal data validated with the same rules as the renderer's forms,
 * documents kept by hash, and the review status whose every change (who, when, why) is audited.
 */
export class ClientService {
  constructor(
    private readonly db: Db,
    private readonly files: KycFileStore,
    private readonly audit: AuditLog,
    readonly keys: ClientDataKeys,
    private readonly today: () => Date = () => new Date(),
    readonly controls: ControlsSettingsStore = new ControlsSettingsStore(db, audit),
  ) {}

  async create(fields: ClientFields & { legalName: string; kind?: ClientKind }, operator = 'system'): Promise<ClientView> {
    const planned = effectId();
    // A repeat of a request cut short by a crash meets the client its first run made.
    if (await this.db.selectFrom('clients').select('id').where('id', '=', planned).executeTakeFirst()) return this.get(planned);
    const id = await this.db.transaction().execute((trx) => this.insert(trx, fields, operator, planned));
    return this.get(id);
  }

  /** Writes a new draft client in the caller's transaction (a beneficial owner is created with its link). */
  async insert(trx: Db, fields: ClientFields & { legalName: string; kind?: ClientKind }, operator: string, planned?: string): Promise<string> {
    const kind = fields.kind ?? 'individual';
    const values: PersonalValues = { legal_name: fields.legalName.trim(), ...this.normalize(fields, kind) };
    const now = new Date().toISOString();
    const id = planned ?? effectId();
    const taxIdHash = this.taxIdHash(values);
    await this.assertTaxIdFree(trx, taxIdHash, id);
    await trx
      .insertInto('clients')
      .values({
        id,
        client_kind: kind,
        legal_name: '',
        date_of_birth: null,
        nationality: null,
        address: null,
        email: null,
        phone: null,
        tax_country: values.tax_country ?? null,
        tax_kind: values.tax_kind ?? null,
        tax_id: null,
        tax_id_hash: taxIdHash ?? null,
        business_trade_name: null,
        business_type: values.business_type ?? null,
        business_registration_number: null,
        business_incorporation_country: values.business_incorporation_country ?? null,
        business_incorporation_date: values.business_incorporation_date ?? null,
        kyc_status: 'draft',
        rejection_reason: null,
        created_by: operator,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // The row first (the key refers to it), then its personal data sealed under the new key.
    const key = await this.keys.ensureKey(trx, id);
    await trx.updateTable('clients').set(this.sealed(key, id, values)).where('id', '=', id).execute();
    await this.keys.index(trx, id, searchEntries(values));
    await this.indexRegistration(trx, id, values);
    await this.audit.record({ operator, action: 'client.created', entity: { type: 'client', id }, change: { kind, ...this.pseudonymized(values), kycStatus: 'draft' } }, trx);
    return id;
  }

  /** A business is found by its register number like a person by a document number (earlier numbers stay findable). */
  private async indexRegistration(trx: Db, clientId: string, values: PersonalValues): Promise<void> {
    if (values.business_registration_number) await this.keys.index(trx, clientId, [{ kind: 'document', value: compactIdentifier(values.business_registration_number) }], false);
  }

  async update(clientId: string, fields: ClientFields, operator = 'system'): Promise<ClientView> {
    await this.db.transaction().execute(async (trx) => {
      const client = await this.row(clientId, trx);
      assertNotErased(client);
      this.assertEditable(client);
      const values = this.normalize(fields, client.client_kind, client);
      if (Object.keys(values).length === 0) return;
      const taxIdHash = this.taxIdHash(values);
      await this.assertTaxIdFree(trx, taxIdHash, clientId);
      const key = await this.keys.ensureKey(trx, clientId);
      await trx
        .updateTable('clients')
        .set({ ...this.sealed(key, clientId, values), ...(taxIdHash ? { tax_id_hash: taxIdHash } : {}), updated_at: new Date().toISOString() })
        .where('id', '=', clientId)
        .execute();
      await this.keys.index(trx, clientId, searchEntries(values));
      await this.indexRegistration(trx, clientId, values);
      const before = Object.fromEntries(Object.keys(values).map((k) => [k, client[k as keyof ClientRow]])) as PersonalValues;
      await this.audit.record({ operator, action: 'client.updated', entity: { type: 'client', id: clientId }, change: { before: this.pseudonymized(before), after: this.pseudonymized(values) } }, trx);
    });
    return this.get(clientId);
  }

  /** Data, and a business's owners, may be changed only while nobody is reviewing or relying on them. */
  assertEditable(client: ClientRow): void {
    if (!EDITABLE.includes(client.kyc_status)) {
      throw new DomainError('conflict', `A ${client.kyc_status} client's data cannot be edited; suspend or reject the review first.`, {
        kycStatus: client.kyc_status,
      });
    }
  }

  async get(clientId: string, ex: Db = this.db): Promise<ClientView> {
    return this.view(await this.row(clientId, ex), ex);
  }

  /** The client with its personal data opened (empty once erased: legal name '' and the rest null). */
  async row(clientId: string, ex: Db = this.db): Promise<ClientRow> {
    const row = await ex.selectFrom('clients').selectAll().where('id', '=', clientId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `Client ${clientId} does not exist.`, { clientId });
    return this.opened(row, ex);
  }

  /**
   * Search by exact values through their keyed hashes: an email, a tax id or document number (spaces, dots and
   * dashes ignored), or name words (every word given must be one of the client's name, accents and case ignored).
   */
  async list(filter: { kycStatus?: KycStatus; kind?: ClientKind; search?: string; cursor?: string; limit: number }): Promise<Page<ClientView>> {
    let query = this.db.selectFrom('clients').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.kycStatus) query = query.where('kyc_status', '=', filter.kycStatus);
    if (filter.kind) query = query.where('client_kind', '=', filter.kind);
    if (filter.search?.trim()) {
      const text = filter.search.trim();
      const exact = [
        this.keys.searchHash('email', text.toLowerCase()),
        this.keys.searchHash('tax_id', compactIdentifier(text)),
        this.keys.searchHash('document', compactIdentifier(text)),
      ];
      const names = nameTokens(text).map((t) => this.keys.searchHash('name', t));
      query = query.where((eb) =>
        eb.or([
          eb('id', 'in', eb.selectFrom('client_search').select('client_id').where('hash', 'in', exact)),
          ...(names.length > 0
            ? [
                eb(
                  'id',
                  'in',
                  eb
                    .selectFrom('client_search')
                    .select('client_id')
                    .where('kind', '=', 'name')
                    .where('hash', 'in', names)
                    .groupBy('client_id')
                    .having((h) => h.fn.count('hash').distinct(), '=', names.length),
                ),
              ]
            : []),
        ]),
      );
    }
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, async (row) => this.view(await this.opened(row)));
  }

  /**
   * Clients whose legal name holds `text` (accents and case ignored), for Ctrl+K: whole name words through the
   * keyed hashes first, then part of a name among the newest `scan` clients, whose names are opened one by one
   * (names are sealed at rest, so no SQL can match part of one).
   */
  async findByName(text: string, limit: number, scan = 500): Promise<Array<{ id: string; legalName: string; kycStatus: KycStatus }>> {
    const found = new Map<string, { id: string; legalName: string; kycStatus: KycStatus }>();
    const whole = await this.list({ search: text, limit });
    for (const c of whole.items) found.set(c.id, { id: c.id, legalName: c.legalName, kycStatus: c.kycStatus });
    const needle = foldName(text);
    if (found.size < limit && needle.length > 0) {
      const rows = await this.db.selectFrom('clients').selectAll().where('erased_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(scan).execute();
      for (const row of rows) {
        if (found.size >= limit) break;
        if (found.has(row.id)) continue;
        const opened = await this.opened(row);
        if (foldName(opened.legal_name).includes(needle)) found.set(row.id, { id: row.id, legalName: opened.legal_name, kycStatus: row.kyc_status });
      }
    }
    return [...found.values()].slice(0, limit);
  }

  // ---- documents ----

  async addIdentityDocument(clientId: string, input: IdentityDocumentInput, operator = 'system'): Promise<ClientView> {
    const client = await this.row(clientId);
    this.assertIndividual(client);
    this.assertDocumentsOpen(client);
    const expiry = checkIdDocumentExpiry(input.expiresOn, this.today());
    if (!expiry.ok) throw refusal(expiry, { field: 'expiresOn' });
    // A national id or residence permit has two sides; a passport's data page is one.
    if (input.type !== 'passport' && !input.back) {
      throw new DomainError('kyc_incomplete', `A ${input.type.replace('_', ' ')} needs the back side too.`, { field: 'back' });
    }
    const front = this.files.check(input.front);
    const back = input.back ? this.files.check(input.back) : null;
    const number = input.number.trim().toUpperCase();
    const country = input.issuingCountry.trim().toUpperCase();
    return this.storeDocument(client, [front, back], operator, {
      kind: 'identity',
      document_type: input.type,
      number,
      issuing_country: country,
      expires_on: expiry.expiresOn,
      issued_on: null,
      front_sha256: front.sha256,
      back_sha256: back?.sha256 ?? null,
    });
  }

  async addProofOfAddress(clientId: string, input: { issuedOn: string; file: Buffer }, operator = 'system'): Promise<ClientView> {
    const client = await this.row(clientId);
    this.assertIndividual(client);
    this.assertDocumentsOpen(client);
    const issued = parseCalendarDate(input.issuedOn);
    if (!issued) throw new DomainError('invalid_date', 'Issue date must be a real date as YYYY-MM-DD.', { field: 'issuedOn' });
    if (input.issuedOn.trim() > isoDay(this.today())) throw new DomainError('invalid_date', 'Issue date is in the future.', { field: 'issuedOn' });
    const file = this.files.check(input.file);
    return this.storeDocument(client, [file], operator, {
      kind: 'proof_of_address',
      document_type: null,
      number: null,
      issuing_country: null,
      expires_on: null,
      issued_on: input.issuedOn.trim(),
      front_sha256: file.sha256,
      back_sha256: null,
    });
  }

  private async storeDocument(
    client: ClientRow,
    files: Array<CheckedFile | null>,
    operator: string,
    document: Omit<KycDocumentRow, 'id' | 'client_id' | 'uploaded_by' | 'uploaded_at'>,
  ): Promise<ClientView> {
    const id = effectId();
    // A repeat of a request cut short by a crash meets the document its first run stored.
    if (await this.db.selectFrom('kyc_documents').select('id').where('id', '=', id).executeTakeFirst()) return this.get(client.id);
    // Files first (sealed, named by hash, harmless if the transaction then fails), rows and audit together.
    const key = await this.keys.ensureKey(this.db, client.id);
    const sealedFiles: SealedFile[] = [];
    for (const file of files) if (file) sealedFiles.push(await this.files.seal(file, client.id, key));
    for (const file of sealedFiles) await this.files.write(file);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const current = await this.row(client.id, trx);
      this.assertDocumentsOpen(current);
      for (const file of sealedFiles) await this.files.record(file, trx, now);
      await trx
        .insertInto('kyc_documents')
        .values({ id, client_id: client.id, uploaded_by: operator, uploaded_at: now, ...document, number: this.keys.sealText(key, client.id, 'document_number', document.number) })
        .execute();
      if (document.number) await this.keys.index(trx, client.id, [{ kind: 'document', value: compactIdentifier(document.number) }], false);
      await this.audit.record(
        {
          operator,
          action: 'kyc.document_added',
          entity: { type: 'client', id: client.id },
          change: {
            documentId: id,
            kind: document.kind,
            type: document.document_type,
            number: document.number ? this.keys.pseudonym(document.number) : null,
            issuingCountry: document.issuing_country,
            expiresOn: document.expires_on,
            issuedOn: document.issued_on,
            files: files.filter((f): f is CheckedFile => f !== null).map((f) => ({ sha256: f.sha256, size: f.size, mediaType: f.mediaType })),
          },
        },
        trx,
      );
    });
    return this.get(client.id);
  }

  private assertIndividual(client: ClientRow): void {
    if (client.client_kind === 'business') {
      throw new DomainError('validation', "A business files company documents; its people's identity documents belong to its beneficial owners.", { kind: client.client_kind });
    }
  }

  assertDocumentsOpen(client: ClientRow): void {
    assertNotErased(client);
    if (!DOCUMENTS_OPEN.includes(client.kyc_status)) {
      throw new DomainError('conflict', `Documents cannot be added while the client is ${client.kyc_status}; suspend the client first to renew them.`, { kycStatus: client.kyc_status });
    }
  }

  // ---- review ----

  /** Moves the KYC status one step; submit and verify demand every mandatory field and document. */
  async changeStatus(clientId: string, step: KycStep, operator = 'system', reason?: string): Promise<ClientView> {
    const rule = KYC_STEPS[step];
    await this.db.transaction().execute(async (trx) => {
      const client = await this.row(clientId, trx);
      assertNotErased(client);
      if (!(rule.from as readonly KycStatus[]).includes(client.kyc_status)) {
        throw new DomainError('conflict', `A ${client.kyc_status} client cannot be moved to ${rule.to}.`, { kycStatus: client.kyc_status, step });
      }
      if ((step === 'reject' || step === 'suspend') && !reason) throw new DomainError('validation', 'A reason is required.', { field: 'reason' });
      // Four eyes: whoever submitted the file for review does not also decide it.
      if (step === 'verify' || step === 'reject') assertNotMaker(client.kyc_submitted_by, operator, "submitted this client's KYC", { clientId });
      // A business's owners may still be in review when it is submitted; at verification each one counts.
      if (step === 'submit' || step === 'verify') await this.assertComplete(client, trx, step === 'verify');
      if (step === 'reinstate') await this.assertIdentityCurrent(client.id, trx);
      const kyb = client.client_kind === 'business' && step === 'verify' ? { uboThresholdPercent: (await this.controls.get(trx)).uboThresholdPercent, referenceData: REFERENCE_DATA_VERSION } : {};
      await trx
        .updateTable('clients')
        .set({
          kyc_status: rule.to,
          rejection_reason: step === 'reject' ? reason! : null,
          ...(step === 'submit' ? { kyc_submitted_by: operator } : {}),
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', clientId)
        .where('kyc_status', '=', client.kyc_status)
        .execute();
      await this.audit.record(
        {
          operator,
          action: `kyc.${rule.to}`,
          entity: { type: 'client', id: clientId },
          change: { from: client.kyc_status, to: rule.to, ...(reason ? { reason } : {}), ...kyb },
        },
        trx,
      );
    });
    return this.get(clientId);
  }

  /** The officer's risk assessment of a client, with the reason for it (audited with what it was). */
  async setRiskLevel(clientId: string, riskLevel: RiskLevel, reason: string, operator: string): Promise<ClientView> {
    await this.db.transaction().execute(async (trx) => {
      const client = await this.row(clientId, trx);
      if (client.risk_level === riskLevel) return;
      await trx.updateTable('clients').set({ risk_level: riskLevel, updated_at: new Date().toISOString() }).where('id', '=', clientId).execute();
      await this.audit.record(
        { operator, action: 'client.risk_assessed', entity: { type: 'client', id: clientId }, change: { from: client.risk_level, to: riskLevel, reason } },
        trx,
      );
    });
    return this.get(clientId);
  }

  /** Every mandatory field passes the shared client form, and the documents are there and current. */
  async assertComplete(client: ClientRow, ex: Db = this.db, ownersVerified = true): Promise<void> {
    if (client.client_kind === 'business') {
      const { uboThresholdPercent } = await this.controls.get(ex);
      return assertBusinessComplete(ex, client, { today: this.today(), thresholdPercent: uboThresholdPercent, ownersVerified, ownerCurrent: (ownerId) => this.assertIdentityCurrent(ownerId, ex), nameOf: this.nameOf(ex) });
    }
    const missing = (
      [
        ['dateOfBirth', client.date_of_birth],
        ['nationality', client.nationality],
        ['address', client.address],
        ['email', client.email],
        ['phone', client.phone],
        ['taxId', client.tax_id],
      ] as const
    )
      .filter(([, value]) => value === null)
      .map(([field]): string => field);
    const identity = await this.latestDocument(client.id, 'identity', ex);
    const proof = await this.latestDocument(client.id, 'proof_of_address', ex);
    if (!identity) missing.push('identityDocument');
    if (!proof) missing.push('proofOfAddress');
    if (missing.length > 0) {
      throw new DomainError('kyc_incomplete', `The KYC file is missing: ${missing.join(', ')}.`, { missing });
    }
    const form = makeClientFormSchema({ today: () => this.today() }).safeParse({
      legalName: client.legal_name,
      dateOfBirth: client.date_of_birth,
      nationality: client.nationality,
      address: JSON.parse(client.address!) as unknown,
      email: client.email,
      phone: client.phone,
      taxId: { country: client.tax_country, kind: client.tax_kind, value: client.tax_id },
      idDocument: {
        type: identity!.document_type,
        number: identity!.number,
        issuingCountry: identity!.issuing_country,
        expiresOn: identity!.expires_on,
      },
    });
    if (!form.success) throw schemaRefusal(form.error, 'kyc_incomplete');
    const oldest = new Date(this.today().getTime() - PROOF_OF_ADDRESS_MAX_AGE_DAYS * 86_400_000);
    if (proof!.issued_on! < isoDay(oldest)) {
      throw new DomainError('kyc_incomplete', `The proof of address is older than ${PROOF_OF_ADDRESS_MAX_AGE_DAYS} days; ask for a recent one.`, {
        missing: ['proofOfAddress'],
        issuedOn: proof!.issued_on,
      });
    }
  }

  /** A verified client whose identity document has since expired may not move money until it is renewed. */
  async assertIdentityCurrent(clientId: string, ex: Db = this.db): Promise<void> {
    const client = await this.row(clientId, ex);
    if (client.client_kind === 'business') {
      const { uboThresholdPercent } = await this.controls.get(ex);
      return assertOwnersCurrent(ex, clientId, uboThresholdPercent, (ownerId) => this.assertIdentityCurrent(ownerId, ex), this.nameOf(ex));
    }
    const identity = await this.latestDocument(clientId, 'identity', ex);
    if (!identity) throw new DomainError('kyc_incomplete', 'The client has no identity document.', { missing: ['identityDocument'] });
    const expiry = checkIdDocumentExpiry(identity.expires_on!, this.today());
    if (!expiry.ok) throw refusal(expiry, { clientId });
  }

  /** The latest document of a kind, its number opened. */
  async latestDocument(clientId: string, kind: 'identity' | 'proof_of_address', ex: Db = this.db): Promise<KycDocumentRow | undefined> {
    const row = await ex
      .selectFrom('kyc_documents')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('kind', '=', kind)
      .orderBy('uploaded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, number: this.keys.openText(await this.keys.keyOf(clientId, ex), clientId, 'document_number', row.number) };
  }

  verifyFiles() {
    return this.files.verifyAll();
  }

  /**
   * One of the client's scans opened for viewing: only a file one of this client's documents names, and each
   * viewing is on the audit trail (who looked at whose personal document, and when).
   */
  async openDocumentFile(clientId: string, sha256: string, operator: string): Promise<{ mediaType: KycFileView['mediaType']; content: Buffer }> {
    const client = await this.row(clientId);
    assertNotErased(client);
    const document = await this.db
      .selectFrom('kyc_documents')
      .select(['id', 'kind'])
      .where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('front_sha256', '=', sha256), eb('back_sha256', '=', sha256)]))
      .executeTakeFirst();
    if (!document) throw new DomainError('not_found', 'This client has no document with that file.', { clientId });
    const content = await this.files.read(sha256);
    if (!content) throw new DomainError('not_found', 'The document file is missing from this workstation or can no longer be opened.', { clientId });
    const mediaType = sniffMediaType(content);
    if (!mediaType) throw new DomainError('validation', 'The stored document is not a PDF, JPEG or PNG file.', { clientId });
    await this.audit.record({ operator, action: 'kyc.document_viewed', entity: { type: 'client', id: clientId }, change: { documentId: document.id, kind: document.kind, sha256 } });
    return { mediaType, content };
  }

  // ---- helpers ----

  /** Each field given is checked with the shared validator and stored normalized. */
  private normalize(fields: ClientFields, kind: ClientKind, current?: ClientRow): PersonalValues {
    const values: PersonalValues = {};
    for (const field of kind === 'business' ? PERSON_ONLY : BUSINESS_ONLY) {
      if (fields[field] !== undefined) {
        throw new DomainError('validation', `A${kind === 'business' ? ' business' : 'n individual'} client has no ${field === 'dateOfBirth' ? 'date of birth' : field === 'nationality' ? 'nationality' : 'company data'}.`, { field, kind });
      }
    }
    if (kind === 'business') Object.assign(values, this.normalizeBusiness(fields, current));
    if (fields.legalName !== undefined) {
      const name = fields.legalName.trim();
      if (name.length < 2) throw new DomainError('validation', 'Legal name is required.', { field: 'legalName' });
      values.legal_name = name;
    }
    if (fields.dateOfBirth !== undefined) {
      const r = validateDateOfBirth(fields.dateOfBirth, this.today());
      if (!r.ok) throw refusal(r, { field: 'dateOfBirth' });
      values.date_of_birth = r.dateOfBirth;
    }
    if (fields.nationality !== undefined) values.nationality = fields.nationality.trim().toUpperCase();
    if (fields.address !== undefined) values.address = JSON.stringify({ ...fields.address, country: fields.address.country.toUpperCase() });
    if (fields.email !== undefined) {
      const r = validateEmail(fields.email);
      if (!r.ok) throw refusal(r, { field: 'email' });
      values.email = r.email;
    }
    if (fields.phone !== undefined) {
      const r = normalizePhone(fields.phone);
      if (!r.ok) throw refusal(r, { field: 'phone' });
      values.phone = r.e164;
    }
    if (fields.taxId !== undefined) {
      const validate = kind === 'business' ? validateBusinessTaxId : validateTaxId;
      const r = validate(fields.taxId.country, fields.taxId.kind, fields.taxId.value);
      if (!r.ok) throw refusal(r, { field: 'taxId' });
      values.tax_country = fields.taxId.country.trim().toUpperCase();
      values.tax_kind = r.kind;
      values.tax_id = r.normalized;
    }
    return values;
  }

  private normalizeBusiness(fields: ClientFields, current?: ClientRow): PersonalValues {
    const values: PersonalValues = {};
    if (fields.tradeName !== undefined) values.business_trade_name = fields.tradeName.trim() || null;
    if (fields.businessType !== undefined) {
      if (!(BUSINESS_TYPES as readonly string[]).includes(fields.businessType)) throw new DomainError('validation', 'Unknown type of company.', { field: 'businessType' });
      values.business_type = fields.businessType;
    }
    if (fields.incorporationCountry !== undefined) {
      const country = fields.incorporationCountry.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(country)) throw new DomainError('validation', 'Country of incorporation must be an ISO 3166 alpha-2 code.', { field: 'incorporationCountry' });
      values.business_incorporation_country = country;
    }
    const country = values.business_incorporation_country ?? current?.business_incorporation_country;
    const registration = fields.registrationNumber ?? (values.business_incorporation_country ? current?.business_registration_number : undefined);
    if (registration !== undefined && registration !== null) {
      // The register's format depends on the country: a number is checked against the country it is stored with.
      if (!country) throw new DomainError('validation', 'Give the country of incorporation with the registration number.', { field: 'incorporationCountry' });
      const r = validateRegistrationNumber(country, registration);
      if (!r.ok) throw refusal(r, { field: 'registrationNumber' });
      values.business_registration_number = r.normalized;
    }
    if (fields.incorporationDate !== undefined) {
      const date = fields.incorporationDate.trim();
      if (!parseCalendarDate(date)) throw new DomainError('invalid_date', 'Incorporation date must be a real date as YYYY-MM-DD.', { field: 'incorporationDate' });
      if (date > isoDay(this.today())) throw new DomainError('invalid_date', 'Incorporation date is in the future.', { field: 'incorporationDate' });
      values.business_incorporation_date = date;
    }
    return values;
  }

  /** The keyed hash that keeps one client per tax id, though the tax id itself is sealed. */
  private taxIdHash(values: PersonalValues): string | undefined {
    return values.tax_id ? this.keys.searchHash('tax_id_unique', `${values.tax_country}:${values.tax_kind}:${values.tax_id}`) : undefined;
  }

  private async assertTaxIdFree(trx: Db, taxIdHash: string | undefined, clientId: string): Promise<void> {
    if (!taxIdHash) return;
    const other = await trx.selectFrom('clients').select('id').where('tax_id_hash', '=', taxIdHash).where('id', '!=', clientId).executeTakeFirst();
    if (other) throw new DomainError('conflict', 'Another client already has this tax id.', { field: 'taxId', clientId: other.id });
  }

  /** The personal columns among `values`, sealed under the client's key. */
  private sealed(key: Buffer, clientId: string, values: PersonalValues): PersonalValues {
    const out: PersonalValues = { ...values };
    for (const field of PERSONAL_FIELDS) {
      if (values[field] !== undefined) (out as Record<string, string | null>)[field] = this.keys.sealText(key, clientId, field, values[field] ?? null);
    }
    return out;
  }

  /** The row with its personal columns opened; once erased they read as empty. */
  async opened(row: ClientRow, ex: Db = this.db): Promise<ClientRow> {
    const key = await this.keys.keyOf(row.id, ex);
    const out = { ...row };
    for (const field of PERSONAL_FIELDS) (out as Record<string, string | null>)[field] = this.keys.openText(key, row.id, field, row[field]);
    out.legal_name ??= '';
    return out;
  }

  /** Opens another client's legal name (a business's owner, an owner's business). */
  private nameOf(ex: Db): NameOf {
    return async (clientId) => (await this.row(clientId, ex)).legal_name;
  }

  /** What an audit record carries instead of personal values: their keyed hashes (tax country and kind stay clear). */
  private pseudonymized(values: PersonalValues): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, (PERSONAL_FIELDS as readonly string[]).includes(k) && typeof v === 'string' ? this.keys.pseudonym(v) : v]),
    );
  }

  private async view(row: ClientRow, ex: Db = this.db): Promise<ClientView> {
    const identity = await this.latestDocument(row.id, 'identity', ex);
    const proof = await this.latestDocument(row.id, 'proof_of_address', ex);
    let identityView: IdentityDocumentView | null = null;
    if (identity) {
      identityView = {
        id: identity.id,
        type: identity.document_type!,
        number: identity.number!,
        issuingCountry: identity.issuing_country!,
        expiresOn: identity.expires_on!,
        front: await this.files.view(identity.front_sha256, ex),
        back: identity.back_sha256 ? await this.files.view(identity.back_sha256, ex) : null,
        uploadedBy: identity.uploaded_by,
        uploadedAt: identity.uploaded_at,
      };
    }
    let proofView: ProofOfAddressView | null = null;
    if (proof) {
      proofView = {
        id: proof.id,
        issuedOn: proof.issued_on!,
        file: await this.files.view(proof.front_sha256, ex),
        uploadedBy: proof.uploaded_by,
        uploadedAt: proof.uploaded_at,
      };
    }
    const business = await businessParts(ex, row, (sha256) => this.files.view(sha256, ex), this.nameOf(ex));
    return {
      id: row.id,
      kind: row.client_kind,
      legalName: row.legal_name,
      dateOfBirth: row.date_of_birth,
      nationality: row.nationality,
      address: row.address ? (JSON.parse(row.address) as PostalAddress) : null,
      email: row.email,
      phone: row.phone,
      taxId: row.tax_id ? { country: row.tax_country!, kind: row.tax_kind!, value: row.tax_id } : null,
      kycStatus: row.kyc_status,
      rejectionReason: row.rejection_reason,
      riskLevel: row.risk_level,
      kycSubmittedBy: row.kyc_submitted_by,
      identityDocument: identityView,
      proofOfAddress: proofView,
      closedAt: row.closed_at,
      erasedAt: row.erased_at,
      ...business,
      ownerOf: row.client_kind === 'individual' ? await ownerOf(ex, row.id, this.nameOf(ex)) : [],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

export function assertNotErased(client: Pick<ClientRow, 'id' | 'erased_at'>): void {
  if (client.erased_at) throw new DomainError('conflict', "This client's personal data was erased; the record stays only for the books.", { clientId: client.id });
}

/** The keyed-hash index entries of the values being written. */
function searchEntries(values: PersonalValues): Array<{ kind: SearchKind; value: string }> {
  const entries: Array<{ kind: SearchKind; value: string }> = [];
  if (values.legal_name) for (const token of nameTokens(values.legal_name)) entries.push({ kind: 'name', value: token });
  if (values.email) entries.push({ kind: 'email', value: values.email.toLowerCase() });
  if (values.tax_id) entries.push({ kind: 'tax_id', value: compactIdentifier(values.tax_id) });
  return entries;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A name as search compares it: no accents, lower case, single spaces. */
function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
