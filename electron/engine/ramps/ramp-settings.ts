import type { Kysely } from 'kysely';
import { CHAIN_LABELS, chainFamily, type Chain } from '@shared/domain/chains';
import type { RampSettingsView } from '@shared/domain/ramps';
import { DomainError } from '@shared/result';
import { validateBankAccount, type BankRail } from '@shared/validation';
import type { AuditLog } from '../audit/audit-log';
import { normalizeEvmAddress } from '../chains/evm/address';
import { normalizeTronAddress } from '../chains/tron/address';
import { refusal } from '../clients/refusals';
import type { CryptoLegPipeline } from './crypto-leg';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

export const DEFAULT_ONRAMP_TTL_HOURS = 72;

export interface ReceivingAccount {
  rail: BankRail;
  beneficiary: string;
  account: Record<string, string>;
}

/**
 * What the ramps need from the company: its receiving bank account per rail (shown in on-ramp
 * instructions) and the off-ramp / liquidity address per chain (where the crypto leg is sent).
 */
export class RampSettings {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    /** The withdrawals' destination rules; without a pipeline only the address form is checked. */
    private readonly destinations: Pick<CryptoLegPipeline, 'checkDestination'> | null = null,
  ) {}

  async get(ex: Db = this.db): Promise<RampSettingsView> {
    const rows = await ex.selectFrom('ramp_settings').selectAll().orderBy('key').execute();
    const view: RampSettingsView = { receivingAccounts: [], offRampDestinations: [], onRampTtlHours: DEFAULT_ONRAMP_TTL_HOURS };
    for (const row of rows) {
      const value = JSON.parse(row.value) as unknown;
      if (row.key.startsWith('receiving:')) view.receivingAccounts.push(value as ReceivingAccount);
      else if (row.key.startsWith('offramp_destination:')) view.offRampDestinations.push({ chain: row.key.slice('offramp_destination:'.length), address: value as string });
      else if (row.key === 'onramp_ttl_hours') view.onRampTtlHours = value as number;
    }
    return view;
  }

  async setReceivingAccount(account: ReceivingAccount, operator = 'system'): Promise<RampSettingsView> {
    const checked = validateBankAccount(account.rail, account.account);
    if (!checked.ok) throw refusal(checked);
    const value: ReceivingAccount = {
      rail: account.rail,
      beneficiary: account.beneficiary.trim(),
      account: Object.fromEntries(Object.entries(checked.fields).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    };
    await this.put(`receiving:${account.rail}`, value, operator);
    return this.get();
  }

  async setOffRampDestination(chain: Chain, address: string, operator = 'system'): Promise<RampSettingsView> {
    let normalized: string;
    if (this.destinations) {
      normalized = await this.destinations.checkDestination(chain, address);
    } else {
      try {
        normalized = chainFamily(chain) === 'tron' ? normalizeTronAddress(address) : normalizeEvmAddress(chain, address);
      } catch (error) {
        throw new DomainError('invalid_address', error instanceof Error ? error.message : 'The address is not valid.', { chain });
      }
    }
    await this.put(`offramp_destination:${chain}`, normalized, operator);
    return this.get();
  }

  async setOnRampTtl(hours: number, operator = 'system'): Promise<RampSettingsView> {
    await this.put('onramp_ttl_hours', hours, operator);
    return this.get();
  }

  async receivingAccount(rail: BankRail, ex: Db = this.db): Promise<ReceivingAccount> {
    const row = await ex.selectFrom('ramp_settings').select('value').where('key', '=', `receiving:${rail}`).executeTakeFirst();
    if (!row) throw new DomainError('ramp_not_configured', `No company receiving account is set for ${rail} transfers.`, { rail });
    return JSON.parse(row.value) as ReceivingAccount;
  }

  async offRampDestination(chain: Chain, ex: Db = this.db): Promise<string> {
    const row = await ex.selectFrom('ramp_settings').select('value').where('key', '=', `offramp_destination:${chain}`).executeTakeFirst();
    if (!row) throw new DomainError('ramp_not_configured', `No off-ramp destination address is set for ${CHAIN_LABELS[chain]}.`, { chain });
    return JSON.parse(row.value) as string;
  }

  private async put(key: string, value: unknown, operator: string): Promise<void> {
    const text = JSON.stringify(value);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const previous = await trx.selectFrom('ramp_settings').select('value').where('key', '=', key).executeTakeFirst();
      await trx
        .insertInto('ramp_settings')
        .values({ key, value: text, updated_by: operator, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_by: operator, updated_at: now }))
        .execute();
      await this.audit.record(
        { operator, action: 'ramps.settings', entity: { type: 'ramp_setting', id: key }, change: { before: previous ? (JSON.parse(previous.value) as unknown) : null, after: value } },
        trx,
      );
    });
  }
}
