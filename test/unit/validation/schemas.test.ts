import { describe, expect, it } from 'vitest';
import { makeBankAccountFormSchemas, makeClientFormSchema } from '@shared/validation/schemas';

const clock = { today: () => '2026-11-25' };
const clientForm = makeClientFormSchema(clock);

const client = {
  legalName: 'Juan Carlos García Pérez',
  dateOfBirth: '1990-05-01',
  nationality: 'ar',
  address: { line1: 'Av. Corrientes 1234', city: 'Buenos Aires', postalCode: 'C1043', country: 'AR' },
  email: 'Juan.Garcia@Example.com',
  phone: '+54 9 11 2345-6789',
  taxId: { country: 'AR', kind: 'CUIT', value: '20-12345678-6' },
  idDocument: { type: 'national_id', number: '12345678', issuingCountry: 'AR', expiresOn: '2030-01-01' },
};

/** What a form shows: field path and named code per issue. */
function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; params?: unknown }> } }) {
  return (result.error?.issues ?? []).map((i) => [i.path.join('.'), (i.params as { code?: string } | undefined)?.code]);
}

describe('client form schema', () => {
  it('accepts a complete client and returns normalized values', () => {
    const result = clientForm.safeParse(client);
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({
      nationality: 'AR',
      email: 'juan.garcia@example.com',
      phone: '+5491123456789',
      taxId: { country: 'AR', kind: 'cuit', value: '20123456786' },
    });
  });

  it('accepts a client without an ID document', () => {
    const { idDocument: _omitted, ...withoutDocument } = client;
    expect(clientForm.safeParse(withoutDocument).success).toBe(true);
  });

  it.each([
    ['taxId', { taxId: { country: 'AR', kind: 'cuit', value: '20-12345678-7' } }, 'taxId.value', 'invalid_tax_id'],
    ['taxId', { taxId: { country: 'BR', kind: 'cpf', value: '529.982.247-24' } }, 'taxId.value', 'invalid_tax_id'],
    ['dateOfBirth', { dateOfBirth: '2010-01-01' }, 'dateOfBirth', 'underage'],
    ['dateOfBirth', { dateOfBirth: '2027-01-01' }, 'dateOfBirth', 'invalid_date_of_birth'],
    ['email', { email: 'juan@' }, 'email', 'invalid_email'],
    ['phone', { phone: '+54 11' }, 'phone', 'invalid_phone'],
    ['idDocument', { idDocument: { ...client.idDocument, expiresOn: '2026-11-24' } }, 'idDocument.expiresOn', 'id_document_expired'],
  ])('refuses a bad %s with a named code', (_field, patch, path, code) => {
    expect(issues(clientForm.safeParse({ ...client, ...patch }))).toEqual([[path, code]]);
  });

  it('reports every bad field at once, so a form can mark them all', () => {
    const result = clientForm.safeParse({ ...client, email: 'x', phone: '1', dateOfBirth: '2015-01-01' });
    expect(issues(result)).toEqual([
      ['dateOfBirth', 'underage'],
      ['email', 'invalid_email'],
      ['phone', 'invalid_phone'],
    ]);
  });

  it('decides age on the clock it is given', () => {
    const turningEighteen = { ...client, dateOfBirth: '2008-11-26' };
    expect(makeClientFormSchema({ today: () => '2026-11-25' }).safeParse(turningEighteen).success).toBe(false);
    expect(makeClientFormSchema({ today: () => '2026-11-26' }).safeParse(turningEighteen).success).toBe(true);
  });
});

describe('bank account form schemas', () => {
  const forClient = makeBankAccountFormSchemas({ clientLegalName: client.legalName });

  it.each([
    [{ rail: 'sepa', holderName: 'GARCIA PEREZ JUAN CARLOS', iban: 'de89 3704 0044 0532 0130 00' }, { iban: 'DE89370400440532013000' }],
    [{ rail: 'spei', holderName: 'Juan Carlos Garcia Perez', clabe: '002 010 07777777777 1' }, { clabe: '002010077777777771' }],
    [{ rail: 'ach', holderName: 'Juan Carlos Garcia Perez', routingNumber: '011000015', accountNumber: '123456789', accountType: 'checking' }, { routingNumber: '011000015' }],
    [{ rail: 'pix', holderName: 'Juan Carlos Garcia Perez', keyType: 'phone', key: '(11) 98765-4321' }, { key: '+5511987654321' }],
    [{ rail: 'ar_transfer', holderName: 'GARCIA PEREZ, JUAN CARLOS', cbu: '2850590940090418135201' }, { cbu: '2850590940090418135201' }],
  ])('accepts %j and normalizes it', (form, normalized) => {
    const result = forClient.any.safeParse(form);
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject(normalized);
  });

  it.each([
    [{ rail: 'sepa', holderName: 'Juan Carlos Garcia Perez', iban: 'GB82WEST12345698765433' }, 'iban', 'invalid_iban'],
    [{ rail: 'spei', holderName: 'Juan Carlos Garcia Perez', clabe: '002010077777777772' }, 'clabe', 'invalid_clabe'],
    [{ rail: 'ach', holderName: 'Juan Carlos Garcia Perez', routingNumber: '011000016', accountNumber: '123456789', accountType: 'savings' }, 'routingNumber', 'invalid_routing_number'],
    [{ rail: 'pix', holderName: 'Juan Carlos Garcia Perez', keyType: 'cpf', key: '529.982.247-24' }, 'key', 'invalid_pix_key'],
    [{ rail: 'ar_transfer', holderName: 'Juan Carlos Garcia Perez', cbu: '2850590940090418135202' }, 'cbu', 'invalid_cbu'],
    [{ rail: 'ar_transfer', holderName: 'Pedro Gomez', cbu: '2850590940090418135201' }, 'holderName', 'holder_name_mismatch'],
  ])('refuses %j on %s with %s', (form, path, code) => {
    expect(issues(forClient.any.safeParse(form))).toEqual([[path, code]]);
  });

  it('each rail schema stands alone for its own form', () => {
    expect(forClient.spei.safeParse({ rail: 'spei', holderName: 'Juan Carlos García Pérez', clabe: '002010077777777771' }).success).toBe(true);
    expect(forClient.spei.safeParse({ rail: 'sepa', holderName: 'Juan Carlos García Pérez', iban: 'DE89370400440532013000' }).success).toBe(false);
  });

  it('skips the holder check when no client name is given (the form before a client is chosen)', () => {
    const anyHolder = makeBankAccountFormSchemas();
    expect(anyHolder.any.safeParse({ rail: 'spei', holderName: 'Pedro Gomez', clabe: '002010077777777771' }).success).toBe(true);
  });
});
