/**
 * Per-country reference data for client onboarding, after CryptoMate's management API: its countries list
 * (`GET /management/clients/countries`), identification types per country for individuals
 * (`/identifications/{country}`) and businesses (`/business-identifications/{country}`), and the documents
 * each kind of client must provide (its `documentation` checklists). Static and versioned: the engine's
 * validation and the renderer's pickers and checklists read this one file, so they cannot disagree.
 * Bump REFERENCE_DATA_VERSION with any change; a KYB decision records the version it was taken under.
 */

export const REFERENCE_DATA_VERSION = '2026-12-03.1';

export const CLIENT_KINDS = ['individual', 'business'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** CryptoMate's `business_type` values. */
export const BUSINESS_TYPES = ['corporation', 'llc', 'partnership', 'sole_proprietorship', 'non_profit', 'trust', 'other'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

export const BUSINESS_TYPE_LABELS: Record<BusinessType, string> = {
  corporation: 'Corporation',
  llc: 'Limited liability company',
  partnership: 'Partnership',
  sole_proprietorship: 'Sole proprietorship',
  non_profit: 'Non-profit',
  trust: 'Trust',
  other: 'Other',
};

/** What a company files; the proof of address is of its registered office. */
export const COMPANY_DOCUMENT_TYPES = ['certificate_of_incorporation', 'articles_of_association', 'proof_of_address', 'shareholder_register'] as const;
export type CompanyDocumentType = (typeof COMPANY_DOCUMENT_TYPES)[number];

export const COMPANY_DOCUMENT_LABELS: Record<CompanyDocumentType, string> = {
  certificate_of_incorporation: 'Certificate of incorporation',
  articles_of_association: 'Articles of association',
  proof_of_address: 'Proof of registered address',
  shareholder_register: 'Register of shareholders',
};

export const INDIVIDUAL_DOCUMENT_TYPES = ['identity_document', 'proof_of_address'] as const;
export type IndividualDocumentType = (typeof INDIVIDUAL_DOCUMENT_TYPES)[number];

export const INDIVIDUAL_DOCUMENT_LABELS: Record<IndividualDocumentType, string> = {
  identity_document: 'Identity document',
  proof_of_address: 'Proof of address',
};

/** One identification a country issues: `type` is the tax-id kind the validators know (lower case). */
export interface IdentificationType {
  type: string;
  label: string;
  description: string;
  /** True where the format and check digits are validated; false takes the generic pattern. */
  checked: boolean;
}

export interface RegistrationFormat {
  /** What the company register calls its number. */
  label: string;
  /** Upper-case, separators kept as typed; absent: the generic pattern. */
  pattern?: string;
  example: string;
}

export interface CountryReference {
  code: string;
  alpha3: string;
  name: string;
  individualIds: IdentificationType[];
  businessIds: IdentificationType[];
  registration: RegistrationFormat;
  /** Documents a business from this country files; absent: every company document type. */
  businessDocuments?: CompanyDocumentType[];
}

/** Any letters and digits with the separators registers print (3 to 30 characters). */
export const GENERIC_REGISTRATION_PATTERN = '^[0-9A-Z][0-9A-Z .\\-/]{1,28}[0-9A-Z]$';

const generic = (label = 'Company registration number', example = 'HRB 12345'): RegistrationFormat => ({ label, example });
const tin = (description = 'Tax identification number'): IdentificationType => ({ type: 'tin', label: 'TIN', description, checked: false });
const vat = (description = 'VAT registration number'): IdentificationType => ({ type: 'vat', label: 'VAT', description, checked: false });

export const COUNTRIES: readonly CountryReference[] = [
  {
    code: 'AR',
    alpha3: 'ARG',
    name: 'Argentina',
    individualIds: [
      { type: 'cuil', label: 'CUIL', description: 'Código Único de Identificación Laboral', checked: true },
      { type: 'cuit', label: 'CUIT', description: 'Clave Única de Identificación Tributaria', checked: true },
    ],
    businessIds: [{ type: 'cuit', label: 'CUIT', description: 'Clave Única de Identificación Tributaria (prefix 30, 33 or 34)', checked: true }],
    registration: { label: 'IGJ correlative number', pattern: '^\\d{1,7}$', example: '1234567' },
  },
  {
    code: 'BR',
    alpha3: 'BRA',
    name: 'Brazil',
    individualIds: [{ type: 'cpf', label: 'CPF', description: 'Cadastro de Pessoas Físicas', checked: true }],
    businessIds: [{ type: 'cnpj', label: 'CNPJ', description: 'Cadastro Nacional da Pessoa Jurídica', checked: true }],
    registration: { label: 'NIRE', pattern: '^\\d{11}$', example: '35300012345' },
  },
  {
    code: 'CL',
    alpha3: 'CHL',
    name: 'Chile',
    individualIds: [{ type: 'rut', label: 'RUT', description: 'Rol Único Tributario', checked: true }],
    businessIds: [{ type: 'rut', label: 'RUT', description: 'Rol Único Tributario', checked: true }],
    registration: generic('Registro de Comercio inscription', 'FS 1234 N 567 2020'),
  },
  {
    code: 'CO',
    alpha3: 'COL',
    name: 'Colombia',
    individualIds: [{ type: 'nit', label: 'NIT', description: 'Número de Identificación Tributaria', checked: true }],
    businessIds: [{ type: 'nit', label: 'NIT', description: 'Número de Identificación Tributaria', checked: true }],
    registration: generic('Matrícula mercantil', '01234567'),
  },
  {
    code: 'MX',
    alpha3: 'MEX',
    name: 'Mexico',
    individualIds: [{ type: 'rfc', label: 'RFC', description: 'Registro Federal de Contribuyentes (13 characters)', checked: true }],
    businessIds: [{ type: 'rfc', label: 'RFC', description: 'Registro Federal de Contribuyentes (12 characters)', checked: true }],
    registration: generic('Folio mercantil electrónico', 'N-2019012345'),
  },
  {
    code: 'PE',
    alpha3: 'PER',
    name: 'Peru',
    individualIds: [{ type: 'ruc', label: 'RUC', description: 'Registro Único de Contribuyentes', checked: true }],
    businessIds: [{ type: 'ruc', label: 'RUC', description: 'Registro Único de Contribuyentes (prefix 20)', checked: true }],
    registration: generic('Partida registral', '12345678'),
  },
  {
    code: 'ES',
    alpha3: 'ESP',
    name: 'Spain',
    individualIds: [
      { type: 'nif', label: 'NIF', description: 'Número de Identificación Fiscal', checked: true },
      { type: 'nie', label: 'NIE', description: 'Número de Identidad de Extranjero', checked: true },
    ],
    businessIds: [{ type: 'nif', label: 'NIF (CIF)', description: 'Company NIF, formerly CIF: a letter, 7 digits and a control character', checked: true }],
    registration: generic('Registro Mercantil entry', 'M-123456'),
  },
  {
    code: 'US',
    alpha3: 'USA',
    name: 'United States',
    individualIds: [{ type: 'ssn', label: 'SSN', description: 'Social Security Number', checked: true }],
    businessIds: [{ type: 'ein', label: 'EIN', description: 'Employer Identification Number', checked: true }],
    registration: generic('State file number', 'DE 1234567'),
  },
  {
    code: 'GB',
    alpha3: 'GBR',
    name: 'United Kingdom',
    individualIds: [tin('National Insurance number or UTR')],
    businessIds: [vat(), tin('Unique Taxpayer Reference')],
    registration: { label: 'Companies House number', pattern: '^(\\d{8}|(SC|NI|OC|SO|NC|LP|SL|FC|R0)\\d{6})$', example: '01234567' },
  },
  {
    code: 'DE',
    alpha3: 'DEU',
    name: 'Germany',
    individualIds: [tin('Steuerliche Identifikationsnummer')],
    businessIds: [vat('Umsatzsteuer-Identifikationsnummer'), tin('Steuernummer')],
    registration: generic('Handelsregister number', 'HRB 12345'),
  },
  {
    code: 'PT',
    alpha3: 'PRT',
    name: 'Portugal',
    individualIds: [tin('Número de Identificação Fiscal')],
    businessIds: [tin('Número de Identificação de Pessoa Coletiva')],
    registration: generic('Certidão permanente code', '1234-5678-9012'),
  },
  {
    code: 'UY',
    alpha3: 'URY',
    name: 'Uruguay',
    individualIds: [tin('Cédula de identidad')],
    businessIds: [tin('Registro Único Tributario')],
    registration: generic('Registro Nacional de Comercio number', '12345'),
  },
];

const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/** A country's reference, or undefined for one the data does not list (which gets the generic rules). */
export function countryReference(code: string): CountryReference | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** A country's name: the reference data's, else the platform's (ICU) English name, else its code. */
export function countryName(code: string): string {
  const upper = code.trim().toUpperCase();
  return countryReference(upper)?.name ?? (/^[A-Z]{2}$/.test(upper) ? REGION_NAMES.of(upper) : undefined) ?? upper;
}

/** Identification types for a country and kind of client; a country not listed takes a generic TIN. */
export function identificationTypes(code: string, kind: ClientKind): IdentificationType[] {
  const country = countryReference(code);
  if (!country) return [tin()];
  return kind === 'business' ? country.businessIds : country.individualIds;
}

export function identificationLabel(code: string, type: string): string {
  const country = countryReference(code);
  const all = country ? [...country.businessIds, ...country.individualIds] : [tin()];
  return all.find((t) => t.type === type)?.label ?? type.toUpperCase();
}

/** The documents the checklist asks of a client of this kind from this country. */
export function requiredDocuments(kind: 'business', code: string): CompanyDocumentType[];
export function requiredDocuments(kind: 'individual', code: string): IndividualDocumentType[];
export function requiredDocuments(kind: ClientKind, code: string): string[] {
  if (kind === 'individual') return [...INDIVIDUAL_DOCUMENT_TYPES];
  return [...(countryReference(code)?.businessDocuments ?? COMPANY_DOCUMENT_TYPES)];
}

export function registrationFormat(code: string): RegistrationFormat {
  return countryReference(code)?.registration ?? generic();
}
