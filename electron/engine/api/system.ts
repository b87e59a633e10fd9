import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { SystemService } from '../system/system-service';
import type { AreaHandlers } from './types';

export const systemHandlers = (system: SystemService, custody: CustodyService, audit: AuditLog): AreaHandlers<'system'> => {
  const note = (action: string, operator = 'system', change: Record<string, unknown> = {}) =>
    audit.record({ operator, action, entity: { type: 'custody', id: 'seed-vault' }, change });
  return {
    status: () => system.status(),
    setup: async ({ passphrase }, context) => {
      const { fingerprint } = await custody.initialize(passphrase);
      await note('custody.initialized', context.operator, { fingerprint });
      return custody.status();
    },
    unlock: async ({ passphrase }, context) => {
      try {
        await custody.unlock(passphrase);
      } catch (error) {
        // A wrong passphrase is worth an auditor's attention; the passphrase itself is never recorded.
        if (error instanceof DomainError && error.code === 'forbidden') await note('custody.unlock_refused', context.operator);
        throw error;
      }
      await note('custody.unlocked', context.operator);
      return custody.status();
    },
    restore: async ({ mnemonic, passphrase }, context) => {
      const { fingerprint } = await custody.restoreFromMnemonic(mnemonic, passphrase);
      await note('custody.restored', context.operator, { fingerprint });
      return custody.status();
    },
    exportBackup: async ({ passphrase, backupPassphrase }, context) => {
      const backup = await custody.exportBackup(passphrase, backupPassphrase);
      await note('custody.backup_exported', context.operator);
      return { backup };
    },
    lock: async (_request, context) => {
      custody.lock();
      await note('custody.locked', context.operator);
      return custody.status();
    },
  };
};
