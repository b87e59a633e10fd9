import { z } from 'zod';
import type { BankAccountView, ClientView, ErasureRequestView, KycFileContent, RetentionSettings } from '../../domain/clients';
import { BUSINESS_TYPES, CLIENT_KINDS, COMPANY_DOCUMENT_TYPES } from '../../reference/countries';
import { KYC_STATUSES } from '../../domain/clients';
import type { Page } from '../../domain/ledger';
import type { WalletView } from '../../domain/wallets';
import { ACH_ACCOUNT_TYPES, ID_DOCUMENT_TYPES, PIX_KEY_TYPES, textField } from '../../validation';
import { RISK_LEVELS } from '../../domain/screening';
import { channel } from '../define';
import * as s from '../schemas';

/**
 * Shapes only: the check digits, phone plans, ages and holder names are checked by the engine with
 * the shared validators, so each refusal comes back with its own named code (invalid_iban, ...).
 */
const country = z.string().trim().regex(/^[A-Za-z]{2}$/, 'Must be an ISO 3166 alpha-2 country code.');
const day = textField(0, 10);
const text = (max: number) => textField(1, max);
/** A KYC file as base64: 10 MiB of content is 13,981,016 characters; the engine refuses above the limit by name. */
export const KYC_FILE_BASE64_MAX = 14_500_000;
const file = z.string().min(4).max(KYC_FILE_BASE64_MAX);

const address = z
  .object({
    line1: text(200),
    line2: s.optionalText(200),
    city: text(100),
    region: s.optionalText(100),
    postalCode: s.optionalText(20),
    country,
  })
  .strict();

const personal = {
  dateOfBirth: day.optional(),
  nationality: country.optional(),
  address: address.optional(),
  email: s.optionalText(254),
  phone: s.optionalText(40),
  taxId: z.object({ country, kind: text(20), value: text(40) }).strict().optional(),
};

/** A business's company data (the engine checks the registration number and tax id per country). */
const business = {
  tradeName: s.optionalText(200),
  businessType: z.enum(BUSINESS_TYPES).optional(),
  registrationNumber: text(40).optional(),
  incorporationCountry: country.optional(),
  incorporationDate: day.optional(),
};

/** A share of the company in percent, up to two decimals ("25", "33.33"). */
const ownership = z.string().trim().regex(/^\d{1,3}(\.\d{1,2})?$/, 'Must be a percentage with at most two decimals.');

const bankAccount = z.discriminatedUnion('rail', [
  z.object({ rail: z.literal('sepa'), holderName: text(200), iban: text(50), bic: s.optionalText(20) }).strict(),
  z.object({ rail: z.literal('spei'), holderName: text(200), clabe: text(30) }).strict(),
  z.object({ rail: z.literal('ach'), holderName: text(200), routingNumber: text(20), accountNumber: text(30), accountType: z.enum(ACH_ACCOUNT_TYPES) }).strict(),
  z.object({ rail: z.literal('pix'), holderName: text(200), keyType: z.enum(PIX_KEY_TYPES), key: text(100) }).strict(),
  z.object({ rail: z.literal('ar_transfer'), holderName: text(200), cbu: text(30) }).strict(),
]);

export const clientChannels = {
  create: channel<ClientView>()(
    'clients:create',
    z.object({ kind: z.enum(CLIENT_KINDS).optional(), legalName: text(200), ...personal, ...business, idempotencyKey: s.idempotencyKey.optional() }).strict(),
  ),
  update: channel<ClientView>()('clients:update', z.object({ clientId: s.id, legalName: text(200).optional(), ...personal, ...business }).strict()),
  get: channel<ClientView>()('clients:get', z.object({ clientId: s.id }).strict()),
  list: channel<Page<ClientView>>()(
    'clients:list',
    z.object({ kycStatus: z.enum(KYC_STATUSES).optional(), kind: z.enum(CLIENT_KINDS).optional(), search: s.search, cursor: s.cursor, limit: s.pageSize }).strict(),
  ),
  addIdentityDocument: channel<ClientView>()(
    'clients:kyc:addIdentityDocument',
    z
      .object({
        clientId: s.id,
        type: z.enum(ID_DOCUMENT_TYPES),
        number: textField(3, 30),
        issuingCountry: country,
        expiresOn: day,
        front: file,
        back: file.optional(),
      })
      .strict(),
  ),
  addProofOfAddress: channel<ClientView>()('clients:kyc:addProofOfAddress', z.object({ clientId: s.id, issuedOn: day, file }).strict()),
  addCompanyDocument: channel<ClientView>()(
    'clients:kyb:addCompanyDocument',
    z.object({ clientId: s.id, type: z.enum(COMPANY_DOCUMENT_TYPES), issuedOn: day, file }).strict(),
  ),
  addBeneficialOwner: channel<ClientView>()(
    'clients:kyb:addOwner',
    z
      .object({
        clientId: s.id,
        ownership,
        personClientId: s.id.optional(),
        person: z.object({ legalName: text(200), ...personal }).strict().optional(),
      })
      .strict(),
  ),
  removeBeneficialOwner: channel<ClientView>()('clients:kyb:removeOwner', z.object({ clientId: s.id, personClientId: s.id, reason: s.reason }).strict()),
  submitKyc: channel<ClientView>()('clients:kyc:submit', z.object({ clientId: s.id }).strict()),
  verifyKyc: channel<ClientView>()('clients:kyc:verify', z.object({ clientId: s.id }).strict()),
  rejectKyc: channel<ClientView>()('clients:kyc:reject', z.object({ clientId: s.id, reason: s.reason }).strict()),
  suspendKyc: channel<ClientView>()('clients:kyc:suspend', z.object({ clientId: s.id, reason: s.reason }).strict()),
  reinstateKyc: channel<ClientView>()('clients:kyc:reinstate', z.object({ clientId: s.id }).strict()),
  /** The officer's risk assessment; the policy says which levels may pay destinations not whitelisted. */
  setRiskLevel: channel<ClientView>()('clients:setRiskLevel', z.object({ clientId: s.id, riskLevel: z.enum(RISK_LEVELS), reason: s.reason }).strict()),
  /** One of the client's scans for the in-app preview; every viewing is audited. */
  documentFile: channel<KycFileContent>()('clients:kyc:documentFile', z.object({ clientId: s.id, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()),
  verifyKycFiles: channel<Array<{ sha256: string; state: 'intact' | 'missing' | 'altered' | 'erased' }>>()('clients:kyc:verifyFiles', s.empty),
  addBankAccount: channel<BankAccountView>()('clients:bankAccounts:add', z.object({ clientId: s.id, account: bankAccount, idempotencyKey: s.idempotencyKey.optional() }).strict()),
  verifyBankAccount: channel<BankAccountView>()('clients:bankAccounts:verify', z.object({ bankAccountId: s.id, evidence: s.reason }).strict()),
  disableBankAccount: channel<BankAccountView>()('clients:bankAccounts:disable', z.object({ bankAccountId: s.id, reason: s.reason }).strict()),
  bankAccounts: channel<BankAccountView[]>()('clients:bankAccounts:list', z.object({ clientId: s.id }).strict()),
  associateWallet: channel<WalletView>()('clients:wallets:associate', z.object({ clientId: s.id, walletId: s.id }).strict()),
  wallets: channel<WalletView[]>()('clients:wallets:list', z.object({ clientId: s.id }).strict()),
  close: channel<ClientView>()('clients:close', z.object({ clientId: s.id, reason: s.reason }).strict()),
  requestErasure: channel<ErasureRequestView>()('clients:erasure:request', z.object({ clientId: s.id, reason: s.reason }).strict()),
  decideErasure: channel<ErasureRequestView>()('clients:erasure:decide', z.object({ requestId: s.id, approve: z.boolean(), note: s.reason }).strict()),
  erasureRequests: channel<ErasureRequestView[]>()('clients:erasure:list', z.object({ clientId: s.id.optional() }).strict()),
  retention: channel<RetentionSettings>()('clients:retention:get', s.empty),
  setRetention: channel<RetentionSettings>()('clients:retention:set', z.object({ yearsAfterClose: z.number().int().min(1).max(100) }).strict()),
} as const;

