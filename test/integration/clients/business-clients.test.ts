import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView } from '@shared/domain/clients';
import { REFERENCE_DATA_VERSION } from '@shared/reference/countries';
import { BACKENDS } from '@test/backends';
import { applyPolicy, checker, refusedAndAudited } from '@test/controls';
import { callOk, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';
import { b64, CLIENT, day, IDENTITY, PDF, PNG, PROOF } from './kyc-fixtures';

/** A company in Argentina whose ids pass their check digits: YPF's CUIT, an IGJ correlative number. */
const BUSINESS = {
  kind: 'business',
  legalName: 'Andes Minerales S.A.',
  tradeName: 'Andes',
  businessType: 'corporation',
  incorporationCountry: 'AR',
  registrationNumber: '1234567',
  incorporationDate: '2015-03-02',
  address: { line1: 'Av. del Libertador 500', city: 'Buenos Aires', postalCode: 'C1001', country: 'AR' },
  email: 'finanzas@andes.example',
  phone: '+54 11 4321 0000',
  taxId: { country: 'AR', kind: 'cuit', value: '30-54668997-9' },
};
const COMPANY_DOCUMENTS = ['certificate_of_incorporation', 'articles_of_association', 'proof_of_address', 'shareholder_register'] as const;

/** An owner as a new person with every KYC field; CUILs computed with AFIP's weights. */
const person = (legalName: string, cuit: string, email: string) => ({ ...CLIENT, legalName, email, taxId: { country: 'AR', kind: 'cuit', value: cuit } });

describe.each(BACKENDS)('business clients (KYB) on %s', (backend) => {
  let t: TestEngine;
  const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);

  /** A refusal with its code that leaves every row of every table as it was. */
  async function refusedUnchanged(channel: string, payload: unknown, code: string, as?: Awaited<ReturnType<typeof checker>>): Promise<string> {
    const before = await snapshotRows(t.engine);
    const result = await t.engine.api.call(channel, payload, as?.context ?? { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(await snapshotRows(t.engine)).toBe(before);
    return result.ok ? '' : result.error.message;
  }

  async function businessWithDocuments(overrides: Record<string, unknown> = {}): Promise<ClientView> {
    const business = await ok<ClientView>('clients:create', { ...BUSINESS, ...overrides });
    for (const type of COMPANY_DOCUMENTS) await ok('clients:kyb:addCompanyDocument', { clientId: business.id, type, issuedOn: day(-20), file: b64(PDF) });
    return business;
  }

  async function verifyPerson(clientId: string): Promise<void> {
    await ok('clients:kyc:addIdentityDocument', { clientId, ...IDENTITY });
    await ok('clients:kyc:addProofOfAddress', { clientId, ...PROOF });
    await ok('clients:kyc:submit', { clientId });
    await callOk(t.engine, 'clients:kyc:verify', { clientId }, await checker(t));
  }

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("seals the company's identifying data at rest and finds it by its register number or name words", async () => {
    const business = await ok<ClientView>('clients:create', { ...BUSINESS, legalName: 'Litoral Granos S.A.', tradeName: 'Litoral', registrationNumber: '7654321', taxId: { country: 'AR', kind: 'cuit', value: '30-70000001-6' } });
    const row = await t.engine.database.db.selectFrom('clients').selectAll().where('id', '=', business.id).executeTakeFirstOrThrow();
    for (const column of ['legal_name', 'tax_id', 'business_trade_name', 'business_registration_number'] as const) expect(row[column]).toMatch(/^sealed:v1:/);
    // kind, type, country and date stay clear: they sort and filter, and identify nobody alone
    expect(row).toMatchObject({ client_kind: 'business', business_type: 'corporation', business_incorporation_country: 'AR' });
    for (const search of ['7654321', 'litoral granos']) {
      const found = await ok<{ items: ClientView[] }>('clients:list', { search, limit: 10 });
      expect(found.items.map((c) => c.id)).toEqual([business.id]);
    }
  });

  it('creates a business with its company data normalized, and refuses bad ids per country storing nothing', async () => {
    const business = await ok<ClientView>('clients:create', { ...BUSINESS, legalName: 'Pampa Datos S.A.', taxId: { country: 'AR', kind: 'cuit', value: '30-50001091-2' } });
    expect(business).toMatchObject({
      kind: 'business',
      kycStatus: 'draft',
      business: { tradeName: 'Andes', businessType: 'corporation', registrationNumber: '1234567', incorporationCountry: 'AR', incorporationDate: '2015-03-02' },
      taxId: { country: 'AR', kind: 'cuit', value: '30500010912' },
      companyDocuments: [],
      beneficialOwners: [],
      dateOfBirth: null,
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ taxId: { country: 'AR', kind: 'cuit', value: '20-12345678-6' } }, 'invalid_tax_id'], // a person's CUIT
      [{ taxId: { country: 'AR', kind: 'cuit', value: '30-54668997-8' } }, 'invalid_tax_id'], // check digit
      [{ taxId: { country: 'BR', kind: 'cnpj', value: '11.222.333/0001-82' } }, 'invalid_tax_id'],
      [{ registrationNumber: '12345678' }, 'invalid_registration_number'], // IGJ numbers have up to 7 digits
      [{ incorporationCountry: 'GB', registrationNumber: '1234567' }, 'invalid_registration_number'], // Companies House: 8
      [{ incorporationDate: day(2) }, 'invalid_date'],
      [{ dateOfBirth: '1980-01-01' }, 'validation'], // a company has no date of birth
    ];
    for (const [change, code] of cases) await refusedUnchanged('clients:create', { ...BUSINESS, ...change }, code);
    // an individual has no company data; a business files company documents, not an identity document
    await refusedUnchanged('clients:create', { ...CLIENT, registrationNumber: '1234567', incorporationCountry: 'AR' }, 'validation');
    await refusedUnchanged('clients:kyc:addIdentityDocument', { clientId: business.id, ...IDENTITY }, 'validation');
    await refusedUnchanged('clients:kyb:addCompanyDocument', { clientId: business.id, type: 'shareholder_register', issuedOn: day(1), file: b64(PDF) }, 'invalid_date');
  });

  it('verifies a business only with its documents and every owner of 25% or more verified, by a second operator', async () => {
    const business = await ok<ClientView>('clients:create', BUSINESS);
    // documents missing: submission names what is missing and changes nothing
    const message = await refusedUnchanged('clients:kyc:submit', { clientId: business.id }, 'kyc_incomplete');
    expect(message).toMatch(/Certificate of incorporation.*Register of shareholders.*beneficialOwners/);
    for (const type of COMPANY_DOCUMENTS) await ok('clients:kyb:addCompanyDocument', { clientId: business.id, type, issuedOn: day(-20), file: b64(type === 'proof_of_address' ? PNG : PDF) });

    const withOwner = await ok<ClientView>('clients:kyb:addOwner', { clientId: business.id, ownership: '60', person: person('María Fernández', '27-12345678-0', 'maria@andes.example') });
    const maria = withOwner.beneficialOwners[0]!;
    expect(maria).toMatchObject({ legalName: 'María Fernández', ownershipBasisPoints: 6000, kycStatus: 'draft' });
    const existing = await ok<ClientView>('clients:create', person('Luis Gómez', '20-30123456-3', 'luis@andes.example'));
    await ok('clients:kyb:addOwner', { clientId: business.id, ownership: '30.5', personClientId: existing.id });
    // 60 + 30.5 + 10 > 100: refused, and the new person is not created either
    await refusedUnchanged('clients:kyb:addOwner', { clientId: business.id, ownership: '10', person: person('Ana Ruiz', '27-30123456-8', 'ana@andes.example') }, 'ownership_over_100');
    await refusedUnchanged('clients:kyb:addOwner', { clientId: business.id, ownership: '5', personClientId: existing.id }, 'conflict');
    await refusedUnchanged('clients:kyb:addOwner', { clientId: business.id, ownership: '5', personClientId: business.id }, 'validation');
    const small = await ok<ClientView>('clients:kyb:addOwner', { clientId: business.id, ownership: '9.5', person: { legalName: 'Pedro Sosa' } });
    expect(small.beneficialOwners.map((o) => [o.legalName, o.ownershipBasisPoints])).toEqual([
      ['María Fernández', 6000],
      ['Luis Gómez', 3050],
      ['Pedro Sosa', 950],
    ]);
    const personView = await ok<ClientView>('clients:get', { clientId: maria.clientId });
    expect(personView).toMatchObject({ kind: 'individual', ownerOf: [{ clientId: business.id, legalName: BUSINESS.legalName, ownershipBasisPoints: 6000 }] });

    // Submitted while its owners are still in review; verification waits for them.
    expect((await ok<ClientView>('clients:kyc:submit', { clientId: business.id })).kycStatus).toBe('submitted');
    const officer = await checker(t);
    const waiting = await refusedUnchanged('clients:kyc:verify', { clientId: business.id }, 'beneficial_owner_not_verified', officer);
    expect(waiting).toMatch(/María Fernández \(60%\), Luis Gómez \(30\.5%\)/);
    expect(waiting).not.toMatch(/Pedro Sosa/);
    await verifyPerson(maria.clientId);
    expect(await refusedUnchanged('clients:kyc:verify', { clientId: business.id }, 'beneficial_owner_not_verified', officer)).not.toMatch(/María/);
    await verifyPerson(existing.id);
    // the owners cannot change while the business is under review
    await refusedUnchanged('clients:kyb:addOwner', { clientId: business.id, ownership: '0.5', personClientId: existing.id }, 'conflict');

    // Four eyes: the operator who submitted it does not verify it.
    const refusal = await refusedAndAudited(t, 'clients:kyc:verify', { clientId: business.id }, 'maker_checker');
    expect(refusal.change.code).toBe('maker_checker');
    const verified = await callOk<ClientView>(t.engine, 'clients:kyc:verify', { clientId: business.id }, officer);
    expect(verified.kycStatus).toBe('verified');
    const [record] = await t.engine.services.audit.list({ entityType: 'client', entityId: business.id, limit: 1 });
    expect(record).toMatchObject({ operator: 'checker-officer', action: 'kyc.verified' });
    expect(JSON.parse(record!.change)).toEqual({ from: 'submitted', to: 'verified', uboThresholdPercent: 25, referenceData: REFERENCE_DATA_VERSION });
    const actions = (await t.engine.services.audit.list({ entityType: 'client', entityId: business.id, limit: 100 })).map((r) => r.action).reverse();
    expect(actions).toEqual(['client.created', ...COMPANY_DOCUMENTS.map(() => 'kyb.document_added'), 'kyb.owner_added', 'kyb.owner_added', 'kyb.owner_added', 'kyc.submitted', 'kyc.verified']);
    expect(await ok<{ ok: boolean }>('audit:verify', {})).toMatchObject({ ok: true });

    // Suspending a significant owner stops the business at the ramps' door (its identity check).
    await ok('clients:kyc:suspend', { clientId: existing.id, reason: 'document under review' });
    await expect(t.engine.services.clients.clients.assertIdentityCurrent(business.id)).rejects.toMatchObject({ code: 'beneficial_owner_not_verified' });
  });

  it('edits company data against the stored country, and removes an owner with a reason while in draft', async () => {
    // CUIT check digit by AFIP's weights 5432765432: 11 - (142 mod 11) = 1
    const delta = await ok<ClientView>('clients:create', { ...BUSINESS, legalName: 'Delta Puertos S.A.', taxId: { country: 'AR', kind: 'cuit', value: '30-71234567-1' } });
    // A new country re-checks the registration number already stored (an IGJ number is no Companies House number).
    await refusedUnchanged('clients:update', { clientId: delta.id, incorporationCountry: 'GB' }, 'invalid_registration_number');
    const moved = await ok<ClientView>('clients:update', { clientId: delta.id, incorporationCountry: 'GB', registrationNumber: 'sc123456' });
    expect(moved.business).toMatchObject({ incorporationCountry: 'GB', registrationNumber: 'SC123456' });
    const owned = await ok<ClientView>('clients:kyb:addOwner', { clientId: delta.id, ownership: '50', person: { legalName: 'Rita Paz' } });
    const rita = owned.beneficialOwners[0]!.clientId;
    await refusedUnchanged('clients:kyb:removeOwner', { clientId: delta.id, personClientId: delta.id, reason: 'not an owner' }, 'not_found');
    const removed = await ok<ClientView>('clients:kyb:removeOwner', { clientId: delta.id, personClientId: rita, reason: 'sold her shares in 2026' });
    expect(removed.beneficialOwners).toEqual([]);
    const [record] = await t.engine.services.audit.list({ entityType: 'client', entityId: delta.id, limit: 1 });
    expect(record).toMatchObject({ action: 'kyb.owner_removed' });
    expect(JSON.parse(record!.change)).toEqual({ personClientId: rita, ownershipBasisPoints: 5000, reason: 'sold her shares in 2026' });
    // the person stays a client of their own, no longer listed as an owner
    expect(await ok<ClientView>('clients:get', { clientId: rita })).toMatchObject({ kind: 'individual', ownerOf: [] });
  });

  it('takes the owner threshold from the controls settings', async () => {
    const business = await businessWithDocuments({ legalName: 'Sur Logística S.A.', taxId: { country: 'AR', kind: 'cuit', value: '33-69345023-9' } });
    const owner = await ok<ClientView>('clients:kyb:addOwner', { clientId: business.id, ownership: '100', person: person('Carla Díaz', '27-11111111-7', 'carla@sur.example') });
    const carla = owner.beneficialOwners[0]!.clientId;
    await verifyPerson(carla);
    await refusedUnchanged('clients:kyb:addOwner', { clientId: business.id, ownership: '0.01', person: { legalName: 'Tomás Vera' } }, 'ownership_over_100');

    // 90% verified, 10% in draft: enough under the default 25%, not under a 10% rule
    const mixed = await businessWithDocuments({ legalName: 'Oeste Textil S.A.', taxId: { country: 'BR', kind: 'cnpj', value: '11.222.333/0001-81' }, incorporationCountry: 'BR', registrationNumber: '35300012345' });
    await ok('clients:kyb:addOwner', { clientId: mixed.id, ownership: '90', personClientId: carla });
    await ok('clients:kyb:addOwner', { clientId: mixed.id, ownership: '10', person: { legalName: 'Tomás Vera' } });
    await ok('clients:kyc:submit', { clientId: mixed.id });
    const officer = await checker(t);
    // a controls change: it applies once a second admin approves the proposal
    const lowered = await applyPolicy(t, 'withdrawals:controlsSet', { uboThresholdPercent: 10 });
    expect(lowered.summary).toBe('Beneficial owners who must be verified: 25% or more → 10% or more');
    await refusedUnchanged('clients:kyc:verify', { clientId: mixed.id }, 'beneficial_owner_not_verified', officer);
    await applyPolicy(t, 'withdrawals:controlsSet', { uboThresholdPercent: 25 });
    const verified = await callOk<ClientView>(t.engine, 'clients:kyc:verify', { clientId: mixed.id }, officer);
    expect(verified.kycStatus).toBe('verified');
    const listed = await call('clients:list', { kind: 'business', limit: 50 });
    // the six businesses of this file, none of their owners
    expect(listed.ok && (listed.data as { items: ClientView[] }).items.map((c) => c.legalName).sort()).toEqual([
      'Andes Minerales S.A.',
      'Delta Puertos S.A.',
      'Litoral Granos S.A.',
      'Oeste Textil S.A.',
      'Pampa Datos S.A.',
      'Sur Logística S.A.',
    ]);
  });
});
