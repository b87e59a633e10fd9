import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { ALERT_TITLES, DEFAULT_ALERT_SETTINGS, type AlertCounts, type AlertKind, type AlertSettings, type AlertState, type AlertView } from '@shared/domain/alerts';
import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { AlertsTable, Database } from '../db/schema';
import { putSetting } from '../db/settings';
import type { EventBus } from '../events';

type Db = Kysely<Database>;
type AlertRow = Selectable<AlertsTable>;

/** What a cause raises: `subject` names the cause (a chain, a sweep), so its repeats count on one alert. */
export interface AlertInput {
  profile: string;
  kind: AlertKind;
  chain?: Chain | null;
  subject: string;
  message: string;
  details?: Record<string, unknown>;
}

const SETTINGS_KEY = 'alerts';
const storedSettings = z
  .object({
    uncoveredCreditLimits: z.record(z.string(), z.string().regex(/^\d+$/)).optional(),
    approvalWaitMinutes: z.number().int().min(1).optional(),
    stuckMinutes: z.number().int().min(1).optional(),
    lagBlocks: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * The one place an alert is raised, counted, resolved and acknowledged. A cause raises an alert once while it
 * stands (same kind and subject, not resolved): repeats add to its count and refresh its message. A new alert is
 * audited and pushed to the doors as `alert.raised` after its transaction commits; an operator's acknowledgement
 * is audited with who and when.
 */
export class AlertCenter {
  constructor(
    private readonly deps: { db: Db; audit: AuditLog; events: EventBus; now?: () => number },
  ) {}

  private now(): string {
    return new Date(this.deps.now ? this.deps.now() : Date.now()).toISOString();
  }

  /**
   * Within the caller's transaction. Returns the new alert, for `announce` once the transaction committed, or
   * null when the cause counted on an alert already standing.
   */
  async raiseIn(trx: Db, input: AlertInput): Promise<AlertView | null> {
    const at = this.now();
    const details = JSON.stringify(input.details ?? {});
    const standing = await this.standing(trx, input.profile, input.kind, input.subject);
    if (standing) {
      await this.countOn(trx, standing.id, input.message, details, at);
      return null;
    }
    const row: AlertRow = {
      id: randomUUID(),
      profile: input.profile,
      kind: input.kind,
      chain: input.chain ?? null,
      subject: input.subject,
      message: input.message,
      details,
      state: 'open',
      count: 1,
      created_at: at,
      last_raised_at: at,
      resolved_at: null,
      acknowledged_by: null,
      acknowledged_at: null,
    };
    // Another process may raise the same cause at the same moment: the standing-alert index keeps one.
    const inserted = await trx
      .insertInto('alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['profile', 'kind', 'subject']).where('resolved_at', 'is', null).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const other = await this.standing(trx, input.profile, input.kind, input.subject);
      if (other) await this.countOn(trx, other.id, input.message, details, at);
      return null;
    }
    await this.deps.audit.record(
      { operator: 'system', action: 'alert.raised', entity: { type: 'alert', id: row.id }, change: { kind: row.kind, chain: row.chain, subject: row.subject, message: row.message, details: input.details ?? {} } },
      trx,
    );
    return toView(row);
  }

  /** Pushes alerts raised in a committed transaction to the doors (desktop notification, notification centre). */
  announce(...alerts: Array<AlertView | null>): void {
    for (const alert of alerts) {
      if (alert) this.deps.events.publish({ type: 'alert.raised', alert: { id: alert.id, kind: alert.kind, title: alert.title, chain: alert.chain, message: alert.message } });
    }
  }

  /** Raises in a transaction of its own and announces it. */
  async raise(input: AlertInput): Promise<AlertView | null> {
    const raised = await this.deps.db.transaction().execute((trx) => this.raiseIn(trx, input));
    this.announce(raised);
    return raised;
  }

  /** The cause went away (a tank refilled, a node caught up): the next time it comes, it is a new alert. */
  async resolve(profile: string, kind: AlertKind, subject: string, ex: Db = this.deps.db): Promise<boolean> {
    const standing = await this.standing(ex, profile, kind, subject);
    if (!standing) return false;
    const at = this.now();
    const run = async (trx: Db) => {
      await trx.updateTable('alerts').set({ resolved_at: at }).where('id', '=', standing.id).where('resolved_at', 'is', null).execute();
      await this.deps.audit.record({ operator: 'system', action: 'alert.resolved', entity: { type: 'alert', id: standing.id }, change: { kind, subject } }, trx);
    };
    await (ex.isTransaction ? run(ex) : ex.transaction().execute(run));
    return true;
  }

  /** Subjects of one kind's standing alerts, for causes checked as a whole (which chains lag, which assets). */
  async standingSubjects(profile: string, kind: AlertKind): Promise<string[]> {
    const rows = await this.deps.db.selectFrom('alerts').select('subject').where('profile', '=', profile).where('kind', '=', kind).where('resolved_at', 'is', null).execute();
    return rows.map((r) => r.subject);
  }

  async acknowledge(profile: string, id: string, operator: string): Promise<AlertView> {
    const at = this.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('alerts').selectAll().where('id', '=', id).where('profile', '=', profile).executeTakeFirst();
      if (!found) throw new DomainError('not_found', 'This alert does not exist.', { alertId: id });
      if (found.state === 'acknowledged') {
        throw new DomainError('already_acknowledged', `This alert was already acknowledged by ${found.acknowledged_by} at ${found.acknowledged_at}.`, { alertId: id });
      }
      await trx.updateTable('alerts').set({ state: 'acknowledged', acknowledged_by: operator, acknowledged_at: at }).where('id', '=', id).where('state', '=', 'open').execute();
      await this.deps.audit.record({ operator, action: 'alert.acknowledged', entity: { type: 'alert', id }, change: { kind: found.kind, subject: found.subject, count: found.count } }, trx);
      return { ...found, state: 'acknowledged' as const, acknowledged_by: operator, acknowledged_at: at };
    });
    this.deps.events.publish({ type: 'alert.acknowledged', alertId: id });
    return toView(row);
  }

  async list(profile: string, filter: { state?: AlertState; chain?: Chain; kind?: AlertKind; limit: number }): Promise<AlertView[]> {
    let query = this.deps.db.selectFrom('alerts').selectAll().where('profile', '=', profile).orderBy('last_raised_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.chain) query = query.where('chain', '=', filter.chain);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    return (await query.execute()).map(toView);
  }

  async counts(profile: string): Promise<AlertCounts> {
    const rows = await this.deps.db
      .selectFrom('alerts')
      .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('profile', '=', profile)
      .where('state', '=', 'open')
      .groupBy('kind')
      .execute();
    const byKind: AlertCounts['byKind'] = {};
    let open = 0;
    for (const row of rows) {
      byKind[row.kind as AlertKind] = Number(row.n);
      open += Number(row.n);
    }
    return { open, byKind };
  }

  async settings(ex: Db = this.deps.db): Promise<AlertSettings> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return { ...DEFAULT_ALERT_SETTINGS, ...(row ? storedSettings.parse(JSON.parse(row.value)) : {}) };
  }

  async updateSettings(patch: Partial<AlertSettings>, operator: string): Promise<AlertSettings> {
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
      const stored = row ? storedSettings.parse(JSON.parse(row.value)) : {};
      const previous = { ...DEFAULT_ALERT_SETTINGS, ...stored };
      const next = storedSettings.parse({ ...stored, ...patch });
      await putSetting(trx, SETTINGS_KEY, next);
      await this.deps.audit.record({ operator, action: 'alerts.settings_changed', entity: { type: 'settings', id: SETTINGS_KEY }, change: { previous, next: { ...DEFAULT_ALERT_SETTINGS, ...next } } }, trx);
      return { ...DEFAULT_ALERT_SETTINGS, ...next };
    });
  }

  private standing(ex: Db, profile: string, kind: string, subject: string): Promise<AlertRow | undefined> {
    return ex.selectFrom('alerts').selectAll().where('profile', '=', profile).where('kind', '=', kind).where('subject', '=', subject).where('resolved_at', 'is', null).executeTakeFirst();
  }

  private async countOn(trx: Db, id: string, message: string, details: string, at: string): Promise<void> {
    await trx
      .updateTable('alerts')
      .set((eb) => ({ count: eb('count', '+', 1), last_raised_at: at, message, details }))
      .where('id', '=', id)
      .execute();
  }
}

function toView(row: AlertRow): AlertView {
  const kind = row.kind as AlertKind;
  return {
    id: row.id,
    kind,
    title: ALERT_TITLES[kind] ?? 'Alert',
    chain: (row.chain as Chain | null) ?? null,
    message: row.message,
    details: JSON.parse(row.details) as Record<string, unknown>,
    state: row.state,
    count: Number(row.count),
    createdAt: row.created_at,
    lastRaisedAt: row.last_raised_at,
    resolvedAt: row.resolved_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
  };
}
