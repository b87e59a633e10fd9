import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateTaxId } from '@shared/validation/tax-id';

/*
 * Valid values are public examples (tax authorities' own ids, SAT test RFCs, SERPRO's alphanumeric
 * CNPJ) or computed by hand with the rule named in the comment; each invalid one changes one thing.
 */
const valid: Array<[country: string, kind: string, input: string, normalized: string, note: string]> = [
  ['AR', 'cuit', '20-12345678-6', '20123456786', 'weights 5432765432: 11 - (247 mod 11) = 6'],
  ['AR', 'cuit', '33-69345023-9', '33693450239', 'AFIP own CUIT'],
  ['AR', 'cuit', '30-50001091-2', '30500010912', 'legal entity prefix 30'],
  ['AR', 'cuil', '27-12345678-0', '27123456780', 'remainder 0 gives check digit 0'],
  ['AR', 'cuil', '20 30123456 3', '20301234563', 'spaces as separators'],
  ['BR', 'cpf', '529.982.247-25', '52998224725', 'textbook CPF'],
  ['BR', 'cpf', '11144477735', '11144477735', 'without mask'],
  ['BR', 'cnpj', '11.222.333/0001-81', '11222333000181', 'textbook CNPJ'],
  ['BR', 'cnpj', '00.000.000/0001-91', '00000000000191', 'Banco do Brasil'],
  ['BR', 'cnpj', '12.ABC.345/01DE-35', '12ABC34501DE35', 'alphanumeric CNPJ (SERPRO example), ASCII - 48'],
  ['MX', 'rfc', 'GODE561231GR8', 'GODE561231GR8', 'SAT algorithm document example (persona fisica)'],
  ['MX', 'rfc', 'EKU9003173C9', 'EKU9003173C9', 'SAT test certificate RFC (persona moral, 12 chars)'],
  ['MX', 'rfc', 'xia190128j61', 'XIA190128J61', 'SAT test RFC, lower case typed'],
  ['MX', 'rfc', 'GODE000229GR4', 'GODE000229GR4', '29 Feb 2000 is real; check digit computed: 4'],
  ['CL', 'rut', '12.345.678-5', '12345678-5', 'mod 11 with weights 2..7 from the right'],
  ['CL', 'rut', '60.803.000-K', '60803000-K', 'SII own RUT, remainder gives K'],
  ['CL', 'rut', '76086428-5', '76086428-5', 'company RUT'],
  ['CO', 'nit', '800.197.268-4', '800197268-4', 'DIAN own NIT'],
  ['CO', 'nit', '890900608-9', '890900608-9', 'DIAN prime weights 3,7,13,...: check 9'],
  ['CO', 'nit', '52123456-2', '52123456-2', 'a cedula used as NIT'],
  ['PE', 'ruc', '20131312955', '20131312955', 'SUNAT own RUC'],
  ['PE', 'ruc', '20100047218', '20100047218', 'legal entity prefix 20'],
  ['PE', 'ruc', '10460278967', '10460278967', 'person prefix 10 + DNI; weights 5432765432: check 7'],
  ['ES', 'nif', '12345678Z', '12345678Z', '12345678 mod 23 = 14 -> Z'],
  ['ES', 'nif', '12345678-z', '12345678Z', 'lower case with dash'],
  ['ES', 'nif', '1234567L', '01234567L', 'DNI typed without its leading zero: 1234567 mod 23 = 19 -> L'],
  ['ES', 'nif', 'Q2826000H', 'Q2826000H', 'public body NIF, letter control'],
  ['ES', 'nif', 'A58818501', 'A58818501', 'company NIF (former CIF), digit control'],
  ['ES', 'nie', 'X1234567L', 'X1234567L', 'X -> 0: 01234567 mod 23 = 19 -> L'],
  ['ES', 'nie', 'Y0000000Z', 'Y0000000Z', 'Y -> 1: 10000000 mod 23 = 14 -> Z'],
  ['US', 'ssn', '123-45-6789', '123-45-6789', 'well-formed, in issued ranges'],
  ['US', 'ssn', '123456789', '123-45-6789', 'digits only'],
  ['US', 'ein', '12-3456789', '12-3456789', 'IRS prefix 12'],
  ['US', 'ein', '981234567', '98-1234567', 'IRS prefix 98'],
  ['FR', 'siren', '732 829 320', '732829320', 'no specific rule: plain format check'],
  ['de', 'steuer-id', 'AB12-CD', 'AB12CD', 'lower-case country, separators dropped'],
];

const invalid: Array<[country: string, kind: string, input: string, note: string]> = [
  ['AR', 'cuit', '20-12345678-7', 'check digit changed'],
  ['AR', 'cuit', '20-12345679-6', 'body digit changed'],
  ['AR', 'cuit', '40-12345678-6', 'prefix 40 is not issued'],
  ['AR', 'cuil', '30-50001091-2', 'CUIL is for persons; 30 is a company prefix'],
  ['AR', 'cuit', '2012345678', '10 digits'],
  ['BR', 'cpf', '529.982.247-24', 'second check digit changed'],
  ['BR', 'cpf', '529.982.248-25', 'body digit changed'],
  ['BR', 'cpf', '111.111.111-11', 'all equal digits pass the arithmetic but are never issued'],
  ['BR', 'cnpj', '11.222.333/0001-82', 'check digit changed'],
  ['BR', 'cnpj', '12.ABC.345/01DE-36', 'alphanumeric, check digit changed'],
  ['BR', 'cnpj', '00.000.000/0000-00', 'all zeros'],
  ['MX', 'rfc', 'GODE561231GR9', 'check digit changed'],
  ['MX', 'rfc', 'GODE561331GR8', 'month 13'],
  ['MX', 'rfc', 'GODE010229GR8', '29 Feb of a common year (1901 and 2001)'],
  ['MX', 'rfc', 'GOD1561231GR8', 'a digit among the name letters'],
  ['MX', 'rfc', 'XAXX010101000', 'generic RFC for the general public'],
  ['CL', 'rut', '12.345.678-K', 'check digit changed'],
  ['CL', 'rut', '60.803.000-1', 'K replaced by a digit'],
  ['CO', 'nit', '800.197.268-5', 'check digit changed'],
  ['CO', 'nit', '800.197.168-4', 'body digit changed'],
  ['PE', 'ruc', '20131312956', 'check digit changed'],
  ['PE', 'ruc', '30131312955', 'prefix 30 is not issued'],
  ['ES', 'nif', '12345678A', 'letter changed'],
  ['ES', 'nif', 'A58818502', 'company control digit changed'],
  ['ES', 'nie', 'X1234567A', 'letter changed'],
  ['ES', 'nie', '12345678Z', 'a DNI is not a NIE'],
  ['US', 'ssn', '000-12-3456', 'area 000'],
  ['US', 'ssn', '666-12-3456', 'area 666'],
  ['US', 'ssn', '912-34-5678', 'area 9xx'],
  ['US', 'ssn', '123-00-4567', 'group 00'],
  ['US', 'ssn', '123-45-0000', 'serial 0000'],
  ['US', 'ssn', '078-05-1120', 'voided advertising SSN'],
  ['US', 'ein', '07-1234567', 'prefix 07 is not assigned'],
  ['US', 'ein', '12-345678', '8 digits'],
  ['US', 'itin', '123456789', 'unknown kind for a checked country'],
  ['FR', 'siren', 'AB', 'shorter than 3'],
  ['FR', 'siren', 'ABC$123', 'symbol'],
  ['FRA', 'siren', '732829320', 'country is not alpha-2'],
];

describe('validateTaxId', () => {
  it.each(valid)('%s %s %s is accepted (%s)', (country, kind, input, normalized) => {
    expect(validateTaxId(country, kind, input)).toEqual({ ok: true, normalized, kind: kind.toLowerCase() });
  });

  it.each(invalid)('%s %s %s is refused (%s)', (country, kind, input) => {
    const result = validateTaxId(country, kind, input);
    expect(result).toMatchObject({ ok: false, code: 'invalid_tax_id' });
    if (!result.ok) expect(result.reason).not.toBe('');
  });
});

// Independent generators, written from the published rules rather than imported from the module.
function cpfFrom(body: number[]): string {
  const dv = (ds: number[]) => {
    const sum = ds.reduce((s, d, i) => s + d * (ds.length + 1 - i), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = dv(body);
  const d2 = dv([...body, d1]);
  return [...body, d1, d2].join('');
}

function cnpjFrom(body: number[]): string {
  const dv = (ds: number[]) => {
    // Weights 2..9 repeating, from the rightmost digit leftwards.
    const sum = [...ds].reverse().reduce((s, d, i) => s + d * (2 + (i % 8)), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = dv(body);
  const d2 = dv([...body, d1]);
  return [...body, d1, d2].join('');
}

function cuitFrom(prefix: string, body: number[]): string | null {
  const ds = [...prefix].map(Number).concat(body);
  const sum = ds.reduce((s, d, i) => s + d * [5, 4, 3, 2, 7, 6, 5, 4, 3, 2][i]!, 0);
  const c = 11 - (sum % 11);
  if (c === 10) return null;
  return ds.join('') + String(c === 11 ? 0 : c);
}

function rutFrom(body: number): string {
  const digits = String(body).split('').reverse().map(Number);
  const sum = digits.reduce((s, d, i) => s + d * [2, 3, 4, 5, 6, 7][i % 6]!, 0);
  const c = 11 - (sum % 11);
  return `${body}-${c === 11 ? '0' : c === 10 ? 'K' : String(c)}`;
}

function changeOneDigit(value: string, position: number, delta: number): string {
  const i = position % value.length;
  const ch = value[i]!;
  if (!/\d/.test(ch)) return value;
  return value.slice(0, i) + String((Number(ch) + delta) % 10) + value.slice(i + 1);
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });

describe('tax id properties', () => {
  it('accepts every CPF made with the algorithm (except the never-issued repeated digits)', () => {
    fc.assert(
      fc.property(digits(9).filter((b) => new Set(b).size > 1), (body) => {
        expect(validateTaxId('BR', 'cpf', cpfFrom(body)).ok).toBe(true);
      }),
    );
  });

  it('accepts every CNPJ made with the algorithm', () => {
    fc.assert(
      fc.property(digits(12).filter((b) => new Set(b).size > 1), (body) => {
        expect(validateTaxId('BR', 'cnpj', cnpjFrom(body)).ok).toBe(true);
      }),
    );
  });

  it('accepts every CUIT made with the algorithm and refuses it with any one digit changed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('20', '23', '24', '27', '30', '33', '34'),
        digits(8),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (prefix, body, position, delta) => {
          const cuit = cuitFrom(prefix, body);
          fc.pre(cuit !== null);
          expect(validateTaxId('AR', 'cuit', cuit!).ok).toBe(true);
          // Weights 2..7 are prime to 11 and remainder -> digit is one-to-one, so any change shows.
          const changed = changeOneDigit(cuit!, position, delta);
          expect(validateTaxId('AR', 'cuit', changed)).toMatchObject({ ok: false, code: 'invalid_tax_id' });
        },
      ),
    );
  });

  it('accepts every RUT made with the algorithm and refuses it with any one body digit changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 99_999_999 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (n, position, delta) => {
        const rut = rutFrom(n);
        expect(validateTaxId('CL', 'rut', rut).ok).toBe(true);
        const body = String(n);
        const changedBody = changeOneDigit(body, position, delta);
        fc.pre(!changedBody.startsWith('0'));
        expect(validateTaxId('CL', 'rut', `${changedBody}${rut.slice(body.length)}`).ok).toBe(false);
      }),
    );
  });
});
