import { z } from 'zod';
import type { CustodyStatus, SystemStatus } from '../../domain/system';
import type { RecoveryStatus, WorkspaceView } from '../../domain/workspaces';
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
  // Shown once at first start, with the passphrase asked again, until three of them are confirmed.
  revealRecoveryWords: channel<{ words: string[] }>()('system:recovery:reveal', z.object({ passphrase: s.passphrase }).strict()),
  recoveryStatus: channel<RecoveryStatus>()('system:recovery:status', s.empty),
  confirmRecoveryWords: channel<RecoveryStatus>()(
    'system:recovery:confirm',
    z
      .object({
        answers: z
          .array(z.object({ position: z.number().int().min(1).max(24), word: z.string().trim().toLowerCase().min(1).max(16) }).strict())
          .length(3),
      })
      .strict(),
  ),
  // One workspace per network; switching closes this one and opens the other (created by its own first start).
  workspaces: channel<WorkspaceView>()('system:workspaces', s.empty),
  switchNetwork: channel<{ network: string; switching: true }>()(
    'system:switchNetwork',
    z
      .object({ network: s.networkProfile, confirm: z.string().trim().toLowerCase() })
      .strict()
      .refine((r) => r.confirm === r.network, { message: 'Type the network name to confirm.', path: ['confirm'] }),
  ),
} as const;
