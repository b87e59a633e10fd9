import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addressProblem } from '@renderer/forms/address';
import { fieldIssues } from '@renderer/forms/validation';
import { explainRefusal, isLibraryPhrase } from '@renderer/words/refusals';
import { formatDisplay } from '@renderer/words/amounts';
import { assetNameFromId, railName } from '@renderer/words/names';

describe('refusals in the officer’s words', () => {
  const schema = z.object({ legalName: z.string().min(1), email: z.email(), nationality: z.enum(['ES', 'FR']), dateOfBirth: z.iso.date() }).strict();

  it('turns every zod issue of a form into a sentence naming the field by its label', () => {
    const issues = fieldIssues(schema, { legalName: '', email: 'no', nationality: 'Spain', dateOfBirth: '30/07/1990' });
    expect(issues).toEqual({
      legalName: 'Fill in legal name.',
      email: 'Enter an email address like name@example.com.',
      nationality: 'Choose nationality from the list.',
      dateOfBirth: 'Date of birth must be a date; pick it from the calendar.',
    });
    for (const sentence of Object.values(issues)) expect(isLibraryPhrase(sentence)).toBe(false);
  });

  it.each([
    // the engine's validation refusal with zod's own text in its details
    [
      { code: 'validation', message: 'The request is not valid.', details: { issues: [{ path: 'taxId.kind', message: 'Invalid option: expected one of "nif"|"nie"' }] } },
      'Choose tax ID type from the list.',
    ],
    [
      { code: 'validation', message: 'The request is not valid.', details: { issues: [{ path: 'walletId', message: 'Invalid input: expected string, received undefined' }] } },
      'Fill in wallet.',
    ],
    // camelCase request names inside an engine sentence
    [{ code: 'kyc_incomplete', message: 'KYC is incomplete; missing: identityDocument, proofOfAddress' }, 'KYC is incomplete; missing: identity document, proof of address.'],
    // a bare code is never the main message
    [{ code: 'forbidden', message: 'forbidden' }, 'You are not allowed to do this.'],
  ] as const)('%j reads %s', (error, message) => {
    const refusal = explainRefusal(error as never);
    expect(refusal.message).toBe(message);
    expect(refusal.reference).toBe(error.code);
  });

  it('says what to do next for a refusal whose sentence does not', () => {
    expect(explainRefusal({ code: 'maker_checker', message: 'You requested this credit.' }).advice).toMatch(/Another operator/);
  });
});

describe('addresses checked as they are typed', () => {
  it.each([
    ['polygon', '0x8ba1f109551bD432803012645Ac136ddd64DBA72', undefined],
    ['polygon', '0x8ba1f109551bd432803012645ac136ddd64dba72', undefined], // all lower case carries no checksum
    ['polygon', '0x8ba1f109551bD432803012645Ac136ddd64DBa72', /checksum/],
    ['bsc', '0x8ba1f109551bD43280301264', /40 hexadecimal/],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', undefined],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', /checksum/],
    ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60', /34 characters/],
    ['tron', '', /Enter the destination/],
  ] as const)('%s %s', (chain, address, problem) => {
    const found = addressProblem(chain, address);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe('amounts and names as an officer reads them', () => {
  const pol = { decimals: 18, symbol: 'POL' };
  const usdt = { decimals: 6, symbol: 'USDT' };
  it.each([
    [4_999898663898728294n, pol, '4.9998', '4.999898663898728294'],
    [500_000000n, usdt, '500.00', '500'],
    [1_234_567_891234n, usdt, '1,234,567.89', '1234567.891234'],
    [10n ** 18n * 3n, pol, '3.00', '3'],
    [12n, pol, '<0.0001', '0.000000000000000012'],
  ] as const)('%s base units', (value, asset, text, exact) => {
    expect(formatDisplay(value, asset)).toEqual({ text, exact });
  });

  it('names assets, chains and rails', () => {
    expect(assetNameFromId('polygon:USDT')).toBe('USDT on Polygon');
    expect(assetNameFromId('bsc:BNB')).toBe('BNB on BNB Chain');
    expect(railName('ar_transfer')).toBe('Argentina transfer (CBU, ARS)');
    expect(railName('sepa')).toBe('SEPA (IBAN, EUR)');
  });
});

describe('messages the codebase wrote', () => {
  it('keeps a refinement’s own sentence, in the form’s words, and rewrites the library’s', () => {
    const schema = z.object({ taxId: z.object({ value: z.string().refine((v) => v.length > 3, 'taxId must have its check letter') }), name: z.string() });
    expect(fieldIssues(schema, { taxId: { value: 'ab' } })).toEqual({ 'taxId.value': 'Tax ID must have its check letter.', name: 'Fill in name.' });
  });
});
