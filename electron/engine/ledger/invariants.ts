import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface InvariantViolation {
  rule: 'asset_sums_to_zero' | 'client_balance_negative' | 'balances_match_history';
  detail: string;
}

/**
 * Checks the ledger's promises from the stored rows, independent of the code that wrote them: every
 * asset sums to zero, no client's available balance is below zero, and each materialized balance equals
 * the sum of its account's transfers.
 */
export async function checkLedgerInvariants(db: Kysely<Database>): Promise<InvariantViolation[]> {
  const violations: InvariantViolation[] = [];
  const accounts = await db.selectFrom('ledger_accounts').selectAll().execute();
  const sums = new Map<string, { posted: bigint; pending: bigint }>();
  for (const a of accounts) {
    const s = sums.get(a.asset_id) ?? { posted: 0n, pending: 0n };
    s.posted += BigInt(a.debits_posted) - BigInt(a.credits_posted);
    s.pending += BigInt(a.debits_pending) - BigInt(a.credits_pending);
    sums.set(a.asset_id, s);
    if (a.kind === 'client_wallet') {
      const available = BigInt(a.credits_posted) - BigInt(a.debits_posted) - BigInt(a.debits_pending);
      if (available < 0n) violations.push({ rule: 'client_balance_negative', detail: `${a.code} available ${available}` });
    }
  }
  for (const [assetId, s] of sums) {
    if (s.posted !== 0n || s.pending !== 0n) {
      violations.push({ rule: 'asset_sums_to_zero', detail: `${assetId} posted ${s.posted} pending ${s.pending}` });
    }
  }

  // Recompute every account from history. Amounts are summed as bigint in JS: SQLite's SUM would overflow.
  const transfers = await db
    .selectFrom('ledger_transfers')
    .select(['kind', 'debit_account_id', 'credit_account_id', 'amount'])
    .orderBy('id')
    .execute();
  const derived = new Map<number, { dp: bigint; cp: bigint; dq: bigint; cq: bigint }>();
  const at = (id: number) => {
    let d = derived.get(id);
    if (!d) derived.set(id, (d = { dp: 0n, cp: 0n, dq: 0n, cq: 0n }));
    return d;
  };
  for (const t of transfers) {
    const amount = BigInt(t.amount);
    if (t.kind === 'posted') {
      at(t.debit_account_id).dp += amount;
      at(t.credit_account_id).cp += amount;
    } else if (t.kind === 'pending') {
      at(t.debit_account_id).dq += amount;
      at(t.credit_account_id).cq += amount;
    } else {
      at(t.debit_account_id).dq -= amount;
      at(t.credit_account_id).cq -= amount;
      if (t.kind === 'post_pending') {
        at(t.debit_account_id).dp += amount;
        at(t.credit_account_id).cp += amount;
      }
    }
  }
  for (const a of accounts) {
    const d = derived.get(a.id) ?? { dp: 0n, cp: 0n, dq: 0n, cq: 0n };
    if (
      d.dp !== BigInt(a.debits_posted) ||
      d.cp !== BigInt(a.credits_posted) ||
      d.dq !== BigInt(a.debits_pending) ||
      d.cq !== BigInt(a.credits_pending)
    ) {
      violations.push({ rule: 'balances_match_history', detail: `${a.code} does not match its transfers` });
    }
  }
  return violations;
}
