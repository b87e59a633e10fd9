import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DEFAULT_CONTROLS, type ControlsSettings } from '@shared/domain/controls';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';
import { putSetting } from '../db/settings';

const KEY = 'controls';

/** Stored as a partial: a default an admin never changed stays the default if the code's default moves. */
const storedSchema = z.object({ whitelistTimeLockHours: z.number().int().min(0).optional(), transfersToUnownedWallets: z.boolean().optional(), uboThresholdPercent: z.number().int().min(1).max(100).optional() });

/** The controls' settings row: defaults until an admin changes one, each change audited with what it was. */
export class ControlsSettingsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  async get(ex: Kysely<Database> = this.db): Promise<ControlsSettings> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    return { ...DEFAULT_CONTROLS, ...(row ? storedSchema.parse(JSON.parse(row.value)) : {}) };
  }

  async set(patch: Partial<ControlsSettings>, operator: string): Promise<ControlsSettings> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
      const stored = row ? storedSchema.parse(JSON.parse(row.value)) : {};
      const previous = { ...DEFAULT_CONTROLS, ...stored };
      const next = storedSchema.parse({ ...stored, ...patch });
      await putSetting(trx, KEY, next);
      await this.audit.record({ operator, action: 'controls.changed', entity: { type: 'settings', id: KEY }, change: { previous, next: { ...DEFAULT_CONTROLS, ...next } } }, trx);
      return { ...DEFAULT_CONTROLS, ...next };
    });
  }
}
