import type { AreaHandlers } from './types';
import type { SystemService } from '../system/system-service';

export const systemHandlers = (system: SystemService): AreaHandlers<'system'> => ({
  status: () => system.status(),
});
