import { z } from 'zod';
import type { CustodyStatus, SystemStatus } from '../../domain/system';
import { channel } from '../define';
import * as s from '../schemas';

export const systemChannels = {
  status: channel<SystemStatus>()('system:status', s.empty),
  // The passphrase travels inward once, to main, and is never echoed, stored in clear or logged.
  setup: channel<CustodyStatus>()('system:setup', z.object({ passphrase: s.passphrase }).strict()),
  unlock: channel<CustodyStatus>()('system:unlock', z.object({ passphrase: s.passphrase }).strict()),
  lock: channel<CustodyStatus>()('system:lock', s.empty),
  // Inward only: the words a officer wrote down at first start, to rebuild a lost workstation.
  restore: channel<CustodyStatus>()(
    'system:restore',
    z.object({ mnemonic: z.string().trim().min(20).max(400), passphrase: s.passphrase }).strict(),
  ),
  // The backup that leaves is encrypted under its own passphrase.
  exportBackup: channel<{ backup: string }>()(
    'system:exportBackup',
    z.object({ passphrase: s.passphrase, backupPassphrase: s.passphrase }).strict(),
  ),
} as const;
