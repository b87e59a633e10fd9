import { describe, expect, it } from 'vitest';
import { businessFieldsSchema, formatOwnership, parseOwnershipPercent, validateBusinessTaxId, validateRegistrationNumber } from '@shared/validation/business';
import { COUNTRIES, identificationTypes, REFERENCE_DATA_VERSION, requiredDocuments } from '@shared/reference/countries';

/*
 * Company tax ids: public ids of real companies (YPF, Banco de la Nación, Petrobras, SAT's test moral
 * person) or computed by hand with the authority's rule; each invalid one changes one thing.
 */
const validTaxIds: Array<[country: string, kind: string, input: string, normalized: string, note: string]> = [
  ['AR', 'cuit', '30-54668997-9', '30546689979', 'YPF S.A.: weights 5432765432, check 9'],
  ['AR', 'cuit', '30-50001091-2', '30500010912', 'Banco de la Nación Argentina'],
  ['AR', 'cuit', '33-69345023-9', '33693450239', 'AFIP itself, prefix 33'],
  ['BR', 'cnpj', '11.222.333/0001-81', '11222333000181', 'textbook CNPJ'],
  ['BR', 'cnpj', '33.000.167/0001-01', '33000167000101', 'Petrobras'],
  ['BR', 'cnpj', '12.ABC.345/01DE-35', '12ABC34501DE35', 'alphanumeric CNPJ (from July 2026)'],
  ['MX', 'rfc', 'EKU9003173C9', 'EKU9003173C9', 'SAT test persona moral, 12 characters'],
  ['MX', 'rfc', 'ABC680524P73', 'ABC680524P73', 'SAT Anexo 3 weights 13..2 with the leading space: 3'],
  ['ES', 'nif', 'A58818501', 'A58818501', 'S.A.: CIF control digit 1 (doubling odd positions)'],
  ['ES', 'nif', 'A-28017895', 'A28017895', 'S.A. with a dash typed'],
  ['ES', 'nif', 'P1234567D', 'P1234567D', 'public body: control is a letter (4 -> D)'],
  ['US', 'ein', '12-3456789', '12-3456789', 'IRS campus prefix 12'],
  ['PE', 'ruc', '20131312955', '20131312955', 'SUNAT itself, prefix 20'],
  ['CL', 'rut', '76086428-5', '76086428-5', 'company RUT'],
  ['GB', 'vat', 'GB 123 4567 89', 'GB123456789', 'no UK rule known: generic letters and digits'],
  ['ZZ', 'tin', 'AB-12345', 'AB12345', 'a country the reference data does not list: generic TIN'],
];

const invalidTaxIds: Array<[country: string, kind: string, input: string, reason: RegExp]> = [
  ['AR', 'cuit', '30-54668997-8', /check digit/],
  ['AR', 'cuit', '20-12345678-6', /30, 33 or 34/],
  ['AR', 'cuil', '20-12345678-6', /identified by CUIT/],
  ['BR', 'cnpj', '11.222.333/0001-82', /check digits/],
  ['BR', 'cpf', '529.982.247-25', /identified by CNPJ/],
  ['BR', 'cnpj', '11111111111111', /all characters equal/],
  ['MX', 'rfc', 'ABC680524P74', /check digit/],
  ['MX', 'rfc', 'GODE561231GR8', /12 characters/],
  ['MX', 'rfc', 'ABC681324P73', /not a real date/],
  ['ES', 'nif', 'A58818502', /control character/],
  ['ES', 'nif', 'B1234567D', /control character/],
  ['ES', 'nif', '12345678Z', /letter of its legal form/],
  ['ES', 'nie', 'X1234567L', /identified by NIF/],
  ['US', 'ein', '07-1234567', /not assigned/],
  ['US', 'ein', '12-345678', /9 digits/],
  ['US', 'ssn', '123-45-6789', /identified by EIN/],
  ['PE', 'ruc', '10123456781', /starts with 20/],
  ['ZZ', 'tin', '!!', /3 to 20/],
];

describe('company tax ids per country', () => {
  it.each(validTaxIds)('%s %s %s is accepted (%s)', (country, kind, input, normalized) => {
    expect(validateBusinessTaxId(country, kind, input)).toEqual({ ok: true, normalized, kind });
  });

  it.each(invalidTaxIds)('%s %s %s is refused', (country, kind, input, reason) => {
    const r = validateBusinessTaxId(country, kind, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('invalid_tax_id');
      expect(r.reason).toMatch(reason);
    }
  });
});

const registrations: Array<[country: string, input: string, expected: string | null]> = [
  ['GB', '01234567', '01234567'],
  ['GB', 'sc123456', 'SC123456'],
  ['GB', '1234567', null],
  ['GB', 'XX123456', null],
  ['BR', '35300012345', '35300012345'],
  ['BR', '3530001234', null],
  ['AR', '1234567', '1234567'],
  ['AR', '12345678', null],
  ['DE', 'HRB  12345', 'HRB 12345'],
  ['ES', 'm-123456', 'M-123456'],
  ['US', 'DE 1234567', 'DE 1234567'],
  ['ZZ', 'REG/2020/77', 'REG/2020/77'],
  ['ZZ', 'A', null],
  ['ZZ', 'ABC<script>', null],
];

describe('registration numbers per country', () => {
  it.each(registrations)('%s %s', (country, input, expected) => {
    const r = validateRegistrationNumber(country, input);
    if (expected === null) {
      expect(r).toMatchObject({ ok: false, code: 'invalid_registration_number' });
    } else {
      expect(r).toEqual({ ok: true, normalized: expected });
    }
  });
});

describe('ownership shares', () => {
  it.each([
    ['25', 2500, '25%'],
    ['33.33', 3333, '33.33%'],
    ['12.5', 1250, '12.5%'],
    ['100', 10000, '100%'],
    ['0.01', 1, '0.01%'],
  ] as const)('%s%% is %i basis points', (text, bp, shown) => {
    expect(parseOwnershipPercent(text)).toEqual({ ok: true, basisPoints: bp });
    expect(formatOwnership(bp)).toBe(shown);
  });

  it.each(['0', '100.01', '101', '-5', '25.123', '1e2', '', 'twenty'])('%s is refused', (text) => {
    expect(parseOwnershipPercent(text).ok).toBe(false);
  });
});

describe('the reference data drives the rules', () => {
  it('is versioned and lists every country once, with business ids that each validate', () => {
    expect(REFERENCE_DATA_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const codes = COUNTRIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const country of COUNTRIES) {
      expect(country.businessIds.length).toBeGreaterThan(0);
      expect(country.individualIds.length).toBeGreaterThan(0);
      expect(validateRegistrationNumber(country.code, country.registration.example)).toMatchObject({ ok: true });
    }
  });

  it('asks a business for its four company documents and an unknown country for a generic TIN', () => {
    expect(requiredDocuments('business', 'AR')).toEqual(['certificate_of_incorporation', 'articles_of_association', 'proof_of_address', 'shareholder_register']);
    expect(identificationTypes('ZZ', 'business').map((t) => t.type)).toEqual(['tin']);
    expect(identificationTypes('BR', 'business').map((t) => t.type)).toEqual(['cnpj']);
    expect(identificationTypes('BR', 'individual').map((t) => t.type)).toEqual(['cpf']);
  });

  it('the shared form schema reports each bad field with its named code', () => {
    const r = businessFieldsSchema.safeParse({
      legalName: 'Acme SA',
      incorporationCountry: 'ar',
      registrationNumber: '12345678',
      incorporationDate: '2015-03-02',
      taxId: { country: 'AR', kind: 'cuit', value: '30-54668997-8' },
    });
    expect(r.success).toBe(false);
    const codes = r.error!.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code]);
    expect(codes).toEqual([
      ['registrationNumber', 'invalid_registration_number'],
      ['taxId.value', 'invalid_tax_id'],
    ]);
  });
});
