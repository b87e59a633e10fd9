import type { RiskLevel } from './screening';
import type { BusinessType, ClientKind, CompanyDocumentType } from '../reference/countries';
import type { BankRail } from '../validation/bank-account';
import type { FiatCurrency } from './fiat';
import type { WalletView } from './wallets';

/** draft -> submitted -> verified | rejected; verified <-> suspended; a rejected client can be corrected and resubmitted. */
export const KYC_STATUSES = ['draft', 'submitted', 'verified', 'rejected', 'suspended'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const BANK_ACCOUNT_STATUSES = ['unverified', 'verified', 'disabled'] as const;
export type BankAccountStatus = (typeof BANK_ACCOUNT_STATUSES)[number];

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

export interface TaxIdentification {
  country: string;
  kind: string;
  value: string;
}

/** A file kept in <data folder>/kyc/<sha256>: the hash is what an auditor checks the file against. */
export interface KycFileView {
  sha256: string;
  size: number;
  mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
}

/** A scan opened for viewing in the app: its type read from its content, its bytes as base64. */
export interface KycFileContent {
  mediaType: KycFileView['mediaType'];
  base64: string;
}

export interface IdentityDocumentView {
  id: string;
  type: string;
  number: string;
  issuingCountry: string;
  expiresOn: string;
  front: KycFileView;
  back: KycFileView | null;
  uploadedBy: string;
  uploadedAt: string;
}

export interface ProofOfAddressView {
  id: string;
  issuedOn: string;
  file: KycFileView;
  uploadedBy: string;
  uploadedAt: string;
}

/** A business client's company data; its registered address is the client's `address`. */
export interface BusinessDetails {
  tradeName: string | null;
  businessType: BusinessType | null;
  registrationNumber: string | null;
  /** ISO 3166 alpha-2 */
  incorporationCountry: string | null;
  incorporationDate: string | null;
}

/** The latest company document of one type; earlier ones stay on record. */
export interface CompanyDocumentView {
  id: string;
  type: CompanyDocumentType;
  issuedOn: string;
  file: KycFileView;
  uploadedBy: string;
  uploadedAt: string;
}

/** An ultimate beneficial owner: an individual client with their own KYC, holding a share of the business. */
export interface BeneficialOwnerView {
  clientId: string;
  legalName: string;
  /** Share of the company in basis points (2500 = 25%). */
  ownershipBasisPoints: number;
  kycStatus: KycStatus;
  addedBy: string;
  addedAt: string;
}

export interface ClientView {
  id: string;
  kind: ClientKind;
  /** A person's full name, or a company's registered legal name. */
  legalName: string;
  dateOfBirth: string | null;
  nationality: string | null;
  address: PostalAddress | null;
  email: string | null;
  /** E.164 */
  phone: string | null;
  taxId: TaxIdentification | null;
  kycStatus: KycStatus;
  rejectionReason: string | null;
  /** The officer's assessment: the policy says which levels may withdraw to destinations not whitelisted. */
  riskLevel: RiskLevel;
  /** Who sent the file for review: someone else verifies or rejects it (four eyes). */
  kycSubmittedBy: string | null;
  /** What the signed-in operator may do with the client now (get answers it). */
  allowedActions?: ClientAction[];
  /** The latest of each document; earlier ones stay on record. */
  identityDocument: IdentityDocumentView | null;
  proofOfAddress: ProofOfAddressView | null;
  /** When the relationship ended (retention runs from here); null while it goes on. */
  closedAt: string | null;
  /** When the personal data was erased (crypto-shredded): every personal field reads empty from then on. */
  erasedAt: string | null;
  /** Businesses only (null for individuals). */
  business: BusinessDetails | null;
  companyDocuments: CompanyDocumentView[];
  beneficialOwners: BeneficialOwnerView[];
  /** The businesses this person is a beneficial owner of. */
  ownerOf: Array<{ clientId: string; legalName: string; ownershipBasisPoints: number }>;
  createdAt: string;
  updatedAt: string;
}

export interface BankAccountView {
  id: string;
  clientId: string;
  rail: BankRail;
  currencies: FiatCurrency[];
  holderName: string;
  /** The rail's identifier, normalized: IBAN, CLABE, routing/account, PIX key, CBU. */
  identifier: string;
  fields: Record<string, string>;
  status: BankAccountStatus;
  verifiedBy: string | null;
  verifiedAt: string | null;
  verificationNote: string | null;
  /** Who added it: someone else verifies it (four eyes). */
  createdBy: string;
  createdAt: string;
  /** What the signed-in operator may do with it now (the list answers it). */
  allowedActions?: BankAccountAction[];
}

/** What the signed-in operator may do with a client's KYC file and with a bank account now. */
export const CLIENT_ACTIONS = ['edit', 'submit', 'verify', 'reject', 'suspend', 'reinstate', 'assessRisk'] as const;
export type ClientAction = (typeof CLIENT_ACTIONS)[number];
export const BANK_ACCOUNT_ACTIONS = ['verify', 'disable'] as const;
export type BankAccountAction = (typeof BANK_ACCOUNT_ACTIONS)[number];

export interface ClientWalletsView {
  clientId: string;
  wallets: WalletView[];
}

/** How long a closed client's records are kept before they may be erased. */
export interface RetentionSettings {
  yearsAfterClose: number;
}

/** A request to erase a client's personal data (crypto-shredding); a second operator decides it. */
export interface ErasureRequestView {
  id: string;
  clientId: string;
  state: 'requested' | 'approved' | 'rejected';
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}
