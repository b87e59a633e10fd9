import type { AccountKind } from '@shared/domain/ledger';
import type { LedgerAccountRow, LedgerTransferRow } from '../db/schema';
import { balanceOf } from '../ledger/balance';

export interface TextSink {
  write(text: string): void;
}

/**
 * RFC 4180 quoting, and a leading apostrophe on text that a spreadsheet would run as a formula
 * (a memo typed as "=HYPERLINK(...)" stays text when the auditor opens the file).
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?[0-9]+$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const row = (cells: Array<string | number | null>) => `${cells.map(csvCell).join(',')}\r\n`;

/** Every row names its network, so a devnet export can never be read as mainnet records once copied around. */
export const TRANSFER_CSV_HEADER = [
  'network', 'id', 'created_at', 'kind', 'code', 'asset_id', 'amount_base_units', 'debit_account', 'credit_account',
  'pending_id', 'reverses_id', 'cause_type', 'cause_id', 'memo', 'operator', 'idempotency_key',
];

export class TransferCsv {
  constructor(
    private readonly sink: TextSink,
    private readonly codeOf: (accountId: number) => string,
    private readonly network: string,
  ) {
    sink.write(row(TRANSFER_CSV_HEADER));
  }

  add(t: LedgerTransferRow): void {
    this.sink.write(
      row([
        this.network, t.id, t.created_at, t.kind, t.code, t.asset_id, t.amount, this.codeOf(t.debit_account_id), this.codeOf(t.credit_account_id),
        t.pending_id, t.reverses_id, t.cause_type, t.cause_id, t.memo, t.operator, t.idempotency_key,
      ]),
    );
  }
}

export function writeBalancesCsv(sink: TextSink, accounts: Iterable<LedgerAccountRow>, clientOfWallet: (walletId: string) => string | null, network: string): void {
  sink.write(row(['network', 'account', 'kind', 'asset_id', 'wallet_id', 'client_id', 'posted_base_units', 'pending_base_units', 'available_base_units']));
  for (const a of accounts) {
    const b = balanceOf(a.kind as AccountKind, {
      debitsPosted: BigInt(a.debits_posted),
      creditsPosted: BigInt(a.credits_posted),
      debitsPending: BigInt(a.debits_pending),
      creditsPending: BigInt(a.credits_pending),
    });
    sink.write(
      row([network, a.code, a.kind, a.asset_id, a.wallet_id, a.wallet_id ? clientOfWallet(a.wallet_id) : null, b.posted.toString(), b.pending.toString(), b.available.toString()]),
    );
  }
}
