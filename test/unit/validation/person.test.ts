import { describe, expect, it } from 'vitest';
import {
  checkIdDocumentExpiry,
  matchHolderName,
  normalizePhone,
  validateDateOfBirth,
  validateEmail,
} from '@shared/validation/person';

describe('normalizePhone', () => {
  it.each<[string, string | undefined, string, string]>([
    ['+54 9 11 2345-6789', undefined, '+5491123456789', 'Buenos Aires mobile, international'],
    ['011 15-2345-6789', 'AR', '+5491123456789', 'Buenos Aires mobile, local dialling with 15'],
    ['+55 (11) 98765-4321', undefined, '+5511987654321', 'São Paulo mobile'],
    ['(202) 456-1111', 'US', '+12024561111', 'US national format with a default country'],
    ['+52 55 1234 5678', undefined, '+525512345678', 'Mexico City'],
    ['+34 612 34 56 78', undefined, '+34612345678', 'Spanish mobile'],
    ['  +44 20 7946 0958 ', undefined, '+442079460958', 'London, surrounding spaces'],
  ])('%s (%s) -> %s (%s)', (input, country, e164) => {
    expect(normalizePhone(input, country)).toMatchObject({ ok: true, e164 });
  });

  it.each<[string, string | undefined, string]>([
    ['', undefined, 'empty'],
    ['12', undefined, 'too short'],
    ['2024561111', undefined, 'national number without a country'],
    ['+1 202 456 111', undefined, 'one digit short'],
    ['+54 9 11 2345-6789-12', undefined, 'too long'],
    ['call me', undefined, 'not a number'],
  ])('%s (%s) is refused as invalid_phone (%s)', (input, country) => {
    expect(normalizePhone(input, country)).toMatchObject({ ok: false, code: 'invalid_phone' });
  });
});

describe('validateEmail', () => {
  it.each([
    ['ana@example.com', 'ana@example.com'],
    [' Ana.Perez+treasury@Example.COM.ar ', 'ana.perez+treasury@example.com.ar'],
    ["o'brien@mail.example.ie", "o'brien@mail.example.ie"],
  ])('%s -> %s', (input, email) => {
    expect(validateEmail(input)).toEqual({ ok: true, email });
  });

  it.each([
    ['ana', 'no @'],
    ['ana@', 'no domain'],
    ['@example.com', 'no name'],
    ['ana@example', 'no top-level domain'],
    ['ana..perez@example.com', 'two dots in a row'],
    ['ana perez@example.com', 'space'],
    ['ana@exa_mple.com', 'underscore in the domain'],
    [`${'a'.repeat(65)}@example.com`, 'name part over 64'],
  ])('%s is refused as invalid_email (%s)', (input) => {
    expect(validateEmail(input)).toMatchObject({ ok: false, code: 'invalid_email' });
  });
});

describe('validateDateOfBirth', () => {
  const asOf = '2026-11-25';
  it.each([
    ['2008-11-25', 18, 'eighteenth birthday today'],
    ['1990-05-01', 36, 'adult'],
    ['1908-02-29', 118, 'leap day in a leap year'],
  ])('%s is an adult on 2026-11-25 (%s)', (dob, age) => {
    expect(validateDateOfBirth(dob, asOf)).toEqual({ ok: true, dateOfBirth: dob, age });
  });

  it.each([
    ['2008-11-26', 'underage', 'eighteen tomorrow'],
    ['2015-01-01', 'underage', 'child'],
    ['2027-01-01', 'invalid_date_of_birth', 'in the future'],
    ['2026-11-26', 'invalid_date_of_birth', 'tomorrow'],
    ['1990-02-30', 'invalid_date_of_birth', '30 February'],
    ['1990-2-3', 'invalid_date_of_birth', 'not YYYY-MM-DD'],
    ['1850-01-01', 'invalid_date_of_birth', 'over 130 years'],
  ])('%s is refused as %s (%s)', (dob, code) => {
    expect(validateDateOfBirth(dob, asOf)).toMatchObject({ ok: false, code });
  });

  it('lets a leap-day baby come of age on 1 March of a common year', () => {
    expect(validateDateOfBirth('2008-02-29', '2026-02-28')).toMatchObject({ ok: false, code: 'underage' });
    expect(validateDateOfBirth('2008-02-29', '2026-03-01')).toMatchObject({ ok: true, age: 18 });
  });

  it('reads a Date reference as its UTC day', () => {
    expect(validateDateOfBirth('2008-11-25', new Date('2026-11-25T00:30:00Z'))).toMatchObject({ ok: true });
    expect(validateDateOfBirth('2008-11-25', new Date('2026-11-24T23:30:00Z'))).toMatchObject({ code: 'underage' });
  });

  it('refuses an unreadable reference date', () => {
    expect(validateDateOfBirth('1990-01-01', new Date('nonsense'))).toMatchObject({ ok: false, code: 'invalid_date' });
  });
});

describe('checkIdDocumentExpiry', () => {
  it.each([
    ['2030-01-01', '2026-11-25', true, 'in the future'],
    ['2026-11-25', '2026-11-25', true, 'expires today: still valid today'],
    ['2026-11-24', '2026-11-25', false, 'expired yesterday'],
    ['2020-06-30', '2026-11-25', false, 'long expired'],
  ])('expiry %s checked on %s: ok=%s (%s)', (expiresOn, asOf, ok) => {
    const result = checkIdDocumentExpiry(expiresOn, asOf);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.code).toBe('id_document_expired');
  });

  it('refuses an expiry that is not a real date', () => {
    expect(checkIdDocumentExpiry('2030-02-30', '2026-11-25')).toMatchObject({ ok: false, code: 'invalid_date' });
  });
});

describe('matchHolderName', () => {
  it.each([
    ['Juan Carlos García Pérez', 'Juan Carlos García Pérez', 'identical'],
    ['JUAN CARLOS GARCIA PEREZ', 'Juan Carlos García Pérez', 'upper case without accents'],
    ['GARCIA PEREZ JUAN CARLOS', 'Juan Carlos García Pérez', 'surnames first, as banks print them'],
    ['García Pérez, Juan Carlos', 'Juan Carlos García Pérez', 'comma after the surnames'],
    ['  juan   carlos  garcia-perez ', 'Juan Carlos García Pérez', 'extra spaces and a hyphenated surname'],
    ['MARIA DE LOS ANGELES LOPEZ', 'María Ángeles López', 'connecting words dropped by one registry'],
    ['JOÃO DA SILVA', 'João Silva', 'Portuguese particle'],
    ["SEAN O'BRIEN", 'Seán OBrien', 'apostrophe'],
    ['ACME S.A.', 'Acme SA', 'company suffix with dots'],
  ])('%s matches %s (%s)', (holder, legal) => {
    expect(matchHolderName(holder, legal)).toEqual({ ok: true });
  });

  it.each([
    ['Juan Pérez', 'Juan Carlos García Pérez', 'given name and surname missing'],
    ['Juan Carlos García Pérez', 'Juan García Pérez', 'an extra given name'],
    ['Juana Garcia', 'Juan Garcia', 'different given name'],
    ['Juan Juan Garcia', 'Juan Garcia Garcia', 'same words, different counts'],
    ['', 'Juan García', 'empty holder'],
  ])('%s does not match %s (%s)', (holder, legal) => {
    expect(matchHolderName(holder, legal)).toMatchObject({ ok: false, code: 'holder_name_mismatch' });
  });
});
