/**
 * Bank account identifiers by the rail fiat moves on (SEPA, SPEI, ACH, PIX, AR transfers), each with
 * its published check-digit rule. A refusal names the field and the error code the forms show.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { validateCnpj, validateCpf } from './tax-id';
import { validateEmail } from './person';

export const BANK_RAILS = ['sepa', 'spei', 'ach', 'pix', 'ar_transfer'] as const;
export type BankRail = (typeof BANK_RAILS)[number];

export const ACH_ACCOUNT_TYPES = ['checking', 'savings'] as const;
export type AchAccountType = (typeof ACH_ACCOUNT_TYPES)[number];

export const PIX_KEY_TYPES = ['cpf', 'cnpj', 'email', 'phone', 'random'] as const;
export type PixKeyType = (typeof PIX_KEY_TYPES)[number];

export interface SepaAccount { iban: string; bic?: string }
export interface SpeiAccount { clabe: string }
export interface AchAccount { routingNumber: string; accountNumber: string; accountType: AchAccountType }
export interface PixAccount { keyType: PixKeyType; key: string }
export interface ArTransferAccount { cbu: string }

export interface BankAccountFieldsByRail {
  sepa: SepaAccount;
  spei: SpeiAccount;
  ach: AchAccount;
  pix: PixAccount;
  ar_transfer: ArTransferAccount;
}

export type BankAccountErrorCode =
  | 'unknown_rail'
  | 'invalid_iban'
  | 'iban_not_sepa'
  | 'invalid_bic'
  | 'invalid_clabe'
  | 'invalid_routing_number'
  | 'invalid_account_number'
  | 'invalid_account_type'
  | 'invalid_pix_key_type'
  | 'invalid_pix_key'
  | 'invalid_cbu';

export interface BankAccountError {
  ok: false;
  code: BankAccountErrorCode;
  /** The form field the refusal belongs to, so a form can show it next to the input. */
  field: string;
  reason: string;
}

export type BankAccountResult<R extends BankRail = BankRail> =
  | { ok: true; rail: R; fields: BankAccountFieldsByRail[R] }
  | BankAccountError;

function refuse(code: BankAccountErrorCode, field: string, reason: string): BankAccountError {
  return { ok: false, code, field, reason };
}

/** People paste identifiers with spaces and dashes from statements; those carry no meaning. */
function compact(value: string): string {
  return value.replace(/[\s\-.]/g, '').toUpperCase();
}

function digitsOf(value: string): number[] {
  return Array.from(value, (ch) => ch.charCodeAt(0) - 48);
}

// --- SEPA: IBAN (ISO 13616, mod 97) --------------------------------------------------------------

/** IBAN length per country, from the SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/**
 * IBAN country codes inside the SEPA schemes' geographical scope: EU, EEA, CH, GB, MC, SM, VA, AD,
 * GI, and since 2024-2025 AL, ME, MD and MK. French overseas departments and the Crown
 * dependencies bank under FR and GB IBANs.
 */
export const SEPA_IBAN_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV',
  'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  'IS', 'LI', 'NO', 'CH', 'GB', 'MC', 'SM', 'VA', 'AD', 'GI', 'AL', 'ME', 'MD', 'MK',
]);

/** Remainder of the IBAN's rearranged numeric form mod 97, computed in chunks to stay within a number. */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48; // A=10 … Z=35
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}

export type IbanResult = { ok: true; iban: string; country: string } | BankAccountError;

export function validateIban(raw: string): IbanResult {
  const iban = compact(raw);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return refuse('invalid_iban', 'iban', 'IBAN must be a country code, 2 check digits and the account');
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return refuse('invalid_iban', 'iban', `${country} does not use IBAN`);
  if (iban.length !== length) return refuse('invalid_iban', 'iban', `${country} IBAN must have ${length} characters`);
  if (ibanMod97(iban) !== 1) return refuse('invalid_iban', 'iban', 'IBAN check digits do not match');
  return { ok: true, iban, country };
}

/** BIC (ISO 9362): bank 4, country 2, location 2, optional branch 3. */
export function validateBic(raw: string): { ok: true; bic: string } | BankAccountError {
  const bic = compact(raw);
  if (!/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
    return refuse('invalid_bic', 'bic', 'BIC must be 8 or 11 letters and digits');
  }
  return { ok: true, bic };
}

function validateSepa(fields: SepaAccount): BankAccountResult<'sepa'> {
  const iban = validateIban(fields.iban);
  if (!iban.ok) return iban;
  if (!SEPA_IBAN_COUNTRIES.has(iban.country)) {
    return refuse('iban_not_sepa', 'iban', `${iban.country} IBANs are not reachable by SEPA transfers`);
  }
  if (fields.bic === undefined || fields.bic.trim() === '') return { ok: true, rail: 'sepa', fields: { iban: iban.iban } };
  const bic = validateBic(fields.bic);
  if (!bic.ok) return bic;
  return { ok: true, rail: 'sepa', fields: { iban: iban.iban, bic: bic.bic } };
}

// --- SPEI: CLABE (Banxico, weights 3-7-1 mod 10) -------------------------------------------------

export function clabeCheckDigit(first17: string): number {
  let sum = 0;
  digitsOf(first17).forEach((d, i) => {
    sum += (d * ([3, 7, 1][i % 3] ?? 0)) % 10;
  });
  return (10 - (sum % 10)) % 10;
}

export function validateClabe(raw: string): { ok: true; clabe: string } | BankAccountError {
  const clabe = compact(raw);
  if (!/^\d{18}$/.test(clabe)) return refuse('invalid_clabe', 'clabe', 'CLABE must have 18 digits');
  if (clabeCheckDigit(clabe.slice(0, 17)) !== Number(clabe[17])) return refuse('invalid_clabe', 'clabe', 'CLABE check digit does not match');
  return { ok: true, clabe };
}

// --- ACH: ABA routing number (weights 3-7-1 mod 10) ----------------------------------------------

/** Federal Reserve district prefixes: 00-12 banks, 21-32 thrifts, 61-72 electronic, 80 traveler's checks. */
function isRoutingPrefix(prefix: number): boolean {
  return prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}

export function abaChecksum(routing: string): number {
  let sum = 0;
  digitsOf(routing).forEach((d, i) => {
    sum += d * ([3, 7, 1][i % 3] ?? 0);
  });
  return sum % 10;
}

export function validateRoutingNumber(raw: string): { ok: true; routingNumber: string } | BankAccountError {
  const routing = compact(raw);
  if (!/^\d{9}$/.test(routing)) return refuse('invalid_routing_number', 'routingNumber', 'routing number must have 9 digits');
  if (!isRoutingPrefix(Number(routing.slice(0, 2)))) {
    return refuse('invalid_routing_number', 'routingNumber', `routing number prefix ${routing.slice(0, 2)} is not a Federal Reserve district`);
  }
  if (abaChecksum(routing) !== 0) return refuse('invalid_routing_number', 'routingNumber', 'routing number checksum does not match');
  return { ok: true, routingNumber: routing };
}

function validateAch(fields: AchAccount): BankAccountResult<'ach'> {
  const routing = validateRoutingNumber(fields.routingNumber);
  if (!routing.ok) return routing;
  const accountNumber = compact(fields.accountNumber);
  // NACHA's DFI account number field holds up to 17 characters; banks issue digits only.
  if (!/^\d{4,17}$/.test(accountNumber)) {
    return refuse('invalid_account_number', 'accountNumber', 'account number must have 4 to 17 digits');
  }
  if (!(ACH_ACCOUNT_TYPES as readonly string[]).includes(fields.accountType)) {
    return refuse('invalid_account_type', 'accountType', 'account type must be checking or savings');
  }
  return { ok: true, rail: 'ach', fields: { routingNumber: routing.routingNumber, accountNumber, accountType: fields.accountType } };
}

// --- PIX keys (BCB DICT) -------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function validatePixKey(keyType: string, raw: string): { ok: true; keyType: PixKeyType; key: string } | BankAccountError {
  const bad = (reason: string) => refuse('invalid_pix_key', 'key', reason);
  switch (keyType) {
    case 'cpf': {
      const r = validateCpf(raw);
      return r.ok ? { ok: true, keyType, key: r.normalized } : bad(`PIX key: ${r.reason}`);
    }
    case 'cnpj': {
      const r = validateCnpj(raw);
      return r.ok ? { ok: true, keyType, key: r.normalized } : bad(`PIX key: ${r.reason}`);
    }
    case 'email': {
      const r = validateEmail(raw);
      // DICT caps email keys at 77 characters.
      if (!r.ok) return bad(`PIX key: ${r.reason}`);
      if (r.email.length > 77) return bad('PIX email key must have at most 77 characters');
      return { ok: true, keyType, key: r.email };
    }
    case 'phone': {
      // A PIX phone key is a Brazilian mobile in E.164 (+55, area code, 9 digits).
      const phone = parsePhoneNumberFromString(raw.trim(), 'BR');
      if (!phone || phone.country !== 'BR' || !isValidPhoneNumber(phone.number)) {
        return bad('PIX phone key must be a valid Brazilian number (+55 …)');
      }
      const type = phone.getType();
      if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return bad('PIX phone key must be a mobile number');
      return { ok: true, keyType, key: phone.number };
    }
    case 'random': {
      // The random key (EVP) is a UUID the DICT generates; it is stored in lower case.
      const key = raw.trim().toLowerCase();
      return UUID.test(key) ? { ok: true, keyType, key } : bad('PIX random key must be a UUID');
    }
    default:
      return refuse('invalid_pix_key_type', 'keyType', 'PIX key type must be cpf, cnpj, email, phone or random');
  }
}

function validatePix(fields: PixAccount): BankAccountResult<'pix'> {
  const r = validatePixKey(fields.keyType, fields.key);
  if (!r.ok) return r;
  return { ok: true, rail: 'pix', fields: { keyType: r.keyType, key: r.key } };
}

// --- Argentina: CBU / CVU (BCRA, two check digits) -----------------------------------------------

function cbuBlockCheckDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  digitsOf(digits).forEach((d, i) => {
    sum += d * (weights[i] ?? 0);
  });
  return (10 - (sum % 10)) % 10;
}

/** First block: entity (3) + branch (4) + check digit. */
export function cbuFirstCheckDigit(first7: string): number {
  return cbuBlockCheckDigit(first7, [7, 1, 3, 9, 7, 1, 3]);
}

/** Second block: account (13) + check digit. */
export function cbuSecondCheckDigit(account13: string): number {
  return cbuBlockCheckDigit(account13, [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]);
}

export function validateCbu(raw: string): { ok: true; cbu: string; isCvu: boolean } | BankAccountError {
  const cbu = compact(raw);
  if (!/^\d{22}$/.test(cbu)) return refuse('invalid_cbu', 'cbu', 'CBU/CVU must have 22 digits');
  if (cbuFirstCheckDigit(cbu.slice(0, 7)) !== Number(cbu[7])) return refuse('invalid_cbu', 'cbu', 'CBU/CVU first check digit (bank and branch) does not match');
  if (cbuSecondCheckDigit(cbu.slice(8, 21)) !== Number(cbu[21])) return refuse('invalid_cbu', 'cbu', 'CBU/CVU second check digit (account) does not match');
  // A CVU (payment-service provider account) is a CBU whose entity code is 000.
  return { ok: true, cbu, isCvu: cbu.startsWith('000') };
}

function validateArTransfer(fields: ArTransferAccount): BankAccountResult<'ar_transfer'> {
  const r = validateCbu(fields.cbu);
  if (!r.ok) return r;
  return { ok: true, rail: 'ar_transfer', fields: { cbu: r.cbu } };
}

// --- Entry point ---------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(fields: Record<string, unknown>, name: string): string {
  const v = fields[name];
  return typeof v === 'string' ? v : '';
}

/**
 * Validates the fields of a bank account on a rail and returns them normalized
 * (IBAN/BIC upper case without spaces, digits only for CLABE/routing/CBU, E.164 for PIX phones).
 * Fields arrive from untrusted forms, so a missing or non-string field is refused, never thrown on.
 */
export function validateBankAccount<R extends BankRail>(rail: R, fields: unknown): BankAccountResult<R>;
export function validateBankAccount(rail: string, fields: unknown): BankAccountResult;
export function validateBankAccount(rail: string, fields: unknown): BankAccountResult {
  const f = isRecord(fields) ? fields : {};
  switch (rail) {
    case 'sepa': {
      const bic = f['bic'];
      return validateSepa({ iban: text(f, 'iban'), ...(typeof bic === 'string' ? { bic } : {}) });
    }
    case 'spei': {
      const r = validateClabe(text(f, 'clabe'));
      return r.ok ? { ok: true, rail: 'spei', fields: { clabe: r.clabe } } : r;
    }
    case 'ach':
      return validateAch({
        routingNumber: text(f, 'routingNumber'),
        accountNumber: text(f, 'accountNumber'),
        accountType: text(f, 'accountType') as AchAccountType,
      });
    case 'pix':
      return validatePix({ keyType: text(f, 'keyType') as PixKeyType, key: text(f, 'key') });
    case 'ar_transfer':
      return validateArTransfer({ cbu: text(f, 'cbu') });
    default:
      return refuse('unknown_rail', 'rail', `rail must be one of ${BANK_RAILS.join(', ')}`);
  }
}
