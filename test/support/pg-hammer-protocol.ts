/** What pg-hammer.ts tells each pg-writer.ts process, and what the process answers. */
export interface WriterConfig {
  url: string;
  writer: number;
  walletIds: string[];
  assetId: string;
  seconds: number;
  /** How many distinct deposits exist for the writers to race on. */
  deposits: number;
  /** Requests this process keeps in flight (each on its own connection). */
  concurrency: number;
}

export interface WriterResult {
  writer: number;
  /** Transfers this process wrote (not replays), by kind. */
  applied: { internal: number; credit: number; deposit: number };
  /** Requests answered with an earlier transfer: own replays, and deposits another writer credited first. */
  replayed: number;
  /** Refusals the ledger is meant to give under contention (insufficient_funds), by code. */
  refused: Record<string, number>;
  /** Anything else: a failure of the test. */
  errors: string[];
  /** Idempotency keys of the deposits this process credited. */
  depositsApplied: string[];
  seconds: number;
}

/** Deposits 0..RACED_DEPOSITS-1 every writer credits first, at the same moment: all but one writer must be answered with a replay. */
export const RACED_DEPOSITS = 5;

/** Deposit i of the shared set: the same chain identity, wallet and amount in every writer. */
export function depositForIndex(index: number, walletIds: string[]) {
  return {
    index,
    txHash: `0x${index.toString(16).padStart(64, '0')}`,
    logIndex: index % 4,
    walletId: walletIds[index % walletIds.length]!,
    amount: BigInt(1_000 + index),
  };
}
