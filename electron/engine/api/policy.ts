import type { DenyListScreening } from '../controls/screening';
import { requireOperator } from '../withdraw/withdrawal-service';
import type { AreaHandlers } from './types';

export const policyHandlers = (screening: DenyListScreening): AreaHandlers<'policy'> => ({
  denyListImport: (file, context) => screening.importList(file, requireOperator(context, 'import a deny list')),
  denyListVersions: () => screening.versions(),
});
