import type { Kysely } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import type { EndpointFault } from '@shared/domain/configuration';
import type { Database } from '../db/schema';

/** One endpoint's health as the pool remembers it across restarts; times in epoch ms. */
export interface SavedEndpointHealth {
  url: string;
  lastOkAt: number | null;
  fault: EndpointFault | null;
  faultAt: number | null;
  /** The fault in a few safe words (faultDetail in endpoint-pool.ts). */
  faultDetail: string | null;
  head: bigint | null;
  headAt: number | null;
  behindBy: number | null;
  latencyMs: number | null;
  restUntil: number | null;
}

const FAULTS: ReadonlySet<string> = new Set<EndpointFault>(['unreachable', 'timeout', 'server_error', 'lagging', 'wrong_network']);

/**
 * Endpoint health in the workspace's database. The pool writes an endpoint's row when its state changes (and
 * refreshes it seldom), never per read; writes are queued off the read path, so a slow database never slows a
 * chain call, and a failed write is only logged (health is a convenience, never a reason to stop reading).
 */
export class EndpointHealthStore {
  private queue: Promise<void> = Promise.resolve();
  /** Rows written since start: what "cheap" is measured by. */
  writes = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {}

  async load(chain: Chain): Promise<Map<string, SavedEndpointHealth>> {
    const rows = await this.db.selectFrom('endpoint_health').selectAll().where('chain', '=', chain).execute();
    const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
    return new Map(
      rows.map((r) => [
        r.url,
        {
          url: r.url,
          lastOkAt: ms(r.last_ok_at),
          fault: r.last_fault !== null && FAULTS.has(r.last_fault) ? (r.last_fault as EndpointFault) : null,
          faultAt: ms(r.last_fault_at),
          faultDetail: r.fault_detail,
          head: r.head === null ? null : BigInt(r.head),
          headAt: ms(r.head_at),
          behindBy: r.behind_by === null ? null : Number(r.behind_by),
          latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
          restUntil: ms(r.rest_until),
        },
      ]),
    );
  }

  /** Queues the row's upsert; returns at once. */
  save(chain: Chain, health: SavedEndpointHealth): void {
    const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
    const row = {
      last_ok_at: iso(health.lastOkAt),
      last_fault: health.fault,
      last_fault_at: iso(health.faultAt),
      fault_detail: health.faultDetail,
      head: health.head?.toString() ?? null,
      head_at: iso(health.headAt),
      behind_by: health.behindBy,
      latency_ms: health.latencyMs,
      rest_until: iso(health.restUntil),
      updated_at: new Date().toISOString(),
    };
    this.queue = this.queue
      .then(async () => {
        await this.db
          .insertInto('endpoint_health')
          .values({ chain, url: health.url, ...row })
          .onConflict((oc) => oc.columns(['chain', 'url']).doUpdateSet(row))
          .execute();
        this.writes++;
      })
      .catch((error) => this.log(`saving the health of a ${chain} endpoint failed`, error));
  }

  /** Waits for the queued writes (before the database closes). */
  flush(): Promise<void> {
    return this.queue;
  }
}
