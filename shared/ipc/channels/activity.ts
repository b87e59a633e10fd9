import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityItem, type SearchResults } from '../../domain/activity';
import type { Page } from '../../domain/ledger';
import { channel } from '../define';
import * as s from '../schemas';
import { textField } from '../../validation/text';

/** A day (YYYY-MM-DD, UTC) or an ISO timestamp in UTC: the window sends the officer's local day as its UTC bounds. */
const moment = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, 'Must be a date like 2026-12-03.');

export const activityFilter = z
  .object({
    from: moment.optional(),
    to: moment.optional(),
    types: z.array(z.enum(ACTIVITY_TYPES)).max(ACTIVITY_TYPES.length).optional(),
    chain: s.chain.optional(),
    assetId: s.assetId.optional(),
    clientId: s.id.optional(),
    walletId: s.id.optional(),
  })
  .strict();

export const activityChannels = {
  /** Deposits, sweeps, withdrawals, internal transfers, ramps and credits across every wallet, newest first. */
  list: channel<Page<ActivityItem>>()('activity:list', activityFilter.extend({ cursor: s.cursor, limit: s.pageSize })),
  /** The whole filtered view (every page of it) as CSV, amounts in display units. */
  exportCsv: channel<{ fileName: string; csv: string; rows: number }>()('activity:exportCsv', activityFilter),
  /** Ctrl+K: clients by name, wallets by alias or address, transactions by hash prefix or id; a few of each. */
  search: channel<SearchResults>()(
    'activity:search',
    z.object({ text: textField(2, 120), limit: z.number().int().min(1).max(20).default(6) }).strict(),
  ),
} as const;
