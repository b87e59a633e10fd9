import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CHAIN_LABELS, chainFamily, type Chain } from '@shared/domain/chains';
import type { DenyListVersionView } from '@shared/domain/screening';
import { DomainError } from '@shared/result';
import type { AlertCenter } from '../alerts/alert-center';
import type { AuditLog } from '../audit/audit-log';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import { parseDenyListCsv } from './deny-list-csv';

type Db = Kysely<Database>;

/** What a screening found: the list version it read (null before any import) and the entry, when listed. */
export interface ScreeningDecision {
  listVersion: number | null;
}

/**
 * Destination screening against the deny list the officer imports. Each import replaces the list whole and
 * is a new numbered version (the file's SHA-256, its row count, who and when, audited); a destination is
 * screened against the newest version inside the caller's transaction, and the caller records that version
 * with its decision. A listed destination is refused (`screening_hit`, naming the version and the list's
 * source) and raises an alert, written in a transaction of its own because the refused one rolls back.
 */
export class DenyListScreening {
  constructor(
    private readonly db: Db,
    private readonly configuration: ConfigurationService,
    private readonly audit: AuditLog,
    private readonly alerts: AlertCenter,
    private readonly now: () => number = Date.now,
  ) {}

  async importList(file: { fileName: string; csv: string }, operator: string): Promise<DenyListVersionView> {
    // Every row is checked before anything is written: one bad line and nothing changes.
    const entries = parseDenyListCsv(file.csv);
    const sha256 = createHash('sha256').update(file.csv, 'utf8').digest('hex');
    const { profile } = await this.configuration.get();
    return this.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('deny_lists').select(({ fn }) => fn.max('version').as('version')).executeTakeFirst();
      const previous = await this.current(trx, profile);
      const version = Number(last?.version ?? 0) + 1;
      const row = { version, profile, file_name: file.fileName, sha256, entry_count: entries.length, imported_by: operator, imported_at: new Date(this.now()).toISOString() };
      await trx.insertInto('deny_lists').values(row).execute();
      for (let i = 0; i < entries.length; i += 200) {
        const chunk = entries.slice(i, i + 200).map((e) => ({ version, family: e.family, address_key: e.addressKey, chain: e.chain, address: e.address, source: e.source }));
        await trx.insertInto('deny_list_entries').values(chunk).execute();
      }
      await this.audit.record(
        {
          operator,
          action: 'deny_list.imported',
          entity: { type: 'deny_list', id: String(version) },
          change: { version, fileName: file.fileName, sha256, entryCount: entries.length, previousVersion: previous },
        },
        trx,
      );
      return versionView(row);
    });
  }

  async versions(): Promise<DenyListVersionView[]> {
    const { profile } = await this.configuration.get();
    const rows = await this.db.selectFrom('deny_lists').selectAll().where('profile', '=', profile).orderBy('version', 'desc').limit(100).execute();
    return rows.map(versionView);
  }

  /** The version in force: the newest import of this workspace, or null before the first. */
  async current(ex: Db, profile?: string): Promise<number | null> {
    const p = profile ?? (await this.configuration.get()).profile;
    const row = await ex.selectFrom('deny_lists').select('version').where('profile', '=', p).orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? Number(row.version) : null;
  }

  /**
   * Refuses a listed destination; otherwise the version it was screened against. An EVM address is one
   * account on every EVM chain, so a listing on either EVM chain stops it on both.
   */
  async assertClear(ex: Db, chain: Chain, address: string): Promise<ScreeningDecision> {
    const listVersion = await this.current(ex);
    if (listVersion === null) return { listVersion };
    const family = chainFamily(chain);
    const key = family === 'tron' ? address.trim() : address.trim().toLowerCase();
    const hit = await ex
      .selectFrom('deny_list_entries')
      .select(['chain', 'address', 'source'])
      .where('version', '=', listVersion)
      .where('family', '=', family)
      .where('address_key', '=', key)
      .executeTakeFirst();
    if (!hit) return { listVersion };
    throw new DomainError(
      'screening_hit',
      `${address} is on the deny list (version ${listVersion}, source: ${hit.source}): nothing may be sent to it on ${CHAIN_LABELS[chain]}.`,
      { chain, address, listVersion, source: hit.source, listedOn: hit.chain },
    );
  }

  /**
   * Runs `work`; a deny-list hit inside it raises an alert (its own transaction, kept after the refused one
   * rolled back) before the refusal goes on to the caller, who sees it and the dispatcher audits it.
   */
  async alertOnHit<T>(work: () => Promise<T>, operator: string, what: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'screening_hit') await this.raiseAlert(error, operator, what);
      throw error;
    }
  }

  private async raiseAlert(error: DomainError, operator: string, what: string): Promise<void> {
    const details = error.details as { chain: Chain; address: string; listVersion: number; source: string };
    const { profile } = await this.configuration.get();
    // Every attempt is its own compliance event: one alert per hit, never folded into an earlier one.
    const message = `${operator} tried to ${what} ${details.address}, which is on the deny list (version ${details.listVersion}, source: ${details.source}). It was refused.`;
    const raised = await this.db.transaction().execute((trx) =>
      this.alerts.raiseIn(trx, { profile, kind: 'deny_list_hit', chain: details.chain, subject: `deny_list:${details.chain}:${details.address.toLowerCase()}:${randomUUID()}`, message, details: { ...details, operator, what } }),
    );
    this.alerts.announce(raised);
  }
}

function versionView(row: { version: number; file_name: string; sha256: string; entry_count: number; imported_by: string; imported_at: string }): DenyListVersionView {
  return {
    version: Number(row.version),
    fileName: row.file_name,
    sha256: row.sha256,
    entryCount: Number(row.entry_count),
    importedBy: row.imported_by,
    importedAt: row.imported_at,
  };
}
