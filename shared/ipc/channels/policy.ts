import { z } from 'zod';
import type { DenyListVersionView } from '../../domain/screening';
import { channel } from '../define';
import * as s from '../schemas';

/** The deny list file as text: up to 4 MiB (a list of 100,000 addresses with their sources fits). */
export const DENY_LIST_CSV_MAX = 4 * 1024 * 1024;

export const policyChannels = {
  /** A CSV of chain,address,source: every row checked first (bad rows named by line, nothing imported), then a new list version. */
  denyListImport: channel<DenyListVersionView>()(
    'policy:denyListImport',
    z.object({ fileName: s.label, csv: z.string().min(1).max(DENY_LIST_CSV_MAX) }).strict(),
  ),
  /** Every imported version, newest first: the first is the one in force. */
  denyListVersions: channel<DenyListVersionView[]>()('policy:denyListVersions', s.empty),
} as const;
