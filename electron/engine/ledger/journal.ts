import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import type { Database, LedgerTransferRow } from '../db/schema';
import type { Steps } from './steps';

/** Called in the same transaction with every transfer written (and the codes of the accounts they name). */
export type Journal = (trx: Kysely<Database>, written: LedgerTransferRow[], codes: Map<number, string>) => Steps<unknown>;

/**
 * The change text the ledger's journal writes for a transfer: canonical JSON (keys sorted, no spaces), built
 * by concatenation. The integrity check builds the same text from a stored row and compares it whole.
 */
export function journalText(row: LedgerTransferRow, quotedCode: (id: number) => string): string {
  const text = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  // Amounts that are plain digits need no escaping; anything else goes through JSON.stringify like the rest.
  const amount = /^[0-9]+$/.test(row.amount) ? `"${row.amount}"` : JSON.stringify(row.amount);
  return (
    `{"amount":${amount},"assetId":${JSON.stringify(row.asset_id)},` +
    `"cause":${row.cause_type ? JSON.stringify(`${row.cause_type}:${row.cause_id}`) : 'null'},"code":${JSON.stringify(row.code)},` +
    `"credit":${quotedCode(row.credit_account_id)},"debit":${quotedCode(row.debit_account_id)},` +
    `"idempotencyKey":${JSON.stringify(row.idempotency_key)},"memo":${text(row.memo)},` +
    `"pendingId":${row.pending_id ?? 'null'},"reversesId":${row.reverses_id ?? 'null'}}`
  );
}

/** The ledger's audit trail: one hash-chained record per transfer, `ledger.<kind>` on entity ledger_transfer. */
export function auditJournal(audit: AuditLog): Journal {
  return (trx, written, codes) =>
    audit.append(
      trx,
      written.map((t) => ({
        operator: t.operator ?? 'system',
        action: `ledger.${t.kind}`,
        entity: { type: 'ledger_transfer', id: String(t.id) },
        change: journalText(t, (id) => JSON.stringify(codes.get(id))),
      })),
    );
}
