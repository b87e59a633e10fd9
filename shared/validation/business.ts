/**
 * Business clients (KYB): the registration number and the company's tax id per country, and ownership
 * shares. Pure functions over the reference data (shared/reference/countries.ts): the renderer's forms and
 * the engine refuse the same values for the same reason.
 */
import { z } from 'zod';
import { GENERIC_REGISTRATION_PATTERN, identificationTypes, registrationFormat } from '../reference/countries';
import { validateTaxId, type TaxIdResult } from './tax-id';

export type RegistrationResult = { ok: true; normalized: string } | { ok: false; code: 'invalid_registration_number'; reason: string };

/** A company register number: the country's own format where one is known, the generic pattern elsewhere. */
export function validateRegistrationNumber(country: string, value: string): RegistrationResult {
  const v = value.trim().toUpperCase().replace(/\s+/g, ' ');
  const format = registrationFormat(country);
  const pattern = new RegExp(format.pattern ?? GENERIC_REGISTRATION_PATTERN);
  if (!pattern.test(v)) {
    return { ok: false, code: 'invalid_registration_number', reason: `${format.label} must look like ${format.example}` };
  }
  return { ok: true, normalized: v };
}

/** Spanish company NIFs start with the letter of the entity's form; the others belong to people. */
const ES_COMPANY_LETTERS = /^[ABCDEFGHJNPQRSUVW]/;
/** AFIP gives legal entities CUITs starting 30, 33 or 34. */
const AR_COMPANY_PREFIXES = new Set(['30', '33', '34']);

/**
 * A company's tax id: the kind must be one the country issues to businesses, the number must pass that
 * kind's check digits, and where the number tells a person from a company it must be a company's.
 */
export function validateBusinessTaxId(country: string, kind: string, value: string): TaxIdResult {
  const cc = country.trim().toUpperCase();
  const k = kind.trim().toLowerCase();
  const kinds = identificationTypes(cc, 'business');
  if (!kinds.some((t) => t.type === k)) {
    return { ok: false, code: 'invalid_tax_id', reason: `a company in ${cc} is identified by ${kinds.map((t) => t.label).join(' or ')}` };
  }
  const r = validateTaxId(cc, k, value);
  if (!r.ok) return r;
  const personal = (reason: string): TaxIdResult => ({ ok: false, code: 'invalid_tax_id', reason });
  if (cc === 'AR' && !AR_COMPANY_PREFIXES.has(r.normalized.slice(0, 2))) return personal('CUIT prefix must be 30, 33 or 34 for a company');
  if (cc === 'MX' && r.normalized.length !== 12) return personal('a company RFC has 12 characters (3 letters, the date, the homoclave)');
  if (cc === 'ES' && !ES_COMPANY_LETTERS.test(r.normalized)) return personal('a company NIF starts with the letter of its legal form');
  if (cc === 'PE' && !r.normalized.startsWith('20')) return personal('a company RUC starts with 20');
  return r;
}

export type OwnershipResult = { ok: true; basisPoints: number } | { ok: false; code: 'validation'; reason: string };

/** "25", "33.33": a share of the company in percent with at most two decimals, kept as basis points. */
export function parseOwnershipPercent(text: string): OwnershipResult {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return { ok: false, code: 'validation', reason: 'ownership must be a percentage with at most two decimals' };
  const basisPoints = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (basisPoints <= 0 || basisPoints > 10_000) return { ok: false, code: 'validation', reason: 'ownership must be more than 0% and at most 100%' };
  return { ok: true, basisPoints };
}

export function formatOwnership(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const cents = basisPoints % 100;
  return cents === 0 ? `${whole}%` : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}%`;
}

type Ctx = z.core.$RefinementCtx;
const report = (ctx: Ctx, code: string, message: string, path: PropertyKey[]) => ctx.addIssue({ code: 'custom', message, path, params: { code } });

/** The company fields the window's form and the engine's completeness check share. */
export const businessFieldsSchema = z
  .object({
    legalName: z.string().trim().min(2, 'legal name is required').max(200),
    tradeName: z.string().trim().max(200).optional(),
    incorporationCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code'),
    registrationNumber: z.string().trim().min(1, 'registration number is required'),
    incorporationDate: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
    taxId: z.object({ country: z.string().trim().toUpperCase(), kind: z.string().trim().toLowerCase(), value: z.string().trim().min(1, 'tax id is required') }),
  })
  .superRefine((b, ctx) => {
    const reg = validateRegistrationNumber(b.incorporationCountry, b.registrationNumber);
    if (!reg.ok) report(ctx, reg.code, reg.reason, ['registrationNumber']);
    const tax = validateBusinessTaxId(b.taxId.country, b.taxId.kind, b.taxId.value);
    if (!tax.ok) report(ctx, tax.code, tax.reason, ['taxId', 'value']);
  });
