import type { Kysely } from 'kysely';
import type { RampEventView } from '@shared/domain/ramps';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import type { EventBus } from '../events';

type Db = Kysely<Database>;

/**
 * Each step of a ramp, written with the state change in one transaction: a history row the screens
 * show and an audit record in the hash chain.
 */
export class RampHistory {
  constructor(
    private readonly audit: AuditLog,
    private readonly events?: EventBus,
  ) {}

  /** Tells the windows a ramp moved; called once the step's transaction has committed, never inside it. */
  announce(kind: 'onramp' | 'offramp', rampId: string, state: string): void {
    this.events?.publish({ type: 'ramp.status', rampKind: kind, rampId, state });
  }

  async step(
    trx: Db,
    kind: 'onramp' | 'offramp',
    rampId: string,
    from: string | null,
    to: string,
    operator: string,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    const at = new Date().toISOString();
    await trx
      .insertInto('ramp_events')
      .values({ ramp_kind: kind, ramp_id: rampId, from_state: from, to_state: to, operator, at, detail: JSON.stringify(detail) })
      .execute();
    await this.audit.record({ operator, action: `${kind}.${to}`, entity: { type: kind, id: rampId }, change: { from, to, ...detail } }, trx);
  }

  async of(ex: Db, kind: 'onramp' | 'offramp', rampId: string): Promise<RampEventView[]> {
    const rows = await ex.selectFrom('ramp_events').selectAll().where('ramp_kind', '=', kind).where('ramp_id', '=', rampId).orderBy('id').execute();
    return rows.map((r) => ({ from: r.from_state, to: r.to_state, operator: r.operator, at: r.at, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
