import type { AlertCenter } from '../alerts/alert-center';
import type { AlertView } from '@shared/domain/alerts';
import type { Kysely } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import type { AuditLog } from '../audit/audit-log';
import type { ChainAdapter, TxReceipt } from '../chains/adapter';
import type { Database } from '../db/schema';
import type { Ledger } from '../ledger/ledger';

type Db = Kysely<Database>;

/**
 * Our own transactions follow reorgs. A sweep or withdrawal is booked when its receipt reaches the confirmation
 * depth; a deeper reorg can still orphan that block. Each owner re-reads, every tick, the receipts it booked
 * within `recheckWindow` blocks of the head: one gone or in another block gets its booking reversed (never
 * edited), goes back to tracking, and is booked again, under the next round's keys, once mined anew.
 */

/** As far back as the deposit watcher keeps block hashes (twice the unconfirmed window and a margin). */
export function recheckWindow(depth: number): number {
  return depth * 2 + 8;
}

/** Round 0 keeps the keys bookings always had; each reorg that undoes a booking moves to the next round. */
export function bookingKey(base: string, round: number): string {
  return round === 0 ? base : `${base}:r${round}`;
}

export type ReceiptCheck =
  /** Still in the block it was booked on. */
  | { kind: 'same' }
  /**
   * Nothing is concluded: the node's head is below the booked block, or the booked block is still in the
   * chain and only this endpoint's receipt is missing (a lagging backend of a load-balanced RPC).
   */
  | { kind: 'behind' }
  /** No receipt, read twice: the block that held it was orphaned and the transaction is not mined again yet. */
  | { kind: 'gone' }
  /** Mined again, in another block (maybe with another fee or outcome). */
  | { kind: 'moved'; receipt: TxReceipt };

/**
 * Where a transaction booked in block `booked` stands now. Absence counts only when a second read agrees, the
 * head covers the booked block and that height holds another block now: one answer from a backend mid-import
 * or behind is not a reorg.
 */
export async function recheckReceipt(adapter: ChainAdapter, txHash: string, booked: { blockNumber: number; blockHash: string | null }): Promise<ReceiptCheck> {
  const read = async (): Promise<ReceiptCheck> => {
    const receipt = await adapter.receipt(txHash);
    if (receipt) {
      if (booked.blockHash === null || receipt.blockHash.toLowerCase() === booked.blockHash.toLowerCase()) return { kind: 'same' };
      return { kind: 'moved', receipt };
    }
    const head = await adapter.headBlock();
    if (head.number < BigInt(booked.blockNumber)) return { kind: 'behind' };
    if (booked.blockHash === null) return { kind: 'gone' };
    // An endpoint that cannot answer throws: a reorg is never concluded from an error.
    const block = await adapter.block(BigInt(booked.blockNumber));
    return block.hash.toLowerCase() === booked.blockHash.toLowerCase() ? { kind: 'behind' } : { kind: 'gone' };
  };
  const first = await read();
  if (first.kind !== 'gone') return first;
  return read();
}

/**
 * Reverses every posted transfer written under `keys` that no reversal answers yet, each under its own key
 * (`reorg:<key>`), inside the caller's transaction. Returns the reversing transfers' ids.
 */
export async function reverseBookings(
  trx: Db,
  ledger: Ledger,
  keys: readonly string[],
  cause: { type: string; id: string },
  memo: string,
): Promise<number[]> {
  if (keys.length === 0) return [];
  const booked = await trx.selectFrom('ledger_transfers').select(['id', 'idempotency_key']).where('idempotency_key', 'in', [...keys]).orderBy('id').execute();
  const reversed: number[] = [];
  for (const transfer of booked) {
    const outcome = await ledger.reverse(transfer.id, { idempotencyKey: `reorg:${transfer.idempotency_key}`, code: 'correction', memo, cause, operator: 'system' }, trx);
    reversed.push(outcome.transfer.id);
  }
  return reversed;
}

/** One alert per transaction and booking round, naming what the reorg took back, however often it is re-read; announce it after commit. */
export async function outgoingReorgAlert(
  trx: Db,
  alerts: AlertCenter,
  alert: { subject: string; profile: string; chain: Chain; message: string; details: Record<string, unknown> },
): Promise<AlertView | null> {
  return alerts.raiseIn(trx, { profile: alert.profile, kind: 'outgoing_reorged', chain: alert.chain, subject: alert.subject, message: alert.message, details: alert.details });
}
