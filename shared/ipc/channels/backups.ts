import { z } from 'zod';
import type { BackupEntry, BackupStatus, BackupTrigger, RestorePreview } from '../../domain/backups';
import { channel } from '../define';
import * as s from '../schemas';

const folder = z.string().trim().min(1, 'Give a folder.').max(1024);
const backupFile = z.string().trim().min(1, 'Choose a backup file.').max(1024);
/** Inward only, as at system:restore: the words open the backup key; they are never stored or echoed. */
const words = z.string().trim().min(20).max(400).optional();

export const backupSettingsSchema = z
  .object({
    folders: z.array(folder).max(8),
    intervalMinutes: z.number().int().min(5).max(7 * 24 * 60),
    keepHourlyHours: z.number().int().min(0).max(24 * 31),
    keepDailyDays: z.number().int().min(0).max(366),
    keepMonthlyMonths: z.number().int().min(0).max(120),
  })
  .strict();

export const backupChannels = {
  status: channel<BackupStatus>()('backups:status', s.empty),
  updateSettings: channel<BackupStatus>()('backups:updateSettings', backupSettingsSchema),
  run: channel<{ name: string; written: number; failed: Array<{ folder: string; error: string }>; trigger: BackupTrigger }>()('backups:run', s.empty),
  /** Backups in the chosen folders, and in `folder` (a share mounted on a fresh workstation). */
  list: channel<BackupEntry[]>()('backups:list', z.object({ folder: folder.optional() }).strict()),
  preview: channel<RestorePreview>()('backups:preview', z.object({ file: backupFile, words }).strict()),
  restore: channel<RestorePreview & { reopening: boolean }>()(
    'backups:restore',
    z
      .object({ file: backupFile, words, confirm: z.string().trim().toLowerCase() })
      .strict()
      .refine((r) => r.confirm === 'restore', { message: 'Type RESTORE to confirm.', path: ['confirm'] }),
  ),
} as const;
