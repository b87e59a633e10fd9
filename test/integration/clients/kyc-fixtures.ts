/** Small files with real magic bytes, and a client whose identifiers pass their check digits. */
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('front of the id card')]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('back of the id card')]);
export const PDF = Buffer.from('%PDF-1.7\nutility bill, residential address\n%%EOF\n');
export const GIF = Buffer.from('GIF89a not accepted');

export const b64 = (content: Buffer): string => content.toString('base64');

/** A calendar day relative to today (UTC), as the forms send it. */
export function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export const LEGAL_NAME = 'Juan Carlos García Pérez';

export const CLIENT = {
  legalName: LEGAL_NAME,
  dateOfBirth: '1985-04-12',
  nationality: 'AR',
  address: { line1: 'Av. Corrientes 1234', city: 'Buenos Aires', postalCode: 'C1043', country: 'AR' },
  email: 'Juan.Garcia@Example.com',
  phone: '+54 9 11 2345-6789',
  taxId: { country: 'AR', kind: 'cuit', value: '20-12345678-6' },
};

export const IDENTITY = { type: 'national_id', number: '12345678', issuingCountry: 'AR', expiresOn: day(3 * 365), front: b64(PNG), back: b64(JPEG) };
export const PROOF = { issuedOn: day(-10), file: b64(PDF) };
