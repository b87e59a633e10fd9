import { Transaction } from 'ethers';
import type { ChainAdapter, EvmFeeFloor, TxReceipt } from '../chains/adapter';
import { REFUSALS, type RefusalKind } from './refusals';

/**
 * One lifecycle for every transaction the company sends (sweeps, gas-tank fundings, withdrawals):
 *
 *   build -> sign -> broadcast -> track -> final
 *                        |  ^        |
 *                        v  |        v
 *                     (refused)   replace | cancel -> track
 *
 * The owners keep their own rows and states (sweeps, withdrawals); this module holds what must be the
 * same for both: which moves are allowed, what to do after each refusal, what a replacement pays, and
 * which receipts to read (every hash ever broadcast for the intent, not only the latest).
 */
export type TxPhase = 'build' | 'sign' | 'broadcast' | 'track' | 'replace' | 'cancel' | 'final';
export type TxEvent =
  | 'built'
  | 'signed'
  | 'accepted'
  | 'refused_track'
  | 'refused_reprice'
  | 'refused_rebuild'
  | 'refused_wait'
  | 'refused_retry'
  | 'refused_give_up'
  | 'stuck'
  | 'cancel'
  | 'mined'
  | 'reverted'
  | 'retry'
  | 'expired'
  | 'abandoned'
  | 'reorged';

/** The transition table. A move not listed here is a bug, and `nextPhase` says so instead of guessing. */
export const TX_TRANSITIONS: Record<TxPhase, Partial<Record<TxEvent, TxPhase>>> = {
  // Before a transaction is built: an earlier one of the intent may turn out mined; or the owner gives up
  // (nothing of the intent is out there: cancelled, a balance that cannot pay).
  build: { built: 'sign', mined: 'track', abandoned: 'final' },
  sign: { signed: 'broadcast' },
  broadcast: {
    accepted: 'track',
    refused_track: 'track',
    refused_reprice: 'replace',
    refused_rebuild: 'build',
    refused_wait: 'broadcast',
    refused_retry: 'broadcast',
    refused_give_up: 'final',
    // One of our earlier hashes for the same intent got mined while this one was being sent.
    mined: 'track',
  },
  // A reverted transaction is final; its owner may start over with a new one (`retry`).
  track: { mined: 'final', reverted: 'final', retry: 'build', stuck: 'replace', cancel: 'cancel', expired: 'build' },
  // Replacing and cancelling sign a new transaction with the same nonce; the old ones stay tracked.
  replace: { signed: 'broadcast', mined: 'track' },
  cancel: { signed: 'broadcast', mined: 'track' },
  // The block that confirmed it was orphaned: its booking is reversed and it is tracked again (its stored bytes
  // re-sent) until it is mined anew. The only way out of final.
  final: { reorged: 'track' },
};

export function nextPhase(phase: TxPhase, event: TxEvent): TxPhase {
  const next = TX_TRANSITIONS[phase][event];
  if (!next) throw new Error(`transaction lifecycle: no move from ${phase} on ${event}`);
  return next;
}

/**
 * Whether an owner's step may take its transaction from one phase to another: the same phase (a note, a
 * wait), or a path of at most `maxEvents` moves of the table (one step of an owner may build and sign, or
 * sign a replacement and send it). `final` is left by one move only (a reorg, back to track): never rebuilt.
 */
export function movePermitted(from: TxPhase, to: TxPhase, maxEvents = 3): boolean {
  if (from === to) return true;
  if (from === 'final') return Object.values(TX_TRANSITIONS.final).includes(to);
  let frontier = new Set<TxPhase>([from]);
  for (let i = 0; i < maxEvents; i++) {
    const next = new Set<TxPhase>();
    for (const phase of frontier) for (const target of Object.values(TX_TRANSITIONS[phase])) next.add(target);
    if (next.has(to)) return true;
    frontier = next;
  }
  return false;
}

/**
 * The check each owner runs in its one state-changing function: its states mapped to phases (`phases`), every
 * move it declares must be a move of the table. States outside the lifecycle (a request not yet approved) map
 * to nothing and are not checked.
 */
export function assertLifecycleMove<S extends string>(owner: string, phases: Partial<Record<S, TxPhase>>, from: readonly S[], to: S | undefined): void {
  if (to === undefined) return;
  const target = phases[to];
  if (!target) return;
  for (const state of from) {
    const source = phases[state];
    if (source && !movePermitted(source, target)) {
      throw new Error(`${owner}: ${state} -> ${to} is no move of the transaction lifecycle (${source} -> ${target})`);
    }
  }
}

/**
 * What to do after a refusal, given what else of the same intent is out there. Nothing is given up or
 * rebuilt while another transaction of the intent may still be mined (`othersLive`): that one is followed
 * (and replaced when stuck); a new Tron transaction beside it would pay twice.
 */
export type RefusalDecision = 'follow_mined' | 'track' | 'reprice' | 'wait_funds' | 'rebuild' | 'retry_later' | 'give_up' | 'keep_following';

export function decideAfterRefusal(
  kind: RefusalKind,
  context: { oneOfOursMined: boolean; othersLive: boolean },
): RefusalDecision {
  if (context.oneOfOursMined) return 'follow_mined';
  const step = REFUSALS[kind].next;
  switch (step) {
    case 'track':
    case 'reprice':
    case 'wait_funds':
    case 'retry_later':
      return step;
    case 'check_mined':
      // The nonce is used and no receipt of ours shows it. With an earlier one of ours out there, that one is
      // most likely mined and the endpoint lags (load-balanced RPCs do): keep following it. Else none of ours
      // can be mined any more.
      return context.othersLive ? 'keep_following' : 'rebuild';
    case 'rebuild':
      // The live one is what gets mined (EVM: same nonce) or would pay twice beside a new one (Tron).
      return context.othersLive ? 'keep_following' : 'rebuild';
    case 'give_up':
      return context.othersLive ? 'keep_following' : 'give_up';
  }
}

/** Nodes (geth, bor, bsc) want at least 10% over the replaced fees; 12.5% clears every client's rounding. */
export const REPLACEMENT_BUMP_PERMILLE = 125n;

const ceilBump = (value: bigint) => (value * (1000n + REPLACEMENT_BUMP_PERMILLE) + 999n) / 1000n;
const max = (a: bigint | undefined, b: bigint | undefined): bigint | undefined =>
  a === undefined ? b : b === undefined ? a : a > b ? a : b;

/** The least a replacement of `replaced` may pay per gas: each fee field + 12.5%, rounded up. */
export function replacementFloor(replaced: EvmFeeFloor): EvmFeeFloor {
  const floor: EvmFeeFloor = {};
  if (replaced.gasPrice !== undefined) floor.gasPrice = ceilBump(replaced.gasPrice);
  if (replaced.maxFeePerGas !== undefined) floor.maxFeePerGas = ceilBump(replaced.maxFeePerGas);
  if (replaced.maxPriorityFeePerGas !== undefined) floor.maxPriorityFeePerGas = ceilBump(replaced.maxPriorityFeePerGas);
  return floor;
}

/** Field by field, the larger of two floors (the replaced fees of several earlier transactions). */
export function higherFloor(a: EvmFeeFloor, b: EvmFeeFloor): EvmFeeFloor {
  const floor: EvmFeeFloor = {};
  const gasPrice = max(a.gasPrice, b.gasPrice);
  const maxFeePerGas = max(a.maxFeePerGas, b.maxFeePerGas);
  const maxPriorityFeePerGas = max(a.maxPriorityFeePerGas, b.maxPriorityFeePerGas);
  if (gasPrice !== undefined) floor.gasPrice = gasPrice;
  if (maxFeePerGas !== undefined) floor.maxFeePerGas = maxFeePerGas;
  if (maxPriorityFeePerGas !== undefined) floor.maxPriorityFeePerGas = maxPriorityFeePerGas;
  return floor;
}

/** The fee fields a signed (or unsigned) EVM transaction pays, read from its bytes. */
export function evmFeesOf(serialized: string): EvmFeeFloor & { nonce: number; gasLimit: bigint } {
  const tx = Transaction.from(serialized);
  return tx.type === 2
    ? { nonce: tx.nonce, gasLimit: tx.gasLimit, maxFeePerGas: tx.maxFeePerGas ?? 0n, maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? 0n }
    : { nonce: tx.nonce, gasLimit: tx.gasLimit, gasPrice: tx.gasPrice ?? 0n };
}

/** The floor a replacement of all of `serialized` (same nonce) must clear. */
export function replacementFloorOf(serialized: string[]): EvmFeeFloor {
  return serialized.reduce<EvmFeeFloor>((floor, raw) => {
    const { nonce: _n, gasLimit: _g, ...fees } = evmFeesOf(raw);
    return higherFloor(floor, replacementFloor(fees));
  }, {});
}

/** When a signed Tron transaction expires (ms since epoch), from its raw_data; null for other chains. */
export function tronExpiration(raw: string): number | null {
  try {
    const expiration = (JSON.parse(raw) as { raw_data?: { expiration?: unknown } }).raw_data?.expiration;
    return typeof expiration === 'number' ? expiration : null;
  } catch {
    return null;
  }
}

/**
 * Receipts of every hash ever broadcast for one intent (nonce or Tron transfer), newest first. A lagging or
 * failing endpoint throws: "not mined" is never concluded from an error.
 */
export async function receiptsOf(adapter: ChainAdapter, hashes: readonly string[]): Promise<TxReceipt[]> {
  const found: TxReceipt[] = [];
  for (const hash of [...new Set(hashes)].reverse()) {
    const receipt = await adapter.receipt(hash);
    if (receipt) found.push(receipt);
  }
  return found;
}

/**
 * Whether a transaction we sent may still be mined. EVM: while none with its nonce is mined (the caller
 * knows); Tron: until the head block passes its expiration.
 */
export function tronMayStillBeMined(raw: string, headTimestampSeconds: number): boolean {
  const expiration = tronExpiration(raw);
  return expiration === null || headTimestampSeconds * 1000 <= expiration;
}
