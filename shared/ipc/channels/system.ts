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
} as const;
