import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DEFAULT_CONTROLS, QUORUM_ACTIONS, QUORUM_MAX, type ControlsSettings, type QuorumAction } from '@shared/domain/controls';
import { RISK_LEVELS } from '@shared/domain/screening';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { putSetting } from '../db/settings';

const KEY = 'controls';
const CACHE_MS = 1_000;

/** Stored as a partial: a default an admin never changed stays the default if the code's default moves. */
const storedSchema = z.object({
  whitelistTimeLockHours: z.number().int().min(0).optional(),
  transfersToUnownedWallets: z.boolean().optional(),
  riskLevelsToAnyDestination: z.array(z.enum(RISK_LEVELS)).optional(),
  newDestinationCoolOffHours: z.number().int().min(0).optional(),
  quorum: z.partialRecord(z.enum(QUORUM_ACTIONS), z.number().int().min(1).max(QUORUM_MAX)).optional(),
  uboThresholdPercent: z.number().int().min(1).max(100).optional(),
  onrampCreditApprovalAbove: z.record(z.string(), z.string().regex(/^\d+$/)).optional(),
});
type Stored = z.infer<typeof storedSchema>;
export type ControlsPatch = Omit<Partial<ControlsSettings>, 'quorum'> & { quorum?: Partial<Record<QuorumAction, number>> };

/**
 * The controls' settings row: defaults until changed. A change is a policy change: it reaches `apply` only
 * from an approved proposal (controls/proposals.ts), audited with what it was, who proposed and who approved.
 */
export class ControlsSettingsStore {
  /** Read by every transfer: kept a second; dropped here when a change is applied, seen by other processes within the second. */
  private cached: { at: number; value: ControlsSettings } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  async get(ex: Kysely<Database> = this.db): Promise<ControlsSettings> {
    // Inside a transaction, that transaction's view.
    if (ex !== this.db) return this.read(ex);
    const at = Date.now();
    if (!this.cached || at - this.cached.at >= CACHE_MS) this.cached = { at, value: deepFreeze(await this.read(this.db)) };
    // Frozen rather than copied per call: every transfer reads it, nobody may change it.
    return this.cached.value;
  }

  private async read(ex: Kysely<Database>): Promise<ControlsSettings> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    return merged(row ? storedSchema.parse(JSON.parse(row.value)) : {});
  }

  /** What `patch` would make of the settings now, without writing (a proposal's summary). */
  async preview(patch: ControlsPatch): Promise<{ previous: ControlsSettings; next: ControlsSettings }> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const stored = row ? storedSchema.parse(JSON.parse(row.value)) : {};
    return { previous: merged(stored), next: merged(combine(stored, patch)) };
  }

  async apply(trx: Kysely<Database>, patch: ControlsPatch, operator: string, proposal: { id: string; proposedBy: string }): Promise<ControlsSettings> {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const stored = row ? storedSchema.parse(JSON.parse(row.value)) : {};
    const next = combine(stored, patch);
    await putSetting(trx, KEY, next);
    this.cached = null;
    await this.audit.record(
      { operator, action: 'controls.changed', entity: { type: 'settings', id: KEY }, change: { previous: merged(stored), next: merged(next), proposalId: proposal.id, proposedBy: proposal.proposedBy } },
      trx,
    );
    return merged(next);
  }
}

function combine(stored: Stored, patch: ControlsPatch): Stored {
  return storedSchema.parse({ ...stored, ...patch, ...(patch.quorum ? { quorum: { ...stored.quorum, ...patch.quorum } } : {}) });
}

function merged(stored: Stored): ControlsSettings {
  return { ...DEFAULT_CONTROLS, ...stored, quorum: { ...DEFAULT_CONTROLS.quorum, ...stored.quorum } };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
