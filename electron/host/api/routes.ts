import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Engine } from '@engine/engine';
import type { ApiScope } from '@shared/domain/api-keys';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import { minorUnits, type FiatCurrency } from '@shared/domain/fiat';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { Page, ReconciliationLine, TransferReceipt, TransferView } from '@shared/domain/ledger';
import type { OffRampSimulation, OffRampView, OnRampView } from '@shared/domain/ramps';
import type { AlertView } from '@shared/domain/alerts';
import type { IssuedStatement, Statement } from '@shared/domain/statements';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, HoldingBalanceView, WithdrawalView } from '@shared/domain/withdrawals';
import { formatAmount, parseAmount } from '@shared/money';
import { DomainError } from '@shared/result';
import * as r from './resources';

/** What a route handler gets: validated parts of the request, and the engine through its dispatcher. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Calls an engine channel as the key; a refusal is thrown as a DomainError and answered with its status. */
  call<T>(channel: string, payload: unknown): Promise<T>;
  /** Asset facts (symbol, decimals, contract) for formatting amounts. */
  asset(assetId: string): Promise<Asset>;
  /** Our wallet whose deposit address this is, on any chain, or null. */
  ownWallet(address: string): Promise<{ id: string; chain: Chain } | null>;
  /** A key for the engine's own idempotency (withdrawals, transfers): derived from the Idempotency-Key when sent. */
  engineKey: string;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI style: /v1/virtual-wallets/{walletId} */
  path: string;
  summary: string;
  /** The scope its engine channels need (for the document; the guard enforces it per channel). */
  scope: ApiScope;
  params: z.ZodObject;
  query: z.ZodObject;
  body: z.ZodType | null;
  response: z.ZodType;
  /** The success status; withdrawals answer 202 (PENDING) and creates 201. */
  status: number;
  /** Other success statuses this route may answer (the internal transfer's 200 beside 202). */
  alsoStatus?: number;
  handle(context: RouteContext<any, any, any>): Promise<{ status?: number; body: unknown }>;
}

function route<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType | null>(definition: {
  method: ApiRoute['method'];
  path: string;
  summary: string;
  scope: ApiScope;
  params: P;
  query: Q;
  body: B;
  response: z.ZodType;
  status: number;
  alsoStatus?: number;
  handle(context: RouteContext<z.output<P>, z.output<Q>, B extends z.ZodType ? z.output<B> : undefined>): Promise<{ status?: number; body: unknown }>;
}): ApiRoute {
  return definition as ApiRoute;
}

const money = (name: string, baseUnits: string, decimals: number) => ({ [name]: formatAmount(BigInt(baseUnits), decimals), [`${name}BaseUnits`]: baseUnits });
const nullableMoney = (name: string, baseUnits: string | null, decimals: number) =>
  baseUnits === null ? { [name]: null, [`${name}BaseUnits`]: null } : money(name, baseUnits, decimals);
const pageSize = (limit: string | undefined) => (limit === undefined ? 100 : Math.min(500, Number(limit)));

async function walletBody(context: RouteContext<unknown, unknown, unknown>, view: WalletView) {
  return {
    id: view.id,
    alias: view.label,
    blockchain: view.chain,
    walletAddress: view.address,
    enabled: view.status === 'active',
    status: view.status,
    clientId: view.clientId,
    createdAt: view.createdAt,
    balances: await Promise.all(
      view.balances.map(async (b) => {
        const asset = await context.asset(b.assetId);
        return {
          assetId: asset.id,
          symbol: asset.symbol,
          decimals: asset.decimals,
          tokenAddress: asset.contract,
          ...money('balance', b.posted, asset.decimals),
          ...money('available', b.available, asset.decimals),
          ...money('pending', b.pending, asset.decimals),
        };
      }),
    ),
  };
}

const WITHDRAW_STATUS: Record<WithdrawalView['state'], z.infer<typeof r.withdrawStatus>> = {
  requested: 'PENDING',
  approved: 'PENDING',
  signed: 'PENDING',
  broadcast: 'PENDING',
  confirmed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

async function withdrawalBody(context: RouteContext<unknown, unknown, unknown>, view: WithdrawalView) {
  const asset = await context.asset(view.assetId);
  return {
    id: view.id,
    transferId: null,
    status: WITHDRAW_STATUS[view.state],
    state: view.state,
    transactionHash: view.txHash,
    blockchain: view.chain,
    assetId: view.assetId,
    ...money('amount', view.amount, asset.decimals),
    toWalletAddress: view.destination,
    needsApproval: view.needsApproval,
    failureReason: view.failureReason,
    createdAt: view.createdAt,
  };
}

async function onRampBody(context: RouteContext<unknown, unknown, unknown>, view: OnRampView) {
  const asset = await context.asset(view.assetId);
  return {
    id: view.id,
    clientId: view.clientId,
    walletId: view.walletId,
    assetId: view.assetId,
    state: view.state,
    rail: view.rail,
    currency: view.currency,
    ...money('requestedAmount', view.requestedAmount, minorUnits(view.currency)),
    reference: view.reference,
    instructions: { beneficiary: view.instructions.beneficiary, account: view.instructions.account, expiresAt: view.instructions.expiresAt },
    rate: view.rate,
    ...nullableMoney('cryptoAmount', view.cryptoAmount, asset.decimals),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    history: view.history,
  };
}

async function offRampBody(context: RouteContext<unknown, unknown, unknown>, view: OffRampView) {
  const asset = await context.asset(view.assetId);
  const fiatDecimals = view.currency ? minorUnits(view.currency) : 2;
  return {
    id: view.id,
    clientId: view.clientId,
    walletId: view.walletId,
    bankAccountId: view.bankAccountId,
    assetId: view.assetId,
    state: view.state,
    ...money('amount', view.cryptoAmount, asset.decimals),
    transactionHash: view.txHash,
    rate: view.rate,
    currency: view.currency,
    fee: view.fee === null ? null : formatAmount(BigInt(view.fee), fiatDecimals),
    fiatAmount: view.fiatAmount === null ? null : formatAmount(BigInt(view.fiatAmount), fiatDecimals),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    history: view.history,
  };
}

/** The statement with amounts as decimal strings beside their base units, in the API's words. */
function statementBody(statement: Statement) {
  return {
    client: statement.client,
    network: statement.network,
    from: statement.from,
    to: statement.to,
    generatedAt: statement.generatedAt,
    assets: statement.assets.map((a) => ({
      assetId: a.assetId,
      blockchain: a.chain,
      symbol: a.symbol,
      decimals: a.decimals,
      ...money('opening', a.opening, a.decimals),
      ...money('totalIn', a.totalIn, a.decimals),
      ...money('totalOut', a.totalOut, a.decimals),
      ...money('closing', a.closing, a.decimals),
      ...money('heldAtClose', a.heldAtClose, a.decimals),
      movements: a.movements.map((m) => ({
        transferId: m.transferId,
        date: m.at,
        kind: m.kind,
        description: m.description,
        direction: m.direction,
        ...money('amount', m.amount, a.decimals),
        ...money('balanceAfter', m.balanceAfter, a.decimals),
        walletAlias: m.walletLabel,
        transactionHash: m.txHash,
        explorerUrl: m.explorerUrl,
        counterparty: m.counterparty,
        fee: m.fee ? { assetId: m.fee.assetId, amountBaseUnits: m.fee.amount } : null,
        reference: m.reference,
      })),
    })),
  };
}

async function baseUnitsOf(context: RouteContext<unknown, unknown, unknown>, assetId: string, amount: string): Promise<string> {
  const asset = await context.asset(assetId);
  const value = parseAmount(amount, asset.decimals);
  if (value <= 0n) throw new DomainError('invalid_amount', 'The amount must be greater than zero.');
  return value.toString();
}

/** Every /v1 route but the document itself; the OpenAPI test holds this list and the document to each other. */
export const API_ROUTES: readonly ApiRoute[] = [
  route({
    method: 'POST',
    path: '/v1/virtual-wallets',
    summary: 'Create a virtual wallet (a deposit address on one chain).',
    scope: 'wallets',
    params: r.noParams,
    query: r.noQuery,
    body: r.createWalletBody,
    response: r.wallet,
    status: 201,
    handle: async (c) => ({ body: await walletBody(c, await c.call<WalletView>('wallets:create', { chain: c.body.blockchain, label: c.body.alias })) }),
  }),
  route({
    method: 'GET',
    path: '/v1/virtual-wallets',
    summary: 'List virtual wallets, newest first, a page at a time; filter by chain, enabled, status or text.',
    scope: 'read',
    params: r.noParams,
    query: r.walletListQuery,
    body: null,
    response: r.walletPage,
    status: 200,
    handle: async (c) => {
      const status = c.query.status ?? (c.query.enabled === undefined ? undefined : c.query.enabled === 'true' ? 'active' : 'suspended');
      const page = await c.call<Page<WalletView>>('wallets:list', {
        ...(c.query.blockchain ? { chain: c.query.blockchain } : {}),
        ...(status ? { status } : {}),
        ...(c.query.search ? { search: c.query.search } : {}),
        ...(c.query.cursor ? { cursor: c.query.cursor } : {}),
        limit: pageSize(c.query.limit),
      });
      return { body: { items: await Promise.all(page.items.map((w) => walletBody(c, w))), nextCursor: page.nextCursor } };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/virtual-wallets/virtual-balances',
    summary: 'Total virtual balances of all wallets on one chain, per asset.',
    scope: 'read',
    params: r.noParams,
    query: r.chainQuery,
    body: null,
    response: r.chainTotal.array(),
    status: 200,
    handle: async (c) => {
      const lines = await c.call<ReconciliationLine[]>('audit:reconcile', {});
      const totals = [];
      for (const line of lines) {
        const asset = await c.asset(line.assetId);
        if (asset.chain !== c.query.blockchain) continue;
        totals.push({ assetId: asset.id, symbol: asset.symbol, decimals: asset.decimals, tokenAddress: asset.contract, ...money('balance', line.clientLiabilities, asset.decimals) });
      }
      return { body: totals };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/virtual-wallets/{walletId}',
    summary: 'One virtual wallet with its balances.',
    scope: 'read',
    params: r.walletParams,
    query: r.noQuery,
    body: null,
    response: r.wallet,
    status: 200,
    handle: async (c) => ({ body: await walletBody(c, await c.call<WalletView>('wallets:get', { walletId: c.params.walletId })) }),
  }),
  route({
    method: 'PATCH',
    path: '/v1/virtual-wallets/{walletId}/set-enabled',
    summary: 'Enable or disable a wallet: a disabled wallet takes no new movements (deposits are still recorded).',
    scope: 'wallets',
    params: r.walletParams,
    query: r.noQuery,
    body: r.setEnabledBody,
    response: r.wallet,
    status: 200,
    handle: async (c) => ({
      body: await walletBody(c, await c.call<WalletView>('wallets:setStatus', { walletId: c.params.walletId, status: c.body.enabled ? 'active' : 'suspended' })),
    }),
  }),
  route({
    method: 'PATCH',
    path: '/v1/virtual-wallets/{walletId}',
    summary: 'Rename a wallet (its alias); its address, balances and history stay.',
    scope: 'wallets',
    params: r.walletParams,
    query: r.noQuery,
    body: r.renameWalletBody,
    response: r.wallet,
    status: 200,
    handle: async (c) => ({ body: await walletBody(c, await c.call<WalletView>('wallets:rename', { walletId: c.params.walletId, label: c.body.alias })) }),
  }),
  route({
    method: 'POST',
    path: '/v1/virtual-wallets/{walletId}/close',
    summary: 'Close an empty wallet for good: it keeps its history, never moves money again, and deposits to it go to unidentified funds.',
    scope: 'wallets',
    params: r.walletParams,
    query: r.noQuery,
    body: r.emptyBody.optional(),
    response: r.wallet,
    status: 200,
    handle: async (c) => ({ body: await walletBody(c, await c.call<WalletView>('wallets:setStatus', { walletId: c.params.walletId, status: 'closed' })) }),
  }),
  route({
    method: 'GET',
    path: '/v1/virtual-wallets/{walletId}/balance',
    summary: 'A wallet\'s virtual balances per asset: posted, available (after holds) and pending.',
    scope: 'read',
    params: r.walletParams,
    query: r.noQuery,
    body: null,
    response: r.balance.array(),
    status: 200,
    handle: async (c) => ({ body: (await walletBody(c, await c.call<WalletView>('wallets:get', { walletId: c.params.walletId }))).balances }),
  }),
  route({
    method: 'GET',
    path: '/v1/virtual-wallets/{walletId}/movements',
    summary: 'A wallet\'s movements in one asset, newest first, a page at a time.',
    scope: 'read',
    params: r.walletParams,
    query: r.movementsQuery,
    body: null,
    response: r.movementPage,
    status: 200,
    handle: async (c) => {
      const asset = await c.asset(c.query.assetId);
      const page = await c.call<Page<TransferView>>('transfers:history', {
        walletId: c.params.walletId,
        assetId: asset.id,
        ...(c.query.cursor ? { cursor: c.query.cursor } : {}),
        limit: pageSize(c.query.limit),
      });
      return {
        body: {
          items: page.items.map((t) => ({
            id: t.id,
            date: t.createdAt,
            operation: t.code,
            kind: t.kind,
            direction: t.direction,
            assetId: t.assetId,
            ...money('amount', t.amount, asset.decimals),
            memo: t.memo,
            cause: t.cause,
          })),
          nextCursor: page.nextCursor,
        },
      };
    },
  }),
  route({
    method: 'PATCH',
    path: '/v1/virtual-wallets/{walletId}/client/{clientId}',
    summary: 'Associate a wallet with a client.',
    scope: 'clients',
    params: r.walletClientParams,
    query: r.noQuery,
    body: null,
    response: r.wallet,
    status: 200,
    handle: async (c) => ({ body: await walletBody(c, await c.call<WalletView>('clients:wallets:associate', { clientId: c.params.clientId, walletId: c.params.walletId })) }),
  }),
  route({
    method: 'POST',
    path: '/v1/virtual-wallets/{walletId}/withdraw',
    summary:
      'Withdraw from a wallet. To an external address: held at once and answered 202 PENDING; officers approve and sign on the Ledger. To one of our own wallets\' deposit addresses: an internal transfer, answered 200 with transactionHash "internal".',
    scope: 'withdrawals',
    params: r.walletParams,
    query: r.noQuery,
    body: r.withdrawBody,
    response: r.withdrawal,
    status: 202,
    alsoStatus: 200,
    handle: async (c) => {
      const amount = await baseUnitsOf(c, c.body.assetId, c.body.amount);
      const own = await c.ownWallet(c.body.toWalletAddress);
      if (own) {
        const asset = await c.asset(c.body.assetId);
        if (own.chain !== asset.chain) {
          throw new DomainError('asset_mismatch', `That address is one of our ${own.chain} wallets; ${asset.id} cannot be sent there.`, { assetId: asset.id });
        }
        const receipt = await c.call<TransferReceipt>('transfers:internal', {
          idempotencyKey: c.engineKey,
          fromWalletId: c.params.walletId,
          toWalletId: own.id,
          assetId: asset.id,
          amount,
          ...(c.body.memo ? { memo: c.body.memo } : {}),
        });
        return {
          status: 200,
          body: {
            id: null,
            transferId: receipt.transferId,
            status: 'COMPLETED',
            state: 'internal',
            transactionHash: 'internal',
            blockchain: asset.chain,
            assetId: asset.id,
            ...money('amount', receipt.amount, asset.decimals),
            toWalletAddress: c.body.toWalletAddress,
            needsApproval: false,
            failureReason: null,
            createdAt: receipt.createdAt,
          },
        };
      }
      const view = await c.call<WithdrawalView>('withdrawals:request', {
        idempotencyKey: c.engineKey,
        walletId: c.params.walletId,
        assetId: c.body.assetId,
        amount,
        destination: c.body.toWalletAddress,
        ...(c.body.memo ? { memo: c.body.memo } : {}),
      });
      return { status: 202, body: await withdrawalBody(c, view) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/withdrawals/{withdrawalId}',
    summary: 'A withdrawal (client or holding) and where it stands.',
    scope: 'read',
    params: r.withdrawalParams,
    query: r.noQuery,
    body: null,
    response: r.withdrawal,
    status: 200,
    handle: async (c) => ({ body: await withdrawalBody(c, await c.call<WithdrawalView>('withdrawals:get', { withdrawalId: c.params.withdrawalId })) }),
  }),
  route({
    method: 'GET',
    path: '/v1/holding',
    summary: 'The company\'s holding wallet on one chain (an address on its Ledger).',
    scope: 'read',
    params: r.noParams,
    query: r.chainQuery,
    body: null,
    response: r.holdingInfo,
    status: 200,
    handle: async (c) => {
      const view = await c.call<HoldingAddressView>('holding:address', { chain: c.query.blockchain });
      return { body: { blockchain: view.chain, walletAddress: view.address, derivationPath: view.derivationPath, source: view.source } };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/holding/balance',
    summary: 'The holding wallet\'s balances on one chain: on chain, in flight, available.',
    scope: 'read',
    params: r.noParams,
    query: r.chainQuery,
    body: null,
    response: r.holdingBalance.array(),
    status: 200,
    handle: async (c) => {
      const lines = await c.call<HoldingBalanceView[]>('holding:balances', { chain: c.query.blockchain });
      return {
        body: lines.map((line) => ({
          blockchain: line.chain,
          assetId: line.assetId,
          symbol: line.symbol,
          decimals: line.decimals,
          walletAddress: line.address,
          ...money('onChain', line.onChain, line.decimals),
          ...money('inFlight', line.inFlight, line.decimals),
          ...money('available', line.available, line.decimals),
        })),
      };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/holding/withdraw/{blockchain}',
    summary: 'The company\'s own funds from the holding wallet to an external address: answered 202 PENDING; officers approve and sign.',
    scope: 'withdrawals',
    params: r.chainParams,
    query: r.noQuery,
    body: r.holdingWithdrawBody,
    response: r.withdrawal,
    status: 202,
    handle: async (c) => {
      const asset = await c.asset(c.body.assetId);
      if (asset.chain !== c.params.blockchain) throw new DomainError('asset_mismatch', `${asset.id} is not an asset of ${c.params.blockchain}.`, { assetId: asset.id });
      const amount = await baseUnitsOf(c, asset.id, c.body.amount);
      const view = await c.call<WithdrawalView>('holding:companyWithdraw', {
        idempotencyKey: c.engineKey,
        assetId: asset.id,
        amount,
        destination: c.body.toWalletAddress,
        reason: c.body.reason,
      });
      return { status: 202, body: await withdrawalBody(c, view) };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/clients',
    summary: 'Create a client (KYC status draft).',
    scope: 'clients',
    params: r.noParams,
    query: r.noQuery,
    body: r.createClientBody,
    response: r.client,
    status: 201,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:create', c.body) }),
  }),
  route({
    method: 'GET',
    path: '/v1/clients/{clientId}',
    summary: 'A client with its KYC status and documents.',
    scope: 'read',
    params: r.clientParams,
    query: r.noQuery,
    body: null,
    response: r.client,
    status: 200,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:get', { clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/documents/identity',
    summary: 'Add an identity document (front and back as base64 PDF, JPEG or PNG, 10 MiB each).',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.identityDocumentBody,
    response: r.client,
    status: 201,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:kyc:addIdentityDocument', { ...c.body, clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/documents/proof-of-address',
    summary: 'Add a proof of address (base64 PDF, JPEG or PNG).',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.proofOfAddressBody,
    response: r.client,
    status: 201,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:kyc:addProofOfAddress', { ...c.body, clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/documents/company',
    summary: 'Add a business client\'s company document (certificate of incorporation, articles, proof of address, register of shareholders).',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.companyDocumentBody,
    response: r.client,
    status: 201,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:kyb:addCompanyDocument', { ...c.body, clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/beneficial-owners',
    summary: 'Add an ultimate beneficial owner to a business client: an existing individual client or a new person, with their share in percent.',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.beneficialOwnerBody,
    response: r.client,
    status: 201,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:kyb:addOwner', { ...c.body, clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/kyc/submit',
    summary: 'Submit the client\'s KYC file for an officer\'s review.',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.emptyBody.optional(),
    response: r.client,
    status: 200,
    handle: async (c) => ({ body: await c.call<ClientView>('clients:kyc:submit', { clientId: c.params.clientId }) }),
  }),
  route({
    method: 'POST',
    path: '/v1/clients/{clientId}/bank-accounts',
    summary: 'Add a bank account (SEPA, SPEI, ACH, PIX, AR CBU/CVU); an officer verifies it.',
    scope: 'clients',
    params: r.clientParams,
    query: r.noQuery,
    body: r.bankAccountBody,
    response: r.bankAccount,
    status: 201,
    handle: async (c) => ({ body: await c.call<BankAccountView>('clients:bankAccounts:add', { ...c.body, clientId: c.params.clientId }) }),
  }),
  route({
    method: 'GET',
    path: '/v1/clients/{clientId}/bank-accounts',
    summary: 'A client\'s bank accounts.',
    scope: 'read',
    params: r.clientParams,
    query: r.noQuery,
    body: null,
    response: r.bankAccount.array(),
    status: 200,
    handle: async (c) => ({ body: await c.call<BankAccountView[]>('clients:bankAccounts:list', { clientId: c.params.clientId }) }),
  }),
  route({
    method: 'GET',
    path: '/v1/clients/{clientId}/statements',
    summary:
      'A client\'s statement for a period of UTC days: per asset the opening balance, every movement and the closing balance. format=json (default) answers the content; csv or pdf the file (base64), its SHA-256 recorded in the audit log.',
    scope: 'read',
    params: r.clientParams,
    query: r.statementQuery,
    body: null,
    response: r.statementAnswer,
    status: 200,
    handle: async (c) => {
      const period = { clientId: c.params.clientId, from: c.query.from, to: c.query.to };
      if (c.query.format === 'csv' || c.query.format === 'pdf') {
        const file = await c.call<IssuedStatement>('statements:issue', { ...period, format: c.query.format });
        // The engine's own path to its copy stays in the treasury.
        return { body: { fileName: file.fileName, format: file.format, bytes: file.bytes, sha256: file.sha256, issuedAt: file.issuedAt, content: file.content } };
      }
      return { body: statementBody(await c.call<Statement>('statements:get', period)) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/alerts',
    summary: 'Alerts, newest first (by the last time their cause was seen); filter by state (open, acknowledged), chain or kind.',
    scope: 'read',
    params: r.noParams,
    query: r.alertListQuery,
    body: null,
    response: r.alert.array(),
    status: 200,
    handle: async (c) => {
      const alerts = await c.call<AlertView[]>('alerts:list', {
        ...(c.query.state ? { state: c.query.state } : {}),
        ...(c.query.blockchain ? { chain: c.query.blockchain } : {}),
        ...(c.query.kind ? { kind: c.query.kind } : {}),
        limit: pageSize(c.query.limit),
      });
      return { body: alerts.map(({ chain, ...alert }) => ({ ...alert, blockchain: chain })) };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/ramps/on',
    summary: 'Start an on-ramp: answers the company\'s receiving account and the reference the client quotes on the transfer.',
    scope: 'ramps',
    params: r.noParams,
    query: r.noQuery,
    body: r.onRampBody,
    response: r.onRamp,
    status: 201,
    handle: async (c) => {
      const amount = parseAmount(c.body.amount, minorUnits(c.body.currency as FiatCurrency));
      if (amount <= 0n) throw new DomainError('invalid_amount', 'The amount must be greater than zero.');
      const view = await c.call<OnRampView>('ramps:onramp:request', { ...c.body, amount: amount.toString() });
      return { body: await onRampBody(c, view) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/ramps/on/{onRampId}',
    summary: 'An on-ramp and its history.',
    scope: 'read',
    params: r.onRampParams,
    query: r.noQuery,
    body: null,
    response: r.onRamp,
    status: 200,
    handle: async (c) => ({ body: await onRampBody(c, await c.call<OnRampView>('ramps:onramp:get', { onRampId: c.params.onRampId })) }),
  }),
  route({
    method: 'POST',
    path: '/v1/ramps/off/simulate',
    summary: 'What an off-ramp would pay out now: rate, converted amount, fee and final amount. Holds nothing.',
    scope: 'read',
    params: r.noParams,
    query: r.noQuery,
    body: r.offRampBody,
    response: r.offRampSimulation,
    status: 200,
    handle: async (c) => {
      const asset = await c.asset(c.body.assetId);
      const amount = await baseUnitsOf(c, asset.id, c.body.amount);
      const sim = await c.call<OffRampSimulation>('ramps:offramp:simulate', { ...c.body, amount });
      const fiat = minorUnits(sim.currency);
      return {
        body: {
          assetId: sim.assetId,
          ...money('amount', sim.amount, asset.decimals),
          currency: sim.currency,
          rate: sim.rate,
          ...money('convertedAmount', sim.convertedAmount, fiat),
          ...money('fee', sim.fee, fiat),
          ...money('finalAmount', sim.finalAmount, fiat),
          basis: sim.basis,
        },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/ramps/off',
    summary: 'Start an off-ramp: the amount is held from the wallet at once; officers send the crypto and pay out the fiat.',
    scope: 'ramps',
    params: r.noParams,
    query: r.noQuery,
    body: r.offRampBody,
    response: r.offRamp,
    status: 201,
    handle: async (c) => {
      const amount = await baseUnitsOf(c, c.body.assetId, c.body.amount);
      return { body: await offRampBody(c, await c.call<OffRampView>('ramps:offramp:request', { ...c.body, amount })) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/ramps/off/{offRampId}',
    summary: 'An off-ramp and its history.',
    scope: 'read',
    params: r.offRampParams,
    query: r.noQuery,
    body: null,
    response: r.offRamp,
    status: 200,
    handle: async (c) => ({ body: await offRampBody(c, await c.call<OffRampView>('ramps:offramp:get', { offRampId: c.params.offRampId })) }),
  }),
];

/** The engine's own idempotency key for a move: stable per API key and Idempotency-Key, of the engine's alphabet. */
export function engineIdempotencyKey(keyId: string, idempotencyKey: string | null): string {
  if (!idempotencyKey) return `api:${randomUUID()}`;
  return `api:${createHash('sha256').update(`${keyId}\n${idempotencyKey}`).digest('hex').slice(0, 48)}`;
}

export type ApiEngine = Pick<Engine, 'api' | 'services'>;
