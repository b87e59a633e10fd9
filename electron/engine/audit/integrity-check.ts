import type { AccountKind } from '@shared/domain/ledger';
import type { IntegrityFinding, IntegrityReport } from '@shared/domain/audit';
import type { AuditRecordRow, LedgerAccountRow, LedgerTransferRow } from '../db/schema';
import { balanceOf, type Totals } from '../ledger/balance';
import { journalText } from '../ledger/journal';
import { ChainVerifier } from './chain-verifier';

const LISTED_FINDINGS = 200;

/** Collects findings, keeping the first ones whole and counting the rest. */
export class Findings {
  readonly list: IntegrityFinding[] = [];
  total = 0;

  add(finding: IntegrityFinding): void {
    this.total += 1;
    if (this.list.length < LISTED_FINDINGS) this.list.push(finding);
  }
}

export interface IntegrityInputs {
  accounts: Iterable<LedgerAccountRow> | AsyncIterable<LedgerAccountRow>;
  /** Every audit record in sequence order, in batches (one await per batch, not per record). */
  audit: AsyncIterable<AuditRecordRow[]>;
  /** Every ledger transfer in id order, in batches. */
  transfers: AsyncIterable<LedgerTransferRow[]>;
}

export interface LedgerCheckResult {
  chain: ReturnType<ChainVerifier['verdict']>;
  head: { seq: number; hash: string };
  counts: { auditRecords: number; transfers: number; accounts: number };
  /** Posted client balances recomputed from the entries, by account id: what the liability tree is built on. */
  recomputed: Map<number, Totals>;
  accounts: Map<number, LedgerAccountRow>;
}

const zero = (): Totals => ({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });

/**
 * The checks an auditor runs, over rows from the live database or from a bundle alike:
 * - the audit chain recomputes from genesis (first broken record named);
 * - every ledger transfer has its journal record, field for field, and every journaled transfer exists
 *   (a deleted transfer is named by the record that saw it);
 * - every account's materialized balance equals the sum of its entries from zero.
 * The journal writes a transfer's record in the same transaction and order as the transfer, so both
 * streams run in the same id order and are compared as a merge, never held in memory whole.
 */
export async function checkLedgerAndAudit(inputs: IntegrityInputs, findings: Findings): Promise<LedgerCheckResult> {
  const accounts = new Map<number, LedgerAccountRow>();
  for await (const row of inputs.accounts) accounts.set(row.id, row);
  const recomputed = new Map<number, Totals>();
  const totalsFor = (id: number) => {
    let t = recomputed.get(id);
    if (!t) recomputed.set(id, (t = zero()));
    return t;
  };
  const codeOf = (id: number) => accounts.get(id)?.code ?? `#${id}`;
  const quotedCodes = new Map<number, string>();
  const quotedCode = (id: number) => {
    let quoted = quotedCodes.get(id);
    if (quoted === undefined) quotedCodes.set(id, (quoted = JSON.stringify(codeOf(id))));
    return quoted;
  };
  const pendingById = new Map<number, LedgerTransferRow>();

  const transfers = inputs.transfers[Symbol.asyncIterator]();
  let buffer: LedgerTransferRow[] = [];
  let position = 0;
  let transferCount = 0;
  let lastTransferId = 0;
  let lookahead: LedgerTransferRow | null | undefined;
  const nextTransfer = async (): Promise<LedgerTransferRow | null> => {
    if (lookahead !== undefined) {
      const row = lookahead;
      lookahead = undefined;
      return row;
    }
    while (position >= buffer.length) {
      const step = await transfers.next();
      if (step.done) return null;
      buffer = step.value;
      position = 0;
    }
    const row = buffer[position++]!;
    transferCount += 1;
    if (row.id <= lastTransferId) {
      findings.add({ code: 'transfer_out_of_order', transferId: String(row.id), message: `Transfer ${row.id} comes after transfer ${lastTransferId}: the ledger is out of order.` });
    }
    lastTransferId = Math.max(lastTransferId, row.id);
    apply(row);
    return row;
  };
  const apply = (row: LedgerTransferRow) => {
    const amount = parseAmount(row.amount);
    const debit = totalsFor(row.debit_account_id);
    const credit = totalsFor(row.credit_account_id);
    if (row.kind === 'posted') {
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
    } else if (row.kind === 'pending') {
      debit.debitsPending += amount;
      credit.creditsPending += amount;
      pendingById.set(row.id, row);
    } else {
      debit.debitsPending -= amount;
      credit.creditsPending -= amount;
      if (row.kind === 'post_pending') {
        debit.debitsPosted += amount;
        credit.creditsPosted += amount;
      }
      if (row.pending_id !== null) pendingById.delete(row.pending_id);
    }
  };

  const chain = new ChainVerifier();
  let auditCount = 0;
  let chainReported = false;
  for await (const batch of inputs.audit) for (const record of batch) {
    auditCount += 1;
    if (!chain.push(record) && !chainReported) {
      chainReported = true;
      const v = chain.verdict();
      if (!v.ok) findings.add({ code: 'audit_chain_broken', seq: v.firstBroken, message: chainBreakMessage(v.firstBroken, v.reason) });
    }
    if (record.entity_type !== 'ledger_transfer' || !record.action.startsWith('ledger.')) continue;
    const journaledId = Number(record.entity_id);
    // Catch the ledger up to the journaled id: anything before it was never journaled.
    let row = await nextTransfer();
    while (row && row.id < journaledId) {
      findings.add({ code: 'transfer_unaudited', transferId: String(row.id), message: `Transfer ${row.id} has no audit record.` });
      row = await nextTransfer();
    }
    if (!row || row.id > journaledId) {
      lookahead = row;
      findings.add({
        code: 'transfer_missing',
        seq: record.seq,
        transferId: String(journaledId),
        message: `Audit record ${record.seq} journals transfer ${journaledId}, which is not in the ledger (deleted?).`,
      });
      continue;
    }
    // The journal writes the change as canonical JSON: when the text is exactly what this transfer gives, every
    // field agrees and nothing needs parsing; otherwise parse it and name the fields that differ.
    if (record.action === `ledger.${row.kind}` && record.change === journalText(row, quotedCode)) continue;
    let change: Record<string, unknown>;
    try {
      change = JSON.parse(record.change) as Record<string, unknown>;
    } catch {
      findings.add({ code: 'transfer_audit_mismatch', seq: record.seq, transferId: record.entity_id, message: `Audit record ${record.seq} is not readable JSON.` });
      continue;
    }
    compareTransfer(row, record, change, codeOf, findings);
  }
  for (let row = await nextTransfer(); row; row = await nextTransfer()) {
    findings.add({ code: 'transfer_unaudited', transferId: String(row.id), message: `Transfer ${row.id} has no audit record.` });
  }

  for (const [id, account] of accounts) {
    const t = recomputed.get(id) ?? zero();
    const fields: Array<[keyof Totals, keyof LedgerAccountRow]> = [
      ['debitsPosted', 'debits_posted'],
      ['creditsPosted', 'credits_posted'],
      ['debitsPending', 'debits_pending'],
      ['creditsPending', 'credits_pending'],
    ];
    for (const [field, column] of fields) {
      const stored = String(account[column]);
      if (stored !== t[field].toString()) {
        findings.add({
          code: 'balance_mismatch',
          account: account.code,
          assetId: account.asset_id,
          message: `Account ${account.code}: ${column} is ${stored}, its entries add up to ${t[field].toString()}.`,
        });
      }
    }
  }
  for (const id of recomputed.keys()) {
    if (!accounts.has(id)) findings.add({ code: 'balance_mismatch', account: `#${id}`, message: `Entries name account ${id}, which does not exist.` });
  }
  return {
    chain: chain.verdict(),
    head: chain.head,
    counts: { auditRecords: auditCount, transfers: transferCount, accounts: accounts.size },
    recomputed,
    accounts,
  };
}

function compareTransfer(
  row: LedgerTransferRow,
  record: AuditRecordRow,
  change: Record<string, unknown>,
  codeOf: (id: number) => string,
  findings: Findings,
): void {
  const expected: Array<[string, unknown, unknown]> = [
    ['action', record.action, `ledger.${row.kind}`],
    ['idempotencyKey', change.idempotencyKey, row.idempotency_key],
    ['debit', change.debit, codeOf(row.debit_account_id)],
    ['credit', change.credit, codeOf(row.credit_account_id)],
    ['assetId', change.assetId, row.asset_id],
    ['amount', change.amount, row.amount],
    ['code', change.code, row.code],
    ['pendingId', change.pendingId ?? null, row.pending_id],
    ['reversesId', change.reversesId ?? null, row.reverses_id],
    ['cause', change.cause ?? null, row.cause_type ? `${row.cause_type}:${row.cause_id}` : null],
    ['memo', change.memo ?? null, row.memo],
  ];
  for (const [field, journaled, stored] of expected) {
    if (journaled !== stored) {
      findings.add({
        code: 'transfer_audit_mismatch',
        seq: record.seq,
        transferId: String(row.id),
        message: `Transfer ${row.id}: ${field} is ${JSON.stringify(stored)} in the ledger, ${JSON.stringify(journaled)} in audit record ${record.seq}.`,
      });
    }
  }
}

export function chainBreakMessage(seq: number, reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap'): string {
  if (reason === 'sequence_gap') return `Audit record ${seq} is missing or out of place: the sequence jumps there.`;
  if (reason === 'broken_link') return `Audit record ${seq} does not link to the record before it (removed, inserted or reordered).`;
  return `Audit record ${seq} was changed after it was written: its hash does not match its content.`;
}

function parseAmount(text: string): bigint {
  return /^(0|[1-9][0-9]*)$/.test(text) ? BigInt(text) : 0n;
}

/** Posted client balances grouped by liability owner (the client, or the wallet when it has none). */
export function clientBalances(
  accounts: Map<number, LedgerAccountRow>,
  recomputed: Map<number, Totals>,
  ownerOfWallet: (walletId: string) => string,
): Map<string, Map<string, bigint>> {
  const byAsset = new Map<string, Map<string, bigint>>();
  for (const [id, account] of accounts) {
    if (account.kind !== 'client_wallet' || !account.wallet_id) continue;
    const posted = balanceOf(account.kind as AccountKind, recomputed.get(id) ?? zero()).posted;
    const owners = byAsset.get(account.asset_id) ?? new Map<string, bigint>();
    const owner = ownerOfWallet(account.wallet_id);
    owners.set(owner, (owners.get(owner) ?? 0n) + posted);
    byAsset.set(account.asset_id, owners);
  }
  return byAsset;
}

export function reportOf(findings: Findings, result: LedgerCheckResult, documents: number, started: number): IntegrityReport {
  return {
    ok: findings.total === 0,
    checkedAt: new Date().toISOString(),
    auditChain: result.chain,
    counts: { ...result.counts, documents },
    findings: findings.list,
    findingsTotal: findings.total,
    milliseconds: Math.round(performance.now() - started),
  };
}
