import { z } from 'zod';
import { ALERT_KINDS, ALERT_STATES, type AlertCounts, type AlertSettings, type AlertView } from '../../domain/alerts';
import { channel } from '../define';
import * as s from '../schemas';

export const alertChannels = {
  /** Newest first (by the last time their cause was seen); open ones are those nobody acknowledged yet. */
  list: channel<AlertView[]>()(
    'alerts:list',
    z.object({ state: z.enum(ALERT_STATES).optional(), chain: s.chain.optional(), kind: z.enum(ALERT_KINDS).optional(), limit: s.pageSize }).strict(),
  ),
  /** The bell's number: alerts nobody acknowledged, in all and per kind. */
  counts: channel<AlertCounts>()('alerts:counts', s.empty),
  /** An operator saw it: recorded with who and when (audited), once. */
  acknowledge: channel<AlertView>()('alerts:acknowledge', z.object({ alertId: s.id }).strict()),
  settings: channel<AlertSettings>()('alerts:settings', s.empty),
  updateSettings: channel<AlertSettings>()(
    'alerts:updateSettings',
    z
      .object({
        uncoveredCreditLimits: z.record(s.assetId, s.baseUnits).optional(),
        approvalWaitMinutes: z.number().int().min(1).max(10_080).optional(),
        stuckMinutes: z.number().int().min(1).max(10_080).optional(),
        lagBlocks: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
  ),
} as const;
