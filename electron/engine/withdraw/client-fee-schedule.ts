import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CLIENT_FEE_MODES, type ClientFeeQuote, type ClientFeeRule, type ClientFeeSchedule } from '@shared/domain/client-fees';
import { clientFee, feeSplit, parsePercent } from '@shared/client-fee-math';
import { formatAmountGrouped, isBaseUnits } from '@shared/money';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database } from '../db/schema';
import { putSetting } from '../db/settings';

const KEY = 'client_fee_schedule';
const baseUnits = z.string().refine(isBaseUnits);
const ruleSchema = z.object({ fixed: baseUnits, percent: z.string(), minimum: baseUnits.optional(), mode: z.enum(CLIENT_FEE_MODES) });
const storedSchema = z.object({ assets: z.record(z.string(), ruleSchema), clients: z.record(z.string(), z.record(z.string(), ruleSchema)) });

/** What one withdrawal costs the client, as the request books it. */
export interface ClientFeeTerms {
  fee: bigint;
  mode: ClientFeeQuote['mode'];
  /** Held from the client's balance. */
  debited: bigint;
  /** Sent on chain to the destination. */
  netAmount: bigint;
  source: ClientFeeQuote['source'];
}

/**
 * The company's withdrawal fees to clients: a rule per asset (fixed + percent, a minimum, on top or deducted),
 * and per client overrides. Kept in settings; every change is audited with what it replaced.
 */
export class ClientFeeSchedules {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly assets: AssetRegistry,
  ) {}

  async get(ex: Kysely<Database> = this.db): Promise<ClientFeeSchedule> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return { assets: {}, clients: {} };
    return storedSchema.parse(JSON.parse(row.value)) as ClientFeeSchedule;
  }

  /** Sets (or with null removes) the rule of an asset, or of one client for that asset. */
  async set(request: { assetId: string; clientId?: string; rule: ClientFeeRule | null }, operator: string): Promise<ClientFeeSchedule> {
    const asset = await this.assets.get(request.assetId);
    if (request.rule) this.check(request.rule);
    return this.db.transaction().execute(async (trx) => {
      if (request.clientId) {
        const client = await trx.selectFrom('clients').select('id').where('id', '=', request.clientId).executeTakeFirst();
        if (!client) throw new DomainError('not_found', 'No such client.', { clientId: request.clientId });
      }
      const schedule = await this.get(trx);
      const previous = request.clientId ? (schedule.clients[request.clientId]?.[asset.id] ?? null) : (schedule.assets[asset.id] ?? null);
      const next: ClientFeeSchedule = { assets: { ...schedule.assets }, clients: { ...schedule.clients } };
      if (request.clientId) {
        const own = { ...(next.clients[request.clientId] ?? {}) };
        if (request.rule) own[asset.id] = { ...request.rule };
        else delete own[asset.id];
        if (Object.keys(own).length > 0) next.clients[request.clientId] = own;
        else delete next.clients[request.clientId];
      } else if (request.rule) next.assets[asset.id] = { ...request.rule };
      else delete next.assets[asset.id];
      await putSetting(trx, KEY, next);
      await this.audit.record(
        {
          operator,
          action: 'withdrawal.fee_schedule_changed',
          entity: { type: 'settings', id: request.clientId ? `${KEY}:${request.clientId}:${asset.id}` : `${KEY}:${asset.id}` },
          change: { assetId: asset.id, clientId: request.clientId ?? null, previous, rule: request.rule },
        },
        trx,
      );
      return next;
    });
  }

  /** The terms for `requested` from a wallet (its client's override first, then the asset's rule, else none). */
  async terms(request: { walletId: string | null; assetId: string; requested: bigint }, ex: Kysely<Database> = this.db): Promise<ClientFeeTerms> {
    const schedule = await this.get(ex);
    let clientId: string | null = null;
    if (request.walletId) {
      const wallet = await ex.selectFrom('wallets').select('client_id').where('id', '=', request.walletId).executeTakeFirst();
      clientId = wallet?.client_id ?? null;
    }
    const own = clientId ? schedule.clients[clientId]?.[request.assetId] : undefined;
    const rule = own ?? schedule.assets[request.assetId];
    if (!rule) return { fee: 0n, mode: 'on_top', debited: request.requested, netAmount: request.requested, source: 'none' };
    const fee = clientFee(request.requested, rule);
    const { debited, netAmount } = feeSplit(request.requested, fee, rule.mode);
    if (netAmount <= 0n) {
      const asset = await this.assets.get(request.assetId);
      throw new DomainError(
        'amount_below_fee',
        `The withdrawal fee of ${formatAmountGrouped(fee, asset.decimals)} ${asset.symbol} is deducted from the amount: ask for more than that.`,
        { assetId: asset.id, fee: fee.toString() },
      );
    }
    return { fee, mode: rule.mode, debited, netAmount, source: own ? 'client' : 'asset' };
  }

  async quote(request: { walletId: string; assetId: string; requested: bigint }): Promise<ClientFeeQuote> {
    const terms = await this.terms(request);
    return {
      assetId: request.assetId,
      requested: request.requested.toString(),
      fee: terms.fee.toString(),
      mode: terms.mode,
      debited: terms.debited.toString(),
      netAmount: terms.netAmount.toString(),
      source: terms.source,
    };
  }

  /** Fixed and minimum are base units already (the schema checks); the percent is checked here. */
  private check(rule: ClientFeeRule): void {
    parsePercent(rule.percent);
  }
}
