import type { BackupService } from '../backup/backup-service';
import type { RestoreService } from '../backup/restore-service';
import type { AreaHandlers } from './types';

/** Backups of the books and their restore (backup/). */
export const backupHandlers = (backups: BackupService, restore: RestoreService): AreaHandlers<'backups'> => ({
  status: async () => backups.status(),
  updateSettings: async (settings, context) => {
    await backups.updateSettings(context.operator ?? 'system', settings);
    return backups.status();
  },
  run: async (_request, context) => {
    const made = await backups.run('manual', context.operator ?? 'system');
    return { name: made!.name, written: made!.written.length, failed: made!.failed, trigger: made!.manifest.trigger };
  },
  list: async ({ folder }) => backups.list(folder),
  preview: async ({ file, words }) => restore.preview(file, words),
  restore: async ({ file, words }, context) => restore.restore(file, words, context.operator ?? 'first start'),
});
