import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateBankAccount, type BankAccountErrorCode, type BankRail } from '@shared/validation/bank-account';

/*
 * Valid identifiers are the standard published examples (ECBS/SWIFT IBAN examples, Banxico's CLABE
 * example, Federal Reserve routing numbers, a Banco Macro CBU) or computed with the rule in the note.
 */
const valid: Array<[rail: BankRail, fields: Record<string, string>, normalized: Record<string, string>, note: string]> = [
  ['sepa', { iban: 'GB82WEST12345698765432' }, { iban: 'GB82WEST12345698765432' }, 'UK example IBAN'],
  ['sepa', { iban: 'DE89 3704 0044 0532 0130 00' }, { iban: 'DE89370400440532013000' }, 'German example, printed with spaces'],
  ['sepa', { iban: 'fr14 2004 1010 0505 0001 3m02 606' }, { iban: 'FR1420041010050500013M02606' }, 'lower case with a letter in the BBAN'],
  ['sepa', { iban: 'NO9386011117947' }, { iban: 'NO9386011117947' }, 'shortest IBAN (15)'],
  ['sepa', { iban: 'BE68539007547034', bic: 'gebabebb' }, { iban: 'BE68539007547034', bic: 'GEBABEBB' }, '8-character BIC'],
  ['sepa', { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }, { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' }, '11-character BIC'],
  ['spei', { clabe: '002010077777777771' }, { clabe: '002010077777777771' }, 'Banxico example: weights 3,7,1, products mod 10'],
  ['spei', { clabe: '032 180 00011835971 9' }, { clabe: '032180000118359719' }, 'with spaces'],
  ['spei', { clabe: '012180001234567899' }, { clabe: '012180001234567899' }, 'computed: check 9'],
  ['ach', { routingNumber: '011000015', accountNumber: '123456789', accountType: 'checking' }, { routingNumber: '011000015', accountNumber: '123456789', accountType: 'checking' }, 'Federal Reserve Bank of Boston'],
  ['ach', { routingNumber: '021000021', accountNumber: '0001234', accountType: 'savings' }, { routingNumber: '021000021', accountNumber: '0001234', accountType: 'savings' }, 'JPMorgan Chase NY'],
  ['ach', { routingNumber: '026009593', accountNumber: '12345678901234567', accountType: 'checking' }, { routingNumber: '026009593', accountNumber: '12345678901234567', accountType: 'checking' }, '17-digit account'],
  ['pix', { keyType: 'cpf', key: '529.982.247-25' }, { keyType: 'cpf', key: '52998224725' }, 'CPF key'],
  ['pix', { keyType: 'cnpj', key: '11.222.333/0001-81' }, { keyType: 'cnpj', key: '11222333000181' }, 'CNPJ key'],
  ['pix', { keyType: 'email', key: 'Pagamentos@Empresa.com.br' }, { keyType: 'email', key: 'pagamentos@empresa.com.br' }, 'email key, lower-cased'],
  ['pix', { keyType: 'phone', key: '+5511987654321' }, { keyType: 'phone', key: '+5511987654321' }, 'São Paulo mobile in E.164'],
  ['pix', { keyType: 'phone', key: '(21) 99876-5432' }, { keyType: 'phone', key: '+5521998765432' }, 'national format becomes E.164'],
  ['pix', { keyType: 'random', key: '123E4567-E89B-42D3-A456-426614174000' }, { keyType: 'random', key: '123e4567-e89b-42d3-a456-426614174000' }, 'random key (UUID), lower-cased'],
  ['ar_transfer', { cbu: '2850590940090418135201' }, { cbu: '2850590940090418135201' }, 'Banco Macro CBU'],
  ['ar_transfer', { cbu: '28505909-40090418135201' }, { cbu: '2850590940090418135201' }, 'dash between the blocks'],
  ['ar_transfer', { cbu: '0000003110001000000004' }, { cbu: '0000003110001000000004' }, 'CVU (entity 000); computed 7,1,3,9 -> 1 and 3,9,7,1 -> 4'],
];

const invalid: Array<[rail: string, fields: Record<string, string>, code: BankAccountErrorCode, field: string, note: string]> = [
  ['sepa', { iban: 'GB82WEST12345698765433' }, 'invalid_iban', 'iban', 'last digit changed'],
  ['sepa', { iban: 'DE88370400440532013000' }, 'invalid_iban', 'iban', 'check digits changed'],
  ['sepa', { iban: 'DE8937040044053201300' }, 'invalid_iban', 'iban', 'one character short for DE (22)'],
  ['sepa', { iban: 'XX89370400440532013000' }, 'invalid_iban', 'iban', 'country without IBAN'],
  ['sepa', { iban: 'DE89-3704-0044-0532-0130-0!' }, 'invalid_iban', 'iban', 'symbol'],
  ['sepa', { iban: 'BR1800360305000010009795493C1' }, 'iban_not_sepa', 'iban', 'valid Brazilian IBAN, outside SEPA'],
  ['sepa', { iban: 'DE89370400440532013000', bic: 'COBADE' }, 'invalid_bic', 'bic', 'BIC too short'],
  ['spei', { clabe: '002010077777777772' }, 'invalid_clabe', 'clabe', 'check digit changed'],
  ['spei', { clabe: '002010077777777871' }, 'invalid_clabe', 'clabe', 'account digit changed'],
  ['spei', { clabe: '00201007777777777' }, 'invalid_clabe', 'clabe', '17 digits'],
  ['ach', { routingNumber: '011000016', accountNumber: '123456789', accountType: 'checking' }, 'invalid_routing_number', 'routingNumber', 'checksum digit changed'],
  ['ach', { routingNumber: '131000012', accountNumber: '123456789', accountType: 'checking' }, 'invalid_routing_number', 'routingNumber', 'prefix 13 is no Federal Reserve district'],
  ['ach', { routingNumber: '011000015', accountNumber: '12A456', accountType: 'checking' }, 'invalid_account_number', 'accountNumber', 'letter in the account number'],
  ['ach', { routingNumber: '011000015', accountNumber: '123456789012345678', accountType: 'checking' }, 'invalid_account_number', 'accountNumber', '18 digits'],
  ['ach', { routingNumber: '011000015', accountNumber: '123456789', accountType: 'brokerage' }, 'invalid_account_type', 'accountType', 'not checking or savings'],
  ['pix', { keyType: 'cpf', key: '529.982.247-24' }, 'invalid_pix_key', 'key', 'CPF check digit changed'],
  ['pix', { keyType: 'cnpj', key: '11.222.333/0001-80' }, 'invalid_pix_key', 'key', 'CNPJ check digit changed'],
  ['pix', { keyType: 'email', key: 'pagamentos@' }, 'invalid_pix_key', 'key', 'email without domain'],
  ['pix', { keyType: 'email', key: `${'a'.repeat(64)}@empresa.com.br` }, 'invalid_pix_key', 'key', 'email key over 77 characters'],
  ['pix', { keyType: 'phone', key: '+541123456789' }, 'invalid_pix_key', 'key', 'Argentine number'],
  ['pix', { keyType: 'phone', key: '+55119876' }, 'invalid_pix_key', 'key', 'too short'],
  ['pix', { keyType: 'random', key: '123e4567e89b42d3a456426614174000' }, 'invalid_pix_key', 'key', 'UUID without dashes'],
  ['pix', { keyType: 'evp', key: '123e4567-e89b-42d3-a456-426614174000' }, 'invalid_pix_key_type', 'keyType', 'unknown key type'],
  ['ar_transfer', { cbu: '2850590940090418135202' }, 'invalid_cbu', 'cbu', 'second check digit changed'],
  ['ar_transfer', { cbu: '2850590840090418135201' }, 'invalid_cbu', 'cbu', 'first check digit changed'],
  ['ar_transfer', { cbu: '2850590940090418135' }, 'invalid_cbu', 'cbu', '19 digits'],
  ['swift', { iban: 'DE89370400440532013000' }, 'unknown_rail', 'rail', 'unknown rail'],
];

describe('validateBankAccount', () => {
  it.each(valid)('%s %j is accepted (%s)', (rail, fields, normalized) => {
    expect(validateBankAccount(rail, fields)).toEqual({ ok: true, rail, fields: normalized });
  });

  it.each(invalid)('%s %j is refused with %s on %s (%s)', (rail, fields, code, field) => {
    expect(validateBankAccount(rail, fields)).toMatchObject({ ok: false, code, field });
  });

  it('refuses missing or non-string fields instead of throwing', () => {
    expect(validateBankAccount('spei', { clabe: 2010077777777771 })).toMatchObject({ code: 'invalid_clabe' });
    expect(validateBankAccount('sepa', null)).toMatchObject({ code: 'invalid_iban' });
  });
});

// Generators written from the published rules, independent of the module under test.
const digitArray = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });

function blockCheck(ds: number[], weights: number[]): number {
  const sum = ds.reduce((s, d, i) => s + d * weights[i % weights.length]!, 0);
  return (10 - (sum % 10)) % 10;
}

function cbuFrom(first7: number[], account13: number[]): string {
  return [...first7, blockCheck(first7, [7, 1, 3, 9]), ...account13, blockCheck(account13, [3, 9, 7, 1])].join('');
}

function clabeFrom(first17: number[]): string {
  const sum = first17.reduce((s, d, i) => s + ((d * [3, 7, 1][i % 3]!) % 10), 0);
  return [...first17, (10 - (sum % 10)) % 10].join('');
}

function germanIbanFrom(bban18: number[]): string {
  const bban = bban18.join('');
  // ISO 7064 mod 97-10: check = 98 - (BBAN + "DE00" as digits) mod 97; D=13, E=14.
  const numeric = BigInt(`${bban}131400`);
  const check = 98n - (numeric % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

function changeOneDigit(value: string, position: number, delta: number, from = 0): string {
  const i = from + (position % (value.length - from));
  return value.slice(0, i) + String((Number(value[i]) + delta) % 10) + value.slice(i + 1);
}

describe('bank account properties', () => {
  it('accepts any CBU made with both check digits and refuses it with any one digit changed', () => {
    fc.assert(
      fc.property(digitArray(7), digitArray(13), fc.nat(), fc.integer({ min: 1, max: 9 }), (first, account, position, delta) => {
        const cbu = cbuFrom(first, account);
        expect(validateBankAccount('ar_transfer', { cbu }).ok).toBe(true);
        // Weights 7,1,3,9 are prime to 10, so a change anywhere in a block moves that block's sum.
        expect(validateBankAccount('ar_transfer', { cbu: changeOneDigit(cbu, position, delta) })).toMatchObject({ ok: false, code: 'invalid_cbu' });
      }),
    );
  });

  it('accepts any CVU (entity 000) made with the same structure', () => {
    fc.assert(
      fc.property(digitArray(4), digitArray(13), (psp, account) => {
        expect(validateBankAccount('ar_transfer', { cbu: cbuFrom([0, 0, 0, ...psp], account) }).ok).toBe(true);
      }),
    );
  });

  it('accepts any CLABE made with its check digit and refuses it with any one digit changed', () => {
    fc.assert(
      fc.property(digitArray(17), fc.nat(), fc.integer({ min: 1, max: 9 }), (first, position, delta) => {
        const clabe = clabeFrom(first);
        expect(validateBankAccount('spei', { clabe }).ok).toBe(true);
        expect(validateBankAccount('spei', { clabe: changeOneDigit(clabe, position, delta) })).toMatchObject({ ok: false, code: 'invalid_clabe' });
      }),
    );
  });

  it('accepts any German IBAN made with mod 97 and refuses it with any one digit changed', () => {
    fc.assert(
      fc.property(digitArray(18), fc.nat(), fc.integer({ min: 1, max: 9 }), (bban, position, delta) => {
        const iban = germanIbanFrom(bban);
        expect(validateBankAccount('sepa', { iban }).ok).toBe(true);
        // 97 is prime and larger than any digit change, so mod 97 sees every single substitution.
        expect(validateBankAccount('sepa', { iban: changeOneDigit(iban, position, delta, 2) })).toMatchObject({ ok: false, code: 'invalid_iban' });
      }),
    );
  });

  it('refuses a valid routing number with any one digit changed', () => {
    fc.assert(
      fc.property(fc.constantFrom('011000015', '021000021', '026009593', '121000358'), fc.nat(), fc.integer({ min: 1, max: 9 }), (routing, position, delta) => {
        expect(validateBankAccount('ach', { routingNumber: routing, accountNumber: '123456789', accountType: 'checking' }).ok).toBe(true);
        expect(
          validateBankAccount('ach', { routingNumber: changeOneDigit(routing, position, delta), accountNumber: '123456789', accountType: 'checking' }),
        ).toMatchObject({ ok: false, code: 'invalid_routing_number' });
      }),
    );
  });
});
