import type { CustodyService } from '../custody/custody-service';
import type { SystemService } from '../system/system-service';
import type { AreaHandlers } from './types';

export const systemHandlers = (system: SystemService, custody: CustodyService): AreaHandlers<'system'> => ({
  status: () => system.status(),
  setup: async ({ passphrase }) => {
    await custody.initialize(passphrase);
    return custody.status();
  },
  unlock: async ({ passphrase }) => {
    await custody.unlock(passphrase);
    return custody.status();
  },
  lock: async () => {
    custody.lock();
    return custody.status();
  },
});
