import { z } from 'zod';
import type { CustodyStatus, SystemStatus } from '../../domain/system';
import { multilineText } from '../../validation/text';
import { channel } from '../define';
import * as s from '../schemas';
import { operatorName, type CustodyWithSession } from './operators';

export const systemChannels = {
  status: channel<SystemStatus>()('system:status', s.empty),
  // The passphrase travels inward once, to main, and is never echoed, stored in clear or logged.
  // First start: creates the admin operator (named `operator`, 'admin' by default) and the seed vault.
  setup: channel<CustodyWithSession>()('system:setup', z.object({ passphrase: s.passphrase, operator: operatorName.optional() }).strict()),
  // Signed in: reopens the seed with the operator's passphrase. Not signed in: signs in (and opens it).
  unlock: channel<CustodyWithSession>()('system:unlock', z.object({ passphrase: s.passphrase, operator: operatorName.optional() }).strict()),
  lock: channel<CustodyStatus>()('system:lock', s.empty),
  // Inward only: the words a officer wrote down at first start, to rebuild a lost workstation.
  restore: channel<CustodyWithSession>()(
    'system:restore',
    z.object({ mnemonic: multilineText(20, 400), passphrase: s.passphrase, operator: operatorName.optional() }).strict(),
  ),
  // The backup that leaves is encrypted under its own passphrase.
  exportBackup: channel<{ backup: string }>()(
    'system:exportBackup',
    z.object({ passphrase: s.passphrase, backupPassphrase: s.passphrase }).strict(),
  ),
} as const;
