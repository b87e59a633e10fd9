import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { AddressBookEntry, AssetWithdrawalRules, WithdrawalPolicy } from '@shared/domain/withdrawals';
import { formatAmountGrouped, isBaseUnits } from '@shared/money';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { DestinationRules } from './destination-rules';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database, WithdrawalAddressBookTable } from '../db/schema';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import type { DenyListScreening } from '../controls/screening';
import type { Quorum } from '../controls/quorum';
import { RISK_LEVEL_LABELS } from '@shared/domain/screening';
import { putSetting } from '../db/settings';

const KEY = 'withdrawal_policy';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const baseUnits = z.string().refine(isBaseUnits);
const storedSchema = z.object({
  assets: z.record(
    z.string(),
    z.object({
      perWithdrawalLimit: baseUnits.optional(),
      dailyLimit: baseUnits.optional(),
      approvalThreshold: baseUnits.optional(),
      walletDailyLimit: baseUnits.optional(),
      walletMonthlyLimit: baseUnits.optional(),
      walletHourlyCount: z.number().int().min(1).optional(),
      clientDailyLimit: baseUnits.optional(),
      clientMonthlyLimit: baseUnits.optional(),
    }),
  ),
});

/** What the rules say about one withdrawal before it is held. */
export interface PolicyVerdict {
  /** Reasons a second operator must approve; empty when the policy approves it. */
  approvalReasons: string[];
  /** The deny list version the destination passed (null: no list imported yet); recorded on the withdrawal. */
  listVersion: number | null;
}

/**
 * The withdrawal rules (limits and approval threshold per asset) live in settings, and the address book
 * of known destinations in its own table. The engine enforces both; the renderer only shows them.
 */
export class WithdrawalPolicyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly destinations: DestinationRules,
    private readonly audit: AuditLog,
    private readonly controls: ControlsSettingsStore,
    readonly screening: DenyListScreening,
    private readonly quorum: Quorum,
    private readonly now: () => number = Date.now,
  ) {}

  async get(ex: Kysely<Database> = this.db): Promise<WithdrawalPolicy> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return { assets: {} };
    return storedSchema.parse(JSON.parse(row.value)) as WithdrawalPolicy;
  }

  /** One asset's rules replaced, from an approved proposal (controls/proposals.ts), audited as the approver's act. */
  async applyRules(trx: Kysely<Database>, assetId: string, rules: AssetWithdrawalRules, operator: string, proposal: { id: string; proposedBy: string }): Promise<WithdrawalPolicy> {
    const policy = await this.get(trx);
    const previous = policy.assets[assetId] ?? null;
    const next: WithdrawalPolicy = { assets: { ...policy.assets, [assetId]: { ...rules } } };
    await putSetting(trx, KEY, next);
    await this.audit.record(
      {
        operator,
        action: 'withdrawal.policy_changed',
        entity: { type: 'settings', id: `${KEY}:${assetId}` },
        change: { previous, rules: { ...rules }, proposalId: proposal.id, proposedBy: proposal.proposedBy },
      },
      trx,
    );
    return next;
  }

  /**
   * Checks the limits (refusing what breaks them) and says whether a second operator must approve.
   * Runs inside the request's transaction so the day's total cannot be raced past its limit.
   */
  async evaluate(
    request: { asset: Asset; amount: bigint; destination: string; profile: string; walletId?: string | null; debited?: bigint },
    trx: Kysely<Database>,
  ): Promise<PolicyVerdict> {
    const { asset, amount } = request;
    // A client's limits bound what leaves the client's balance: the amount sent plus the client's fee.
    const debited = request.debited ?? amount;
    // Screening first: a listed destination is refused whatever the limits say, and the refusal alerts.
    const { listVersion } = await this.screening.assertClear(trx, asset.chain, request.destination);
    const rules = (await this.get(trx)).assets[asset.id] ?? {};
    const show = (value: bigint) => `${formatAmountGrouped(value, asset.decimals)} ${asset.symbol}`;
    if (rules.perWithdrawalLimit !== undefined && amount > BigInt(rules.perWithdrawalLimit)) {
      throw new DomainError('limit_exceeded', `${show(amount)} is above the per-withdrawal limit of ${show(BigInt(rules.perWithdrawalLimit))}.`, {
        assetId: asset.id,
        limit: rules.perWithdrawalLimit,
      });
    }
    if (rules.dailyLimit !== undefined) {
      const dayStart = `${new Date(this.now()).toISOString().slice(0, 10)}T00:00:00.000Z`;
      const today = await trx
        .selectFrom('withdrawals')
        .select('amount')
        .where('profile', '=', request.profile)
        .where('asset_id', '=', asset.id)
        .where('created_at', '>=', dayStart)
        .where('state', 'not in', ['cancelled', 'failed'])
        .execute();
      const used = today.reduce((sum, r) => sum + BigInt(r.amount), 0n);
      const limit = BigInt(rules.dailyLimit);
      if (used + amount > limit) {
        throw new DomainError(
          'limit_exceeded',
          `${show(amount)} would take today's ${asset.symbol} withdrawals to ${show(used + amount)}, above the daily limit of ${show(limit)}.`,
          { assetId: asset.id, limit: rules.dailyLimit, used: used.toString() },
        );
      }
    }
    if (request.walletId) await this.checkWalletLimits(request.walletId, asset, debited, rules, trx);
    if (request.walletId) await this.checkClientLimits(request.walletId, asset, debited, rules, trx);
    const approvalReasons: string[] = [];
    const entry = await this.findEntry(asset.chain, request.destination, trx);
    await this.assertCooledOff(entry, request.destination, trx);
    if (entry?.whitelisted) this.assertUsable(entry);
    else {
      if (request.walletId) await this.assertRiskAllows(request.walletId, listVersion, trx);
      approvalReasons.push('destination not whitelisted');
    }
    if (rules.approvalThreshold === undefined) approvalReasons.push(`every ${asset.symbol} withdrawal needs a second operator`);
    else if (amount > BigInt(rules.approvalThreshold)) approvalReasons.push(`above the approval threshold of ${show(BigInt(rules.approvalThreshold))}`);
    return { approvalReasons, listVersion };
  }

  /** A client whose risk level the policy keeps to whitelisted destinations pays nothing else. */
  private async assertRiskAllows(walletId: string, listVersion: number | null, trx: Kysely<Database>): Promise<void> {
    const client = await trx
      .selectFrom('wallets')
      .innerJoin('clients', 'clients.id', 'wallets.client_id')
      .select(['clients.id', 'clients.risk_level'])
      .where('wallets.id', '=', walletId)
      .executeTakeFirst();
    if (!client) return;
    const { riskLevelsToAnyDestination } = await this.controls.get(trx);
    if (riskLevelsToAnyDestination.includes(client.risk_level)) return;
    throw new DomainError(
      'risk_level_restricted',
      `The wallet's client is assessed as ${RISK_LEVEL_LABELS[client.risk_level].toLowerCase()}: the policy lets such clients withdraw only to whitelisted destinations.`,
      { clientId: client.id, riskLevel: client.risk_level, allowed: riskLevelsToAnyDestination, listVersion },
    );
  }

  /**
   * Per client wallet: the amount over the last 24 hours and 30 days, and how many withdrawals in the last
   * hour (velocity). Rolling windows on the engine clock; cancelled and failed withdrawals do not count.
   */
  private async checkWalletLimits(walletId: string, asset: Asset, amount: bigint, rules: AssetWithdrawalRules, trx: Kysely<Database>): Promise<void> {
    if (rules.walletDailyLimit === undefined && rules.walletMonthlyLimit === undefined && rules.walletHourlyCount === undefined) return;
    const since = (ms: number) => new Date(this.now() - ms).toISOString();
    const recent = await trx
      .selectFrom('withdrawals')
      .select(['amount', 'client_fee', 'created_at'])
      .where('wallet_id', '=', walletId)
      .where('asset_id', '=', asset.id)
      .where('created_at', '>=', since(30 * DAY_MS))
      .where('state', 'not in', ['cancelled', 'failed'])
      .execute();
    this.assertRollingLimits(recent, amount, asset, [rules.walletDailyLimit, rules.walletMonthlyLimit], (show, used, limit, words) =>
      new DomainError(
        'limit_exceeded',
        `${show(amount)} would take this wallet's ${asset.symbol} withdrawals over ${words} to ${show(used + amount)}, above its limit of ${show(limit)}.`,
        { walletId, assetId: asset.id, limit: limit.toString(), used: used.toString(), window: words },
      ),
    );
    if (rules.walletHourlyCount !== undefined) {
      const lastHour = recent.filter((r) => r.created_at >= since(HOUR_MS)).length;
      if (lastHour >= rules.walletHourlyCount) {
        throw new DomainError('velocity_exceeded', `This wallet already made ${lastHour} ${asset.symbol} withdrawals in the last hour; the policy allows ${rules.walletHourlyCount}.`, {
          walletId,
          assetId: asset.id,
          count: lastHour,
          limit: rules.walletHourlyCount,
        });
      }
    }
  }

  /**
   * The 24-hour and 30-day rolling windows of a limit (daily, monthly): what the client was debited in each
   * window (amount sent plus client fee) plus this debit must stay within it; `refuse` words the refusal for its
   * scope (a wallet, a client).
   */
  private assertRollingLimits(
    recent: Array<{ amount: string; client_fee: string; created_at: string }>,
    amount: bigint,
    asset: Asset,
    [daily, monthly]: [string | undefined, string | undefined],
    refuse: (show: (value: bigint) => string, used: bigint, limit: bigint, words: string) => DomainError,
  ): void {
    const show = (value: bigint) => `${formatAmountGrouped(value, asset.decimals)} ${asset.symbol}`;
    const windows: Array<[string | undefined, number, string]> = [
      [daily, DAY_MS, 'the last 24 hours'],
      [monthly, 30 * DAY_MS, 'the last 30 days'],
    ];
    for (const [limit, span, words] of windows) {
      if (limit === undefined) continue;
      const since = new Date(this.now() - span).toISOString();
      const used = recent.filter((r) => r.created_at >= since).reduce((sum, r) => sum + BigInt(r.amount) + BigInt(r.client_fee), 0n);
      if (used + amount > BigInt(limit)) throw refuse(show, used, BigInt(limit), words);
    }
  }

  /**
   * Per client, across all the client's wallets of the asset: the amount over the last 24 hours and 30 days
   * (rolling windows on the engine clock; cancelled and failed withdrawals do not count).
   */
  private async checkClientLimits(walletId: string, asset: Asset, amount: bigint, rules: AssetWithdrawalRules, trx: Kysely<Database>): Promise<void> {
    if (rules.clientDailyLimit === undefined && rules.clientMonthlyLimit === undefined) return;
    const owner = await trx.selectFrom('wallets').innerJoin('clients', 'clients.id', 'wallets.client_id').select(['clients.id']).where('wallets.id', '=', walletId).executeTakeFirst();
    if (!owner) return;
    const since = (ms: number) => new Date(this.now() - ms).toISOString();
    const recent = await trx
      .selectFrom('withdrawals')
      .innerJoin('wallets', 'wallets.id', 'withdrawals.wallet_id')
      .select(['withdrawals.amount', 'withdrawals.client_fee', 'withdrawals.created_at'])
      .where('wallets.client_id', '=', owner.id)
      .where('withdrawals.asset_id', '=', asset.id)
      .where('withdrawals.created_at', '>=', since(30 * DAY_MS))
      .where('withdrawals.state', 'not in', ['cancelled', 'failed'])
      .execute();
    this.assertRollingLimits(recent, amount, asset, [rules.clientDailyLimit, rules.clientMonthlyLimit], (show, used, limit, words) =>
      new DomainError(
        'limit_exceeded',
        `${show(amount)} would take the client's ${asset.symbol} withdrawals over ${words}, all wallets together, to ${show(used + amount)}, above the client limit of ${show(limit)}.`,
        { clientId: owner.id, assetId: asset.id, limit: limit.toString(), used: used.toString(), window: words, scope: 'client' },
      ),
    );
  }

  /**
   * Cool-off: a destination is paid only once it has been in the address book for the configured hours, so
   * an address slipped in today cannot be paid today (whitelisted or not).
   */
  private async assertCooledOff(entry: AddressBookEntry | null, destination: string, trx: Kysely<Database>): Promise<void> {
    const { newDestinationCoolOffHours: hours } = await this.controls.get(trx);
    if (hours === 0) return;
    if (!entry) {
      throw new DomainError('destination_cooling_off', `${destination} is a new destination: add it to the address book first; it can be paid ${hours} h after that.`, {
        destination,
        coolOffHours: hours,
      });
    }
    const from = Date.parse(entry.addedAt) + hours * HOUR_MS;
    if (from > this.now()) {
      const at = new Date(from).toISOString();
      throw new DomainError(
        'destination_cooling_off',
        `"${entry.label}" was added to the address book recently: it can be paid from ${at.slice(0, 16).replace('T', ' ')} UTC (in about ${Math.ceil((from - this.now()) / HOUR_MS)} h).`,
        { entryId: entry.id, coolOffHours: hours, usableFrom: at },
      );
    }
  }

  /**
   * A destination someone asked to whitelist is not paid until a second officer approved it and its time
   * lock ran out: an insider cannot whitelist an address and pay it at once.
   */
  private assertUsable(entry: AddressBookEntry): void {
    if (!entry.approvedBy) {
      throw new DomainError('destination_pending_approval', `"${entry.label}" waits for a second officer to approve its whitelisting before it can be paid.`, {
        entryId: entry.id,
        addedBy: entry.addedBy,
      });
    }
    if (entry.usableFrom && Date.parse(entry.usableFrom) > this.now()) {
      const hours = Math.ceil((Date.parse(entry.usableFrom) - this.now()) / 3_600_000);
      throw new DomainError(
        'destination_time_locked',
        `"${entry.label}" was whitelisted recently: it can be paid from ${entry.usableFrom.slice(0, 16).replace('T', ' ')} UTC (in about ${hours} h).`,
        { entryId: entry.id, usableFrom: entry.usableFrom },
      );
    }
  }

  // ---- address book ----

  async listEntries(chain?: Chain): Promise<AddressBookEntry[]> {
    const { profile } = await this.configuration.get();
    let query = this.db.selectFrom('withdrawal_address_book').selectAll().where('profile', '=', profile);
    if (chain) query = query.where('chain', '=', chain);
    const rows = await query.orderBy('chain').orderBy('label').execute();
    return rows.map(entryView);
  }

  async addEntry(request: { chain: Chain; address: string; label: string; whitelisted: boolean }, operator: string): Promise<AddressBookEntry> {
    const address = await this.destinations.check(request.chain, request.address);
    const { profile } = await this.configuration.get();
    return this.screening.alertOnHit(() => this.insertEntry(request, address, profile, operator), operator, 'add to the address book');
  }

  private async insertEntry(request: { chain: Chain; label: string; whitelisted: boolean }, address: string, profile: string, operator: string): Promise<AddressBookEntry> {
    return this.db.transaction().execute(async (trx) => {
      const { listVersion } = await this.screening.assertClear(trx, request.chain, address);
      const existing = await this.findEntry(request.chain, address, trx, profile);
      if (existing) {
        throw new DomainError('conflict', `${address} is already in the address book on ${CHAIN_LABELS[request.chain]} as "${existing.label}".`, {
          entryId: existing.id,
        });
      }
      const row = {
        id: randomUUID(),
        profile,
        chain: request.chain,
        address,
        label: request.label,
        whitelisted: request.whitelisted ? 1 : 0,
        added_by: operator,
        added_at: new Date(this.now()).toISOString(),
        // A whitelisting waits for a second officer (approveEntry).
        approved_by: null,
        approved_at: null,
        usable_from: null,
        screening_list_version: listVersion,
      };
      await trx.insertInto('withdrawal_address_book').values(row).execute();
      await this.audit.record(
        {
          operator,
          action: 'withdrawal.address_added',
          entity: { type: 'address_book', id: row.id },
          change: { chain: row.chain, address, label: row.label, whitelisted: request.whitelisted, screening: { listVersion } },
        },
        trx,
      );
      return entryView(row);
    });
  }

  /** A second officer (never the one who added it) approves a whitelisting; its time lock starts now. */
  async approveEntry(entryId: string, operator: string): Promise<AddressBookEntry> {
    return this.screening.alertOnHit(() => this.approveEntryNow(entryId, operator), operator, 'approve the whitelisting of');
  }

  private async approveEntryNow(entryId: string, operator: string): Promise<AddressBookEntry> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('withdrawal_address_book').selectAll().where('id', '=', entryId).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'No such address book entry.', { entryId });
      if (row.whitelisted !== 1) throw new DomainError('conflict', `"${row.label}" is in the address book without whitelisting: there is nothing to approve.`, { entryId });
      if (row.approved_by) throw new DomainError('conflict', `"${row.label}" was already approved by ${row.approved_by}.`, { entryId });
      const progress = await this.quorum.approve(trx, 'whitelist', { type: 'address_book', id: row.id, maker: row.added_by, madeWhat: 'added this destination', details: { entryId } }, operator);
      if (!progress.reached) {
        await this.audit.record(
          { operator, action: 'withdrawal.address_approval_recorded', entity: { type: 'address_book', id: entryId }, change: { approvals: progress.approvals, needed: progress.needed } },
          trx,
        );
        return { ...entryView(row), approvals: progress.approvals };
      }
      // Screened again: the list may have grown since the address was added.
      const { listVersion } = await this.screening.assertClear(trx, row.chain as Chain, row.address);
      const { whitelistTimeLockHours } = await this.controls.get(trx);
      const approvedAt = new Date(this.now());
      const usableFrom = new Date(approvedAt.getTime() + whitelistTimeLockHours * 3_600_000);
      const values = { approved_by: progress.approvals.join(', '), approved_at: approvedAt.toISOString(), usable_from: usableFrom.toISOString(), screening_list_version: listVersion };
      await trx.updateTable('withdrawal_address_book').set(values).where('id', '=', entryId).where('approved_by', 'is', null).execute();
      await this.audit.record(
        {
          operator,
          action: 'withdrawal.address_approved',
          entity: { type: 'address_book', id: entryId },
          change: { chain: row.chain, address: row.address, addedBy: row.added_by, usableFrom: values.usable_from, timeLockHours: whitelistTimeLockHours, screening: { listVersion } },
        },
        trx,
      );
      return { ...entryView({ ...row, ...values }), approvals: progress.approvals };
    });
  }

  async removeEntry(entryId: string, operator: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('withdrawal_address_book').selectAll().where('id', '=', entryId).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'No such address book entry.', { entryId });
      await trx.deleteFrom('withdrawal_address_book').where('id', '=', entryId).execute();
      await this.audit.record(
        { operator, action: 'withdrawal.address_removed', entity: { type: 'address_book', id: entryId }, change: { chain: row.chain, address: row.address, label: row.label } },
        trx,
      );
    });
  }

  private async findEntry(chain: Chain, address: string, ex: Kysely<Database>, profile?: string): Promise<AddressBookEntry | null> {
    const p = profile ?? (await this.configuration.get()).profile;
    const rows = await ex.selectFrom('withdrawal_address_book').selectAll().where('profile', '=', p).where('chain', '=', chain).execute();
    // EVM addresses compare without their checksum case; Tron's base58 is case-sensitive and canonical already.
    const wanted = chain === 'tron' ? address : address.toLowerCase();
    const row = rows.find((r) => (chain === 'tron' ? r.address : r.address.toLowerCase()) === wanted);
    return row ? entryView(row) : null;
  }
}

function entryView(row: Selectable<WithdrawalAddressBookTable>): AddressBookEntry {
  return {
    id: row.id,
    chain: row.chain as Chain,
    address: row.address,
    label: row.label,
    whitelisted: row.whitelisted === 1,
    addedBy: row.added_by,
    addedAt: row.added_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    usableFrom: row.usable_from,
    screeningListVersion: row.screening_list_version ?? null,
  };
}
