/**
 * Tax identification numbers by country, with each authority's check-digit rule.
 * Pure functions: the renderer's forms and the engine refuse the same values for the same reason.
 */

export type TaxIdResult =
  | { ok: true; normalized: string; kind: string }
  | { ok: false; code: 'invalid_tax_id'; reason: string };

/** The kinds each country accepts; a country not listed takes `'generic'` (or any kind) with a plain format check. */
export const TAX_ID_KINDS = {
  AR: ['cuit', 'cuil'],
  BR: ['cpf', 'cnpj'],
  MX: ['rfc'],
  CL: ['rut'],
  CO: ['nit'],
  PE: ['ruc'],
  ES: ['nif', 'nie'],
  US: ['ssn', 'ein'],
} as const satisfies Record<string, readonly string[]>;

type CheckedCountry = keyof typeof TAX_ID_KINDS;

function refuse(reason: string): TaxIdResult {
  return { ok: false, code: 'invalid_tax_id', reason };
}

function accept(normalized: string, kind: string): TaxIdResult {
  return { ok: true, normalized, kind };
}

/** People type ids with dots, dashes, slashes and spaces; none of them carry meaning. */
function stripSeparators(value: string): string {
  return value.replace(/[\s.\-/]/g, '').toUpperCase();
}

function digitsOf(value: string): number[] {
  return Array.from(value, (ch) => ch.charCodeAt(0) - 48);
}

function weightedSum(values: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  values.forEach((v, i) => {
    sum += v * (weights[i] ?? 0);
  });
  return sum;
}

function allSameChar(value: string): boolean {
  return /^(.)\1*$/.test(value);
}

// --- Argentina: CUIT / CUIL (AFIP/ARCA mod 11) ---------------------------------------------------

const CUIT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/** Persons (20, 23, 24, 27) and legal entities (30, 33, 34); 25/26 were issued to persons too. */
const CUIT_PREFIXES = new Set(['20', '23', '24', '25', '26', '27', '30', '33', '34']);
const CUIL_PREFIXES = new Set(['20', '23', '24', '27']);

export function cuitCheckDigit(first10: string): number | null {
  const r = 11 - (weightedSum(digitsOf(first10), CUIT_WEIGHTS) % 11);
  // 10 means AFIP never issues that body with that prefix (it moves the person to prefix 23/33).
  if (r === 11) return 0;
  if (r === 10) return null;
  return r;
}

function validateCuit(kind: 'cuit' | 'cuil', raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^\d{11}$/.test(v)) return refuse(`${kind.toUpperCase()} must have 11 digits`);
  const prefixes = kind === 'cuil' ? CUIL_PREFIXES : CUIT_PREFIXES;
  if (!prefixes.has(v.slice(0, 2))) return refuse(`${kind.toUpperCase()} prefix ${v.slice(0, 2)} is not issued`);
  if (cuitCheckDigit(v.slice(0, 10)) !== Number(v[10])) return refuse(`${kind.toUpperCase()} check digit does not match`);
  return accept(v, kind);
}

// --- Brazil: CPF / CNPJ (Receita Federal mod 11) -------------------------------------------------

function brMod11(values: readonly number[], weights: readonly number[]): number {
  const r = weightedSum(values, weights) % 11;
  return r < 2 ? 0 : 11 - r;
}

export function cpfCheckDigits(first9: string): string {
  const d = digitsOf(first9);
  const d1 = brMod11(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = brMod11([...d, d1], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${d1}${d2}`;
}

export function validateCpf(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^\d{11}$/.test(v)) return refuse('CPF must have 11 digits');
  // 000.000.000-00 … 999.999.999-99 pass the arithmetic but are never issued.
  if (allSameChar(v)) return refuse('CPF with all digits equal is not issued');
  if (cpfCheckDigits(v.slice(0, 9)) !== v.slice(9)) return refuse('CPF check digits do not match');
  return accept(v, 'cpf');
}

const CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * Since July 2026 the 12-character CNPJ body may hold letters; each character is worth its ASCII
 * code minus 48 (RFB Nota Técnica 49/2024), which leaves all-digit CNPJs computing as before.
 */
export function cnpjCheckDigits(first12: string): string {
  const d = digitsOf(first12);
  const d1 = brMod11(d, CNPJ_W1);
  const d2 = brMod11([...d, d1], CNPJ_W2);
  return `${d1}${d2}`;
}

export function validateCnpj(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^[0-9A-Z]{12}\d{2}$/.test(v)) return refuse('CNPJ must have 12 letters or digits and 2 check digits');
  if (allSameChar(v)) return refuse('CNPJ with all characters equal is not issued');
  if (cnpjCheckDigits(v.slice(0, 12)) !== v.slice(12)) return refuse('CNPJ check digits do not match');
  return accept(v, 'cnpj');
}

// --- Mexico: RFC (SAT) ---------------------------------------------------------------------------

/** SAT's value table for the RFC check digit ("Anexo 3"); the space pads a 12-character RFC. */
const RFC_CHARSET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';

export function rfcCheckDigit(first: string): string {
  const padded = first.length === 11 ? ` ${first}` : first;
  let sum = 0;
  Array.from(padded).forEach((ch, i) => {
    sum += RFC_CHARSET.indexOf(ch) * (13 - i);
  });
  const r = sum % 11;
  if (r === 0) return '0';
  return r === 1 ? 'A' : String(11 - r);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function validateRfc(raw: string): TaxIdResult {
  const v = raw.replace(/[\s\-]/g, '').toUpperCase();
  const m = /^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{2})([0-9A])$/.exec(v);
  if (!m) return refuse('RFC must be 3 (company) or 4 (person) letters, a YYMMDD date and a 3-character homoclave');
  const [, , yy, mm, dd] = m;
  // The two-digit year could be either century; 29 Feb of "00" is real in 2000.
  const ok = [1900, 2000].some((c) => isRealDate(c + Number(yy), Number(mm), Number(dd)));
  if (!ok) return refuse(`RFC date ${yy}${mm}${dd} is not a real date`);
  // SAT's generic RFCs stand in for "general public" and "foreign resident" on invoices; they name no one.
  if (v === 'XAXX010101000' || v === 'XEXX010101000') return refuse(`${v} is a generic RFC, not the client's own`);
  if (rfcCheckDigit(v.slice(0, -1)) !== v.slice(-1)) return refuse('RFC check digit does not match');
  return accept(v, 'rfc');
}

// --- Chile: RUT (mod 11, K for 10) ---------------------------------------------------------------

export function rutCheckDigit(body: string): string {
  let sum = 0;
  const reversed = digitsOf(body).reverse();
  reversed.forEach((d, i) => {
    sum += d * (2 + (i % 6));
  });
  const r = 11 - (sum % 11);
  if (r === 11) return '0';
  return r === 10 ? 'K' : String(r);
}

function validateRut(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^\d{6,8}[0-9K]$/.test(v)) return refuse('RUT must be 6 to 8 digits and a check digit (0-9 or K)');
  const body = v.slice(0, -1).replace(/^0+/, '');
  if (body.length < 6) return refuse('RUT number is too short');
  if (rutCheckDigit(body) !== v.slice(-1)) return refuse('RUT check digit does not match');
  return accept(`${body}-${v.slice(-1)}`, 'rut');
}

// --- Colombia: NIT (DIAN prime weights) ----------------------------------------------------------

/** DIAN weights, applied from the rightmost digit of the body leftwards. */
const NIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

export function nitCheckDigit(body: string): number {
  let sum = 0;
  digitsOf(body)
    .reverse()
    .forEach((d, i) => {
      sum += d * (NIT_WEIGHTS[i] ?? 0);
    });
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

function validateNit(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^\d{6,15}$/.test(v)) return refuse('NIT must be 5 to 14 digits followed by its check digit');
  const body = v.slice(0, -1);
  if (nitCheckDigit(body) !== Number(v.slice(-1))) return refuse('NIT check digit does not match');
  return accept(`${body}-${v.slice(-1)}`, 'nit');
}

// --- Peru: RUC (SUNAT) ---------------------------------------------------------------------------

const RUC_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/** 10 persons with DNI, 15/16/17 persons with other documents, 20 legal entities. */
const RUC_PREFIXES = new Set(['10', '15', '16', '17', '20']);

export function rucCheckDigit(first10: string): number {
  return (11 - (weightedSum(digitsOf(first10), RUC_WEIGHTS) % 11)) % 10;
}

function validateRuc(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^\d{11}$/.test(v)) return refuse('RUC must have 11 digits');
  if (!RUC_PREFIXES.has(v.slice(0, 2))) return refuse(`RUC prefix ${v.slice(0, 2)} is not issued`);
  if (rucCheckDigit(v.slice(0, 10)) !== Number(v[10])) return refuse('RUC check digit does not match');
  return accept(v, 'ruc');
}

// --- Spain: NIF (DNI, K/L/M, CIF) and NIE --------------------------------------------------------

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

export function dniLetter(number: string): string {
  return DNI_LETTERS[Number(number) % 23] ?? '';
}

/** Company NIF (former CIF): digit for A B E H, letter for K P Q R S N W, either for the rest. */
function cifControl(body7: string): { digit: string; letter: string } {
  let sum = 0;
  digitsOf(body7).forEach((d, i) => {
    if (i % 2 === 1) {
      sum += d;
    } else {
      const doubled = d * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    }
  });
  const c = (10 - (sum % 10)) % 10;
  return { digit: String(c), letter: 'JABCDEFGHI'[c] ?? '' };
}

function validateNif(raw: string): TaxIdResult {
  const typed = stripSeparators(raw);
  // DNIs under 10 million are often typed without their leading zero.
  const v = /^\d{7}[A-Z]$/.test(typed) ? `0${typed}` : typed;
  if (/^\d{8}[A-Z]$/.test(v)) {
    return dniLetter(v.slice(0, 8)) === v[8] ? accept(v, 'nif') : refuse('NIF letter does not match');
  }
  // K, L and M NIFs go to Spaniards without a DNI; their letter uses the DNI table on the 7 digits.
  if (/^[KLM]\d{7}[A-Z]$/.test(v)) {
    return dniLetter(v.slice(1, 8)) === v[8] ? accept(v, 'nif') : refuse('NIF letter does not match');
  }
  if (/^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$/.test(v)) {
    const { digit, letter } = cifControl(v.slice(1, 8));
    const type = v[0] ?? '';
    const control = v[8];
    const wantsLetter = 'KPQRSNW'.includes(type);
    const wantsDigit = 'ABEH'.includes(type);
    const matches =
      (control === digit && !wantsLetter) || (control === letter && !wantsDigit);
    return matches ? accept(v, 'nif') : refuse('NIF control character does not match');
  }
  return refuse('NIF must be 8 digits and a letter, or a company letter, 7 digits and a control character');
}

function validateNie(raw: string): TaxIdResult {
  const v = stripSeparators(raw);
  if (!/^[XYZ]\d{7}[A-Z]$/.test(v)) return refuse('NIE must be X, Y or Z, 7 digits and a letter');
  const number = String('XYZ'.indexOf(v[0] ?? '')) + v.slice(1, 8);
  return dniLetter(number) === v[8] ? accept(v, 'nie') : refuse('NIE letter does not match');
}

// --- United States: SSN / EIN (format and issuance ranges; neither has a check digit) -------------

const VOIDED_SSNS = new Set(['078051120', '219099999']);

function validateSsn(raw: string): TaxIdResult {
  const v = raw.replace(/[\s\-]/g, '');
  if (!/^\d{9}$/.test(v)) return refuse('SSN must have 9 digits (AAA-GG-SSSS)');
  const area = v.slice(0, 3);
  const group = v.slice(3, 5);
  const serial = v.slice(5);
  // The SSA never issues these (and 9xx is reserved for ITINs).
  if (area === '000' || area === '666' || area.startsWith('9')) return refuse(`SSN area ${area} is never issued`);
  if (group === '00') return refuse('SSN group 00 is never issued');
  if (serial === '0000') return refuse('SSN serial 0000 is never issued');
  // Printed in advertising and then voided by the SSA; people still copy them from old wallets.
  if (VOIDED_SSNS.has(v)) return refuse(`SSN ${area}-${group}-${serial} was voided by the SSA`);
  return accept(`${area}-${group}-${serial}`, 'ssn');
}

/** IRS campus prefixes; 07-09, 17-19, 28-29, 49, 69-70, 78-79, 89, 96-97 and 00 are not assigned. */
const EIN_PREFIXES = new Set(
  [
    [1, 6], [10, 16], [20, 27], [30, 48], [50, 68], [71, 77], [80, 88], [90, 95], [98, 99],
  ].flatMap(([from = 0, to = 0]) =>
    Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0')),
  ),
);

function validateEin(raw: string): TaxIdResult {
  const v = raw.replace(/[\s\-]/g, '');
  if (!/^\d{9}$/.test(v)) return refuse('EIN must have 9 digits (NN-NNNNNNN)');
  if (!EIN_PREFIXES.has(v.slice(0, 2))) return refuse(`EIN prefix ${v.slice(0, 2)} is not assigned by the IRS`);
  return accept(`${v.slice(0, 2)}-${v.slice(2)}`, 'ein');
}

// --- Entry point ---------------------------------------------------------------------------------

type KindValidator = (value: string) => TaxIdResult;

const VALIDATORS: { [C in CheckedCountry]: Record<(typeof TAX_ID_KINDS)[C][number], KindValidator> } = {
  AR: { cuit: (v) => validateCuit('cuit', v), cuil: (v) => validateCuit('cuil', v) },
  BR: { cpf: validateCpf, cnpj: validateCnpj },
  MX: { rfc: validateRfc },
  CL: { rut: validateRut },
  CO: { nit: validateNit },
  PE: { ruc: validateRuc },
  ES: { nif: validateNif, nie: validateNie },
  US: { ssn: validateSsn, ein: validateEin },
};

function isCheckedCountry(country: string): country is CheckedCountry {
  return Object.prototype.hasOwnProperty.call(TAX_ID_KINDS, country);
}

/**
 * Validates a tax id for a country (ISO 3166 alpha-2) and kind (e.g. 'cuit', 'cpf', 'rfc').
 * Countries without a specific rule get a plain format check: 3 to 20 letters or digits.
 */
export function validateTaxId(country: string, kind: string, value: string): TaxIdResult {
  const cc = country.trim().toUpperCase();
  const k = kind.trim().toLowerCase();
  if (!/^[A-Z]{2}$/.test(cc)) return refuse('country must be an ISO 3166 alpha-2 code');
  if (isCheckedCountry(cc)) {
    const byKind: Record<string, KindValidator> = VALIDATORS[cc];
    const validate = byKind[k];
    if (!validate) return refuse(`${cc} tax id kind must be one of ${TAX_ID_KINDS[cc].join(', ')}`);
    return validate(value);
  }
  const v = stripSeparators(value);
  if (!/^[0-9A-Z]{3,20}$/.test(v)) return refuse('tax id must be 3 to 20 letters or digits');
  return accept(v, k || 'generic');
}
