import type { Ledger } from '../ledger/ledger';
import { reconcile } from '../ledger/reconciliation';
import type { AreaHandlers } from './types';

export const auditHandlers = (ledger: Ledger): AreaHandlers<'audit'> => ({
  reconcile: () => reconcile(ledger),
});
