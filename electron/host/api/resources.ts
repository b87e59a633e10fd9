import { z } from 'zod';
import { ALERT_KINDS, ALERT_STATES } from '@shared/domain/alerts';
import { CHAINS } from '@shared/domain/chains';
import { FIAT_CURRENCIES } from '@shared/domain/fiat';
import { OFFRAMP_STATES, ONRAMP_STATES } from '@shared/domain/ramps';
import { MOVEMENT_KINDS } from '@shared/domain/statements';
import { WITHDRAWAL_STATES } from '@shared/domain/withdrawals';
import { clientChannels } from '@shared/ipc/channels/clients';
import * as s from '@shared/ipc/schemas';
import { BANK_RAILS } from '@shared/validation';
import { ERROR_CODES } from '@shared/result';

/**
 * The /v1 representations, as zod schemas: the routes validate requests with them and the OpenAPI document
 * is generated from them. Where the window's contract already has the shape (clients, documents, bank
 * accounts) it is that very schema. Amounts travel as decimal strings in the asset's (or currency's)
 * decimals, with the base units beside them.
 */
export const blockchain = z.enum(CHAINS).describe('polygon, bsc (BNB Chain) or tron.');
export const decimalAmount = z
  .string()
  .max(100)
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'Must be a decimal number like 12.5, in the asset\'s units.')
  .describe('A decimal string in the asset\'s (or currency\'s) units, at most its decimals.');
const baseUnits = z.string().describe('The same amount in base units (a whole number as a decimal string).');
const timestamp = z.string().describe('ISO 8601, UTC.');
const limit = z.string().regex(/^[1-9][0-9]{0,2}$/, 'Must be a whole number from 1 to 500.').optional().describe('Page size, 1 to 500 (default 100).');

// ---- errors
export const errorBody = z
  .object({ ok: z.literal(false), error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) })
  .describe('Every refusal: a stable machine-readable code and a message for people.');

// ---- path parameters
export const walletParams = z.object({ walletId: s.id }).strict();
export const walletClientParams = z.object({ walletId: s.id, clientId: s.id }).strict();
export const withdrawalParams = z.object({ withdrawalId: s.id }).strict();
export const clientParams = z.object({ clientId: s.id }).strict();
export const onRampParams = z.object({ onRampId: s.id }).strict();
export const offRampParams = z.object({ offRampId: s.id }).strict();
export const chainParams = z.object({ blockchain }).strict();
export const noParams = z.object({}).strict();

// ---- queries
export const noQuery = z.object({}).strict();
export const walletListQuery = z
  .object({
    blockchain: blockchain.optional(),
    enabled: z.enum(['true', 'false']).optional(),
    status: z.enum(['active', 'suspended', 'closed']).optional(),
    search: s.search,
    cursor: s.cursor,
    limit,
  })
  .strict();
export const chainQuery = z.object({ blockchain }).strict();
/** The statement's period (inclusive UTC days) and its form: json (the content), csv or pdf (the issued file). */
export const statementQuery = z
  .object({
    from: z.string().describe('First day, like 2026-11-01 (UTC).'),
    to: z.string().describe('Last day, like 2026-11-30 (UTC), inclusive.'),
    format: z.enum(['json', 'csv', 'pdf']).optional().describe('json (default): the content; csv or pdf: the file, its SHA-256 recorded in the audit log.'),
  })
  .strict();
export const alertListQuery = z
  .object({ state: z.enum(ALERT_STATES).optional(), blockchain: blockchain.optional(), kind: z.enum(ALERT_KINDS).optional(), limit })
  .strict();
export const movementsQuery = z.object({ assetId: s.assetId, cursor: s.cursor, limit }).strict();

// ---- bodies
export const createWalletBody = z.object({ alias: s.label, blockchain }).strict();
export const renameWalletBody = z.object({ alias: s.label }).strict();
export const setEnabledBody = z.object({ enabled: z.boolean() }).strict();
export const withdrawBody = z
  .object({
    toWalletAddress: s.address.describe('An external address, or one of our own wallets\' deposit addresses (then an internal transfer).'),
    assetId: s.assetId,
    amount: decimalAmount,
    memo: s.memo,
  })
  .strict();
export const holdingWithdrawBody = z.object({ toWalletAddress: s.address, assetId: s.assetId, amount: decimalAmount, reason: s.reason }).strict();
export const createClientBody = clientChannels.create.request.omit({ idempotencyKey: true });
export const identityDocumentBody = clientChannels.addIdentityDocument.request.omit({ clientId: true });
export const proofOfAddressBody = clientChannels.addProofOfAddress.request.omit({ clientId: true });
export const companyDocumentBody = clientChannels.addCompanyDocument.request.omit({ clientId: true });
export const beneficialOwnerBody = clientChannels.addBeneficialOwner.request.omit({ clientId: true });
export const bankAccountBody = clientChannels.addBankAccount.request.omit({ clientId: true, idempotencyKey: true });
export const onRampBody = z
  .object({ clientId: s.id, walletId: s.id, assetId: s.assetId, currency: z.enum(FIAT_CURRENCIES), amount: decimalAmount.describe('Fiat, in the currency\'s units.'), rail: z.enum(BANK_RAILS) })
  .strict();
export const offRampBody = z.object({ clientId: s.id, walletId: s.id, bankAccountId: s.id, assetId: s.assetId, amount: decimalAmount }).strict();
export const emptyBody = z.object({}).strict();

// ---- responses
const money = (name: string) => ({ [name]: decimalAmount, [`${name}BaseUnits`]: baseUnits });
export const balance = z.object({
  assetId: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  tokenAddress: z.string().nullable().describe('The token contract; null for the chain\'s coin.'),
  ...money('balance'),
  ...money('available'),
  ...money('pending'),
});
export const wallet = z.object({
  id: z.string(),
  alias: z.string(),
  blockchain,
  walletAddress: z.string(),
  enabled: z.boolean(),
  status: z.enum(['active', 'suspended', 'closed']),
  clientId: z.string().nullable(),
  createdAt: timestamp,
  balances: z.array(balance),
});
export const walletPage = z.object({ items: z.array(wallet), nextCursor: z.string().nullable() });
export const chainTotal = z.object({ assetId: z.string(), symbol: z.string(), decimals: z.number().int(), tokenAddress: z.string().nullable(), ...money('balance') });
export const movement = z.object({
  id: z.string(),
  date: timestamp,
  operation: z.string().describe('deposit, internal_transfer, withdrawal, onramp, offramp, ...'),
  kind: z.enum(['posted', 'pending', 'post_pending', 'void_pending']),
  direction: z.enum(['in', 'out']),
  assetId: z.string(),
  ...money('amount'),
  memo: z.string().nullable(),
  cause: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export const movementPage = z.object({ items: z.array(movement), nextCursor: z.string().nullable() });
export const withdrawStatus = z.enum(['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED']);
export const withdrawal = z.object({
  id: z.string().nullable().describe('The withdrawal; null for an internal transfer.'),
  transferId: z.string().nullable().describe('The ledger transfer of an internal transfer.'),
  status: withdrawStatus,
  state: z.enum([...WITHDRAWAL_STATES, 'internal']).describe('The treasury\'s own state of the withdrawal.'),
  transactionHash: z.string().nullable().describe('"internal" for an internal transfer; null until broadcast.'),
  blockchain,
  assetId: z.string(),
  ...money('amount'),
  toWalletAddress: z.string(),
  needsApproval: z.boolean(),
  failureReason: z.string().nullable(),
  createdAt: timestamp,
});
export const holdingInfo = z.object({ blockchain, walletAddress: z.string(), derivationPath: z.string(), source: z.enum(['ledger', 'virtual-ledger']) });
export const holdingBalance = z.object({
  blockchain,
  assetId: z.string(),
  symbol: z.string(),
  decimals: z.number().int(),
  walletAddress: z.string(),
  ...money('onChain'),
  ...money('inFlight'),
  ...money('available'),
});
const history = z.array(z.object({ from: z.string().nullable(), to: z.string(), operator: z.string(), at: timestamp, detail: z.record(z.string(), z.unknown()) }));
export const client = z
  .object({ id: z.string(), legalName: z.string(), kycStatus: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .catchall(z.unknown())
  .describe('The client as the treasury keeps it (personal data, KYC status and documents).');
export const bankAccount = z
  .object({ id: z.string(), clientId: z.string(), rail: z.enum(BANK_RAILS), holderName: z.string(), identifier: z.string(), status: z.enum(['unverified', 'verified', 'disabled']), createdAt: timestamp })
  .catchall(z.unknown());
export const onRamp = z.object({
  id: z.string(),
  clientId: z.string(),
  walletId: z.string(),
  assetId: z.string(),
  state: z.enum(ONRAMP_STATES),
  rail: z.enum(BANK_RAILS),
  currency: z.enum(FIAT_CURRENCIES),
  ...money('requestedAmount'),
  reference: z.string().describe('Quote it on the bank transfer.'),
  instructions: z.object({ beneficiary: z.string(), account: z.record(z.string(), z.string()), expiresAt: timestamp }),
  rate: z.string().nullable(),
  cryptoAmount: decimalAmount.nullable(),
  cryptoAmountBaseUnits: baseUnits.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  history,
});
export const offRamp = z.object({
  id: z.string(),
  clientId: z.string(),
  walletId: z.string(),
  bankAccountId: z.string(),
  assetId: z.string(),
  state: z.enum(OFFRAMP_STATES),
  ...money('amount'),
  transactionHash: z.string().nullable(),
  rate: z.string().nullable(),
  currency: z.enum(FIAT_CURRENCIES).nullable(),
  fee: decimalAmount.nullable(),
  fiatAmount: decimalAmount.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  history,
});
export const offRampSimulation = z.object({
  assetId: z.string(),
  ...money('amount'),
  currency: z.enum(FIAT_CURRENCIES),
  rate: z.string().describe('Fiat per whole unit of the asset.'),
  ...money('convertedAmount'),
  ...money('fee'),
  ...money('finalAmount'),
  basis: z.object({ offRampId: z.string(), convertedAt: timestamp }).describe('The last converted off-ramp whose rate and fee share were used.'),
});

const signedAmount = z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/).describe('A decimal string in the asset\'s units, negative for money out.');
const signedMoney = (name: string) => ({ [name]: signedAmount, [`${name}BaseUnits`]: z.string().describe('The same amount in base units, signed.') });
export const statement = z
  .object({
    client: z.object({ id: z.string(), name: z.string() }),
    network: z.string(),
    from: z.string(),
    to: z.string(),
    generatedAt: timestamp,
    assets: z.array(
      z.object({
        assetId: z.string(),
        blockchain,
        symbol: z.string(),
        decimals: z.number().int(),
        ...money('opening'),
        ...money('totalIn'),
        ...money('totalOut'),
        ...money('closing'),
        ...money('heldAtClose'),
        movements: z.array(
          z.object({
            transferId: z.string(),
            date: timestamp,
            kind: z.enum(MOVEMENT_KINDS),
            description: z.string(),
            direction: z.enum(['in', 'out']),
            ...signedMoney('amount'),
            ...signedMoney('balanceAfter'),
            walletAlias: z.string(),
            transactionHash: z.string().nullable(),
            explorerUrl: z.string().nullable(),
            counterparty: z.string().nullable(),
            fee: z.object({ assetId: z.string(), amountBaseUnits: z.string() }).nullable(),
            reference: z.string().nullable(),
          }),
        ),
      }),
    ),
  })
  .describe('Per asset: opening balance, every movement of the period, closing balance.');
export const statementFile = z
  .object({ fileName: z.string(), format: z.enum(['csv', 'pdf']), bytes: z.number().int(), sha256: z.string(), issuedAt: timestamp, content: z.string().describe('The file, base64.') })
  .describe('The issued statement file; its SHA-256 is in the audit log, so a copy can be checked later.');
export const statementAnswer = z.union([statement, statementFile]);
export const alert = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  title: z.string(),
  blockchain: blockchain.nullable(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  state: z.enum(ALERT_STATES),
  count: z.number().int(),
  createdAt: timestamp,
  lastRaisedAt: timestamp,
  resolvedAt: timestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: timestamp.nullable(),
});
