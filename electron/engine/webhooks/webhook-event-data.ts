import type { Kysely } from 'kysely';
import { wellKnownAssets, type Asset } from '@shared/domain/assets';
import type { Chain, NetworkProfile } from '@shared/domain/chains';
import type { WebhookEventType } from '@shared/domain/webhooks';
import { formatAmount } from '@shared/money';
import type { AuditRecordRow, Database } from '../db/schema';

type Db = Kysely<Database>;

/** An amount as the API shows it: a decimal string in the asset's decimals, with the base units beside it. */
export interface WebhookAmount {
  value: string;
  baseUnits: string;
}

export interface WebhookEventData {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/** Areas whose audit records carry `{from, to}`: a change of `to` is the event `<area>.<to>`. */
const STATE_AREAS: Record<string, 'withdrawal' | 'sweep' | 'onramp' | 'offramp'> = { withdrawal: 'withdrawal', sweep: 'sweep', onramp: 'onramp', offramp: 'offramp' };

const REPORTED_ENTITIES = new Set(['deposit', 'client', 'alert', ...Object.keys(STATE_AREAS)]);
const CREATED_AS: Record<string, WebhookEventType> = { 'withdrawal.requested': 'withdrawal.requested', 'sweep.planned': 'sweep.planned' };

/**
 * The webhook event an audit record reports, if any, with its data read in the record's own transaction
 * (so it shows the row as this change left it). The audit log is written with every state change in the
 * change's transaction, which is what lets the outbox ride the same transaction for every area at once.
 */
export async function webhookEventFor(trx: Db, network: NetworkProfile, record: AuditRecordRow): Promise<WebhookEventData | null> {
  // Most records report nothing: decided on the entity type before anything is parsed or read.
  if (!REPORTED_ENTITIES.has(record.entity_type)) return null;
  const change = JSON.parse(record.change) as Record<string, unknown>;
  const id = record.entity_id;
  if (record.entity_type === 'deposit') {
    const type = ({ 'deposit.seen': 'deposit.seen', 'deposit.confirmed': 'deposit.confirmed', 'deposit.orphaned': 'deposit.reversed' } as const)[record.action as 'deposit.seen'];
    return type ? { type, data: await depositData(trx, network, id) } : null;
  }
  if (record.action.startsWith('kyc.') && record.entity_type === 'client') {
    if (change.from === change.to) return null;
    return { type: `kyc.${String(change.to)}` as WebhookEventType, data: { clientId: id, status: change.to, previousStatus: change.from ?? null, ...(change.reason ? { reason: change.reason } : {}) } };
  }
  if (record.action === 'alert.raised' && record.entity_type === 'alert') {
    const alert = await trx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!alert) return null;
    return { type: 'alert.raised', data: { alertId: alert.id, kind: alert.kind, chain: alert.chain, message: alert.message, details: JSON.parse(alert.details) as unknown, createdAt: alert.created_at } };
  }
  const area = STATE_AREAS[record.entity_type];
  if (!area) return null;
  // A creation record names its first state in its action and carries no from/to.
  const created = CREATED_AS[record.action] !== undefined && !('to' in change);
  if (!created && (!('to' in change) || change.from === change.to || typeof change.to !== 'string')) return null;
  const type = (created ? CREATED_AS[record.action] : `${area}.${String(change.to)}`) as WebhookEventType;
  const data =
    area === 'withdrawal' ? await withdrawalData(trx, network, id)
    : area === 'sweep' ? await sweepData(trx, network, id)
    : area === 'onramp' ? await onRampData(trx, network, id)
    : await offRampData(trx, network, id);
  return data ? { type, data: { ...data, previousState: change.from ?? null } } : null;
}

async function assetOf(trx: Db, network: NetworkProfile, assetId: string): Promise<Asset> {
  const known = wellKnownAssets(network).find((a) => a.id === assetId);
  if (known) return known;
  const [chain, contract] = assetId.split(':');
  const custom = await trx.selectFrom('custom_tokens').selectAll().where('profile', '=', network).where('chain', '=', chain!).where('contract', '=', contract ?? '').executeTakeFirst();
  // An asset the registry no longer names still reports its base units; decimals 0 shows them as they are.
  return custom ? { id: assetId, chain: custom.chain as Chain, symbol: custom.symbol, decimals: custom.decimals, contract: custom.contract } : { id: assetId, chain: chain as Chain, symbol: assetId, decimals: 0, contract: contract ?? null };
}

function amount(value: string | bigint, asset: Asset): WebhookAmount {
  const units = BigInt(value);
  return { value: formatAmount(units, asset.decimals), baseUnits: units.toString() };
}

function token(asset: Asset) {
  return { assetId: asset.id, symbol: asset.symbol, decimals: asset.decimals, contract: asset.contract };
}

async function depositData(trx: Db, network: NetworkProfile, id: string): Promise<Record<string, unknown>> {
  const d = await trx.selectFrom('deposits').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const asset = await assetOf(trx, network, d.asset_id);
  // What the client's balance gained: all of it, unless it went to the company (below minimum, a payment to the holding address).
  const toClient = d.kind === 'client' && d.below_minimum === 0 && d.state !== 'seen' && d.state !== 'orphaned';
  return {
    depositId: d.id,
    walletId: d.wallet_id,
    chain: d.chain,
    token: token(asset),
    amount: amount(d.amount, asset),
    netAmount: amount(toClient ? d.amount : 0n, asset),
    creditedTo: d.state === 'seen' || d.state === 'orphaned' ? null : toClient ? 'wallet' : 'company_reserve',
    sender: d.from_address,
    address: d.address,
    txHash: d.tx_hash,
    logIndex: d.log_index,
    blockNumber: d.block_number,
    confirmations: d.confirmations,
    state: d.state,
    creditKept: d.state === 'orphaned' && d.credit_transfer_id !== null && d.reversal_transfer_id === null,
  };
}

async function withdrawalData(trx: Db, network: NetworkProfile, id: string): Promise<Record<string, unknown> | null> {
  const w = await trx.selectFrom('withdrawals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) return null;
  const asset = await assetOf(trx, network, w.asset_id);
  const native = wellKnownAssets(network).find((a) => a.chain === w.chain && a.contract === null);
  return {
    withdrawalId: w.id,
    kind: w.kind,
    state: w.state,
    walletId: w.wallet_id,
    chain: w.chain,
    token: token(asset),
    amount: amount(w.amount, asset),
    destination: w.destination,
    idempotencyKey: w.idempotency_key,
    txHash: w.tx_hash,
    failureReason: w.failure_reason,
    feePaid: w.fee_paid !== null && native ? { ...amount(w.fee_paid, native), symbol: native.symbol } : null,
    cause: w.cause_type ? { type: w.cause_type, id: w.cause_id } : null,
  };
}

async function sweepData(trx: Db, network: NetworkProfile, id: string): Promise<Record<string, unknown> | null> {
  const s = await trx.selectFrom('sweeps').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return null;
  const asset = await assetOf(trx, network, s.asset_id);
  const tx = await trx.selectFrom('sweep_txs').select('tx_hash').where('sweep_id', '=', id).where('purpose', '=', 'sweep').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return { sweepId: s.id, state: s.state, walletId: s.wallet_id, chain: s.chain, token: token(asset), amount: amount(s.amount, asset), from: s.from_address, to: s.to_address, txHash: tx?.tx_hash ?? null, waitReason: s.wait_reason, error: s.error };
}

/** What either ramp's event says of it first; fiat amounts are ISO 4217 minor units. */
function rampBase(r: { id: string; state: string; client_id: string; wallet_id: string; reason: string | null }, asset: Asset) {
  return { rampId: r.id, state: r.state, clientId: r.client_id, walletId: r.wallet_id, token: token(asset), reason: r.reason };
}

async function onRampData(trx: Db, network: NetworkProfile, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('onramps').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const asset = await assetOf(trx, network, r.asset_id);
  return {
    ...rampBase(r, asset),
    currency: r.currency,
    rail: r.rail,
    reference: r.reference,
    requestedFiatMinor: r.requested_amount,
    receivedFiatMinor: r.received_amount,
    rate: r.rate,
    feeFiatMinor: r.fee,
    cryptoAmount: r.crypto_amount === null ? null : amount(r.crypto_amount, asset),
  };
}

async function offRampData(trx: Db, network: NetworkProfile, id: string): Promise<Record<string, unknown> | null> {
  const r = await trx.selectFrom('offramps').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const asset = await assetOf(trx, network, r.asset_id);
  return {
    ...rampBase(r, asset),
    bankAccountId: r.bank_account_id,
    cryptoAmount: amount(r.crypto_amount, asset),
    txHash: r.tx_hash,
    currency: r.currency,
    rate: r.rate,
    feeFiatMinor: r.fee,
    fiatAmountMinor: r.fiat_amount,
    payoutReference: r.payout_reference,
  };
}
