/**
 * A client's personal data: phone (E.164), email, date of birth (adult), bank holder name against the
 * legal name, and ID document expiry. Dates are calendar dates ('YYYY-MM-DD'); the caller passes the
 * reference date so results do not depend on when or where the check runs.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PersonErrorCode =
  | 'invalid_phone'
  | 'invalid_email'
  | 'invalid_date'
  | 'invalid_date_of_birth'
  | 'underage'
  | 'holder_name_mismatch'
  | 'id_document_expired';

export interface PersonError<C extends PersonErrorCode = PersonErrorCode> {
  ok: false;
  code: C;
  reason: string;
}

function refuse<C extends PersonErrorCode>(code: C, reason: string): PersonError<C> {
  return { ok: false, code, reason };
}

export const ADULT_AGE = 18;

// --- Phone ---------------------------------------------------------------------------------------

/**
 * Parses a phone number typed in any common format and returns it in E.164 (+5491123456789).
 * Without a leading + the number is read as national to `defaultCountry`.
 * Uses libphonenumber's full metadata, which checks the digits against each country's plan.
 */
export function normalizePhone(
  raw: string,
  defaultCountry?: string,
): { ok: true; e164: string; country: string | undefined } | PersonError<'invalid_phone'> {
  const value = raw.trim();
  if (value === '') return refuse('invalid_phone', 'phone number is empty');
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  let phone;
  try {
    phone = parsePhoneNumberFromString(value, country);
  } catch {
    phone = undefined;
  }
  if (!phone) return refuse('invalid_phone', 'phone number cannot be read; include the country code (+…)');
  if (!phone.isValid()) return refuse('invalid_phone', `${phone.number} is not a valid phone number`);
  return { ok: true, e164: phone.number, country: phone.country };
}

// --- Email ---------------------------------------------------------------------------------------

/**
 * A pragmatic address check (RFC 5321 lengths, dot-atom local part, a dotted domain with a letter
 * TLD). Deliverability is proven by a confirmation message, not by a pattern.
 */
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function validateEmail(raw: string): { ok: true; email: string } | PersonError<'invalid_email'> {
  const value = raw.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return refuse('invalid_email', 'email must be name@domain');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (value.length > 254 || local.length > 64) return refuse('invalid_email', 'email is too long');
  if (!EMAIL_LOCAL.test(local)) return refuse('invalid_email', 'email name part has characters that are not allowed');
  if (!EMAIL_DOMAIN.test(domain)) return refuse('invalid_email', 'email domain is not valid');
  // Providers treat the local part case-insensitively in practice; storing lower case avoids duplicates.
  return { ok: true, email: `${local.toLowerCase()}@${domain}` };
}

// --- Calendar dates ------------------------------------------------------------------------------

export interface CalendarDate { year: number; month: number; day: number }

export function parseCalendarDate(value: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** A Date is read as its UTC calendar day; pass 'YYYY-MM-DD' to pin the local day instead. */
function toCalendarDate(asOf: Date | string): CalendarDate | null {
  if (typeof asOf === 'string') return parseCalendarDate(asOf);
  if (Number.isNaN(asOf.getTime())) return null;
  return { year: asOf.getUTCFullYear(), month: asOf.getUTCMonth() + 1, day: asOf.getUTCDate() };
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Whole years completed; someone born on 29 February comes of age on 1 March in common years. */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

// --- Date of birth -------------------------------------------------------------------------------

/** Older than any living person: a typo rather than a client. */
const MAX_AGE = 130;

export function validateDateOfBirth(
  dateOfBirth: string,
  asOf: Date | string,
  minimumAge: number = ADULT_AGE,
): { ok: true; dateOfBirth: string; age: number } | PersonError<'invalid_date' | 'invalid_date_of_birth' | 'underage'> {
  const on = toCalendarDate(asOf);
  if (!on) return refuse('invalid_date', 'reference date is not a real date');
  const birth = parseCalendarDate(dateOfBirth);
  if (!birth) return refuse('invalid_date_of_birth', 'date of birth must be a real date as YYYY-MM-DD');
  if (compareDates(birth, on) > 0) return refuse('invalid_date_of_birth', 'date of birth is in the future');
  const age = ageOn(birth, on);
  if (age > MAX_AGE) return refuse('invalid_date_of_birth', `date of birth gives an age over ${MAX_AGE}`);
  if (age < minimumAge) return refuse('underage', `client must be at least ${minimumAge} years old (is ${age})`);
  return { ok: true, dateOfBirth: formatDate(birth), age };
}

// --- ID document expiry --------------------------------------------------------------------------

/** A document is valid through its expiry day and refused from the day after. */
export function checkIdDocumentExpiry(
  expiresOn: string,
  asOf: Date | string,
): { ok: true; expiresOn: string } | PersonError<'invalid_date' | 'id_document_expired'> {
  const on = toCalendarDate(asOf);
  if (!on) return refuse('invalid_date', 'reference date is not a real date');
  const expiry = parseCalendarDate(expiresOn);
  if (!expiry) return refuse('invalid_date', 'expiry date must be a real date as YYYY-MM-DD');
  if (compareDates(expiry, on) < 0) return refuse('id_document_expired', `ID document expired on ${formatDate(expiry)}`);
  return { ok: true, expiresOn: formatDate(expiry) };
}

// --- Holder name ---------------------------------------------------------------------------------

/**
 * Connecting words that one registry writes and another drops ("María de los Ángeles", "Silva e Souza").
 * Ignored on both sides so their presence alone never decides a match.
 */
const NAME_PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e', 'da', 'das', 'do', 'dos', 'di', 'van', 'von']);

/** Name tokens, lower case, without accents or punctuation ("PÉREZ-GARCÍA, Juan" → juan garcia perez). */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.]/g, '') // "O'Brien" and "S.A." keep one token
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '' && !NAME_PARTICLES.has(t));
}

/**
 * The bank account holder must be the client. Both names must hold the same tokens, in any order,
 * so "GARCIA PEREZ JUAN CARLOS" matches "Juan Carlos García Pérez"; a missing or extra name does not.
 */
export function matchHolderName(
  holderName: string,
  clientLegalName: string,
): { ok: true } | PersonError<'holder_name_mismatch'> {
  const holder = nameTokens(holderName).sort();
  const client = nameTokens(clientLegalName).sort();
  if (holder.length === 0) return refuse('holder_name_mismatch', 'account holder name is empty');
  const same = holder.length === client.length && holder.every((t, i) => t === client[i]);
  return same
    ? { ok: true }
    : refuse('holder_name_mismatch', 'account holder name does not match the client legal name');
}
