import { create } from 'zustand';
import type { AuditMode, AuditRecordView, ChainReconciliation, IntegrityReport } from '@shared/domain/audit';
import type { AppError } from '@shared/result';
import { treasury } from '../api';

const PAGE = 50;

/** The Audit screen's data: whether this is a live engine or a bundle under review, checks, and the log. */
interface AuditState {
  mode: AuditMode | null;
  integrity: IntegrityReport | null;
  reconciliation: ChainReconciliation | null;
  records: AuditRecordView[];
  moreRecords: boolean;
  busy: 'integrity' | 'reconciliation' | 'records' | null;
  error: AppError | null;
  loadMode(): Promise<void>;
  checkIntegrity(): Promise<void>;
  reconcile(): Promise<void>;
  loadRecords(reset?: boolean): Promise<void>;
}

export const useAudit = create<AuditState>((set, get) => ({
  mode: null,
  integrity: null,
  reconciliation: null,
  records: [],
  moreRecords: false,
  busy: null,
  error: null,
  async loadMode() {
    const result = await treasury.audit.mode({});
    if (result.ok) set({ mode: result.data });
    else set({ error: result.error });
  },
  async checkIntegrity() {
    set({ busy: 'integrity', error: null });
    const result = await treasury.audit.integrity({});
    set(result.ok ? { integrity: result.data, busy: null } : { error: result.error, busy: null });
  },
  async reconcile() {
    set({ busy: 'reconciliation', error: null });
    const result = await treasury.audit.reconciliation({});
    set(result.ok ? { reconciliation: result.data, busy: null } : { error: result.error, busy: null });
  },
  async loadRecords(reset = false) {
    const before = reset ? undefined : get().records.at(-1)?.seq;
    set({ busy: 'records', error: null });
    const result = await treasury.audit.list({ limit: PAGE, ...(before !== undefined ? { before } : {}) });
    if (!result.ok) {
      set({ error: result.error, busy: null });
      return;
    }
    set((s) => ({ records: reset ? result.data : [...s.records, ...result.data], moreRecords: result.data.length === PAGE, busy: null }));
  },
}));
