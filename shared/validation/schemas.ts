/**
 * Zod schemas for the client form and each rail's bank-account form. They run the same validators as
 * the engine through `.superRefine`; each issue carries `params.code` (e.g. 'invalid_iban') so the
 * renderer and the IPC layer report the same named error. Parsing yields the normalized values.
 */
import { z } from 'zod';
import {
  ACH_ACCOUNT_TYPES,
  PIX_KEY_TYPES,
  validateBankAccount,
  type BankRail,
} from './bank-account';
import {
  checkIdDocumentExpiry,
  matchHolderName,
  normalizePhone,
  validateDateOfBirth,
  validateEmail,
} from './person';
import { plainText } from './text';
import { validateTaxId } from './tax-id';

type Ctx = z.core.$RefinementCtx;

function report(ctx: Ctx, code: string, message: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { code } });
}

/** "Today" is passed in, so a form, the engine and a test all decide age and expiry on the same day. */
export interface ValidationClock {
  today: () => Date | string;
}

const systemClock: ValidationClock = { today: () => new Date() };

const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code'));

// --- Client ------------------------------------------------------------------------------------

export const ID_DOCUMENT_TYPES = ['passport', 'national_id', 'residence_permit', 'driver_license'] as const;

export const addressSchema = z.object({
  line1: plainText(z.string().trim().min(1, 'street address is required').max(200)),
  line2: plainText(z.string().trim().max(200)).optional(),
  city: plainText(z.string().trim().min(1, 'city is required').max(100)),
  region: plainText(z.string().trim().max(100)).optional(),
  postalCode: plainText(z.string().trim().max(20)).optional(),
  country: countryCode,
});

export const taxIdSchema = z
  .object({
    country: countryCode,
    kind: z.string().trim().toLowerCase(),
    value: z.string().trim().min(1, 'tax id is required'),
  })
  .superRefine((taxId, ctx) => {
    const r = validateTaxId(taxId.country, taxId.kind, taxId.value);
    if (!r.ok) report(ctx, r.code, r.reason, ['value']);
  });

const emailField = z
  .string()
  .trim()
  .superRefine((email, ctx) => {
    const r = validateEmail(email);
    if (!r.ok) report(ctx, r.code, r.reason);
  });

/** Phones are entered with their country code so a client abroad is not read in the wrong plan. */
const phoneField = z
  .string()
  .trim()
  .superRefine((phone, ctx) => {
    const r = normalizePhone(phone);
    if (!r.ok) report(ctx, r.code, r.reason);
  });

export function makeClientFormSchema(clock: ValidationClock = systemClock) {
  const idDocument = z
    .object({
      type: z.enum(ID_DOCUMENT_TYPES),
      number: plainText(z.string().trim().min(3, 'document number is too short').max(30)),
      issuingCountry: countryCode,
      expiresOn: z.string().trim(),
    })
    .superRefine((doc, ctx) => {
      const r = checkIdDocumentExpiry(doc.expiresOn, clock.today());
      if (!r.ok) report(ctx, r.code, r.reason, ['expiresOn']);
    });

  return z
    .object({
      legalName: plainText(z.string().trim().min(2, 'legal name is required').max(200)),
      dateOfBirth: z
        .string()
        .trim()
        .superRefine((dob, ctx) => {
          const r = validateDateOfBirth(dob, clock.today());
          if (!r.ok) report(ctx, r.code, r.reason);
        }),
      nationality: countryCode,
      address: addressSchema,
      email: emailField,
      phone: phoneField,
      taxId: taxIdSchema,
      idDocument: idDocument.optional(),
    })
    .transform((client) => {
      // Every check passed above, so these normalizations cannot fail; the fallbacks keep types honest.
      const taxId = validateTaxId(client.taxId.country, client.taxId.kind, client.taxId.value);
      const email = validateEmail(client.email);
      const phone = normalizePhone(client.phone);
      return {
        ...client,
        email: email.ok ? email.email : client.email,
        phone: phone.ok ? phone.e164 : client.phone,
        taxId: {
          country: client.taxId.country,
          kind: client.taxId.kind,
          value: taxId.ok ? taxId.normalized : client.taxId.value,
        },
      };
    });
}

export const clientFormSchema = makeClientFormSchema();
export type ClientFormInput = z.input<typeof clientFormSchema>;
export type ClientForm = z.output<typeof clientFormSchema>;

// --- Bank accounts -----------------------------------------------------------------------------

export interface BankAccountFormOptions {
  /** When given, the holder name must match it (the engine always passes the client's legal name). */
  clientLegalName?: string;
}

const holderName = plainText(z.string().trim().min(2, 'holder name is required').max(200));

function refineAccount(rail: BankRail, options: BankAccountFormOptions) {
  return (form: { holderName: string }, ctx: Ctx): void => {
    const r = validateBankAccount(rail, form);
    if (!r.ok) report(ctx, r.code, r.reason, [r.field]);
    if (options.clientLegalName !== undefined) {
      const m = matchHolderName(form.holderName, options.clientLegalName);
      if (!m.ok) report(ctx, m.code, m.reason, ['holderName']);
    }
  };
}

export function makeBankAccountFormSchemas(options: BankAccountFormOptions = {}) {
  const sepa = z
    .object({ rail: z.literal('sepa'), holderName, iban: z.string(), bic: z.string().optional() })
    .superRefine(refineAccount('sepa', options));
  const spei = z
    .object({ rail: z.literal('spei'), holderName, clabe: z.string() })
    .superRefine(refineAccount('spei', options));
  const ach = z
    .object({
      rail: z.literal('ach'),
      holderName,
      routingNumber: z.string(),
      accountNumber: z.string(),
      accountType: z.enum(ACH_ACCOUNT_TYPES),
    })
    .superRefine(refineAccount('ach', options));
  const pix = z
    .object({ rail: z.literal('pix'), holderName, keyType: z.enum(PIX_KEY_TYPES), key: z.string() })
    .superRefine(refineAccount('pix', options));
  const arTransfer = z
    .object({ rail: z.literal('ar_transfer'), holderName, cbu: z.string() })
    .superRefine(refineAccount('ar_transfer', options));

  const any = z.discriminatedUnion('rail', [sepa, spei, ach, pix, arTransfer]).transform((form) => {
    const r = validateBankAccount(form.rail, form);
    // Refinements already refused anything invalid; this only swaps in the normalized fields.
    const fields = r.ok ? r.fields : {};
    return { ...form, ...fields } as typeof form;
  });

  return { sepa, spei, ach, pix, arTransfer, any };
}

const defaultBankSchemas = makeBankAccountFormSchemas();
export const sepaAccountFormSchema = defaultBankSchemas.sepa;
export const speiAccountFormSchema = defaultBankSchemas.spei;
export const achAccountFormSchema = defaultBankSchemas.ach;
export const pixAccountFormSchema = defaultBankSchemas.pix;
export const arTransferAccountFormSchema = defaultBankSchemas.arTransfer;
/** Any rail, chosen by `rail`; output has the normalized identifiers. */
export const bankAccountFormSchema = defaultBankSchemas.any;
export type BankAccountFormInput = z.input<typeof bankAccountFormSchema>;
export type BankAccountForm = z.output<typeof bankAccountFormSchema>;
