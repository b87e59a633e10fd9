import { getAddress, toQuantity, zeroPadValue } from 'ethers';
import type { ObservedStray } from '@engine/chains/adapter';

/**
 * What reaches our addresses on an EVM chain outside the asset registry: Transfer logs of any other token
 * contract, and native coin moved by a contract's internal calls (read from the node's call tracer).
 */

/** A log as eth_getLogs returns it. */
export interface StrayLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

/** One frame of geth's / anvil's callTracer output. */
interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  error?: string;
  calls?: CallFrame[];
}

/**
 * geth 1.14 refuses a filter with more than 1000 alternatives in one topic position ("exceed max topics"); a
 * recipient list is queried in chunks of this size, so 100,000 addresses cost 100 calls per block span.
 */
export const RECIPIENT_TOPIC_CHUNK = 1000;

/** Recipients as padded topics in chunks, kept per recipient set (rebuilt when its size changes). */
const chunkCache = new WeakMap<ReadonlySet<string>, { size: number; chunks: string[][] }>();
export function recipientTopicChunks(recipients: ReadonlySet<string>, chunkSize = RECIPIENT_TOPIC_CHUNK): string[][] {
  const cached = chunkCache.get(recipients);
  if (cached && cached.size === recipients.size) return cached.chunks;
  const topics = [...recipients].map((address) => zeroPadValue(address.toLowerCase(), 32));
  const chunks: string[][] = [];
  for (let i = 0; i < topics.length; i += chunkSize) chunks.push(topics.slice(i, i + chunkSize));
  chunkCache.set(recipients, { size: recipients.size, chunks });
  return chunks;
}

/**
 * Token strays among Transfer logs already filtered by recipient topic: any contract the registry does not
 * hold (`known`, lower-case), ERC-721 (a fourth, indexed token id) and zero-amount spam excluded.
 */
export function unknownTokenTransfers(
  chain: ObservedStray['chain'],
  logs: StrayLog[],
  known: ReadonlySet<string>,
  wanted: ReadonlySet<string>,
): ObservedStray[] {
  const found: ObservedStray[] = [];
  for (const log of logs) {
    if (log.removed || log.topics.length !== 3 || log.data.length !== 66) continue;
    if (known.has(log.address.toLowerCase())) continue;
    const recipient = `0x${(log.topics[2] as string).slice(26)}`.toLowerCase();
    const amount = BigInt(log.data);
    if (amount === 0n || !wanted.has(recipient)) continue;
    found.push({
      chain,
      kind: 'unknown_token',
      contract: getAddress(log.address),
      txHash: log.transactionHash,
      eventIndex: Number(log.logIndex),
      blockNumber: BigInt(log.blockNumber),
      blockHash: log.blockHash,
      from: getAddress(`0x${(log.topics[1] as string).slice(26)}`),
      to: getAddress(recipient),
      amount,
    });
  }
  return found;
}

/** How nodes without debug tracing (most public RPCs) refuse debug_traceBlockByNumber. */
export const TRACING_REFUSAL = /method not found|not supported|does not exist|not available|unsupported|not enabled|-32601/i;

/**
 * Native coin moved to a recipient by an internal call of a successful transaction. The top-level frame is the
 * transaction itself (already read as a native deposit); a frame that failed moved nothing, nor did its children.
 * The n-th value-moving internal call of a transaction gets event index -2 - n, counted over all recipients so
 * the index does not depend on which addresses are ours.
 */
export function internalNativeTransfers(
  chain: ObservedStray['chain'],
  block: { number: bigint; hash: string; txHashes: string[] },
  traces: Array<{ txHash?: string; result?: CallFrame }>,
  wanted: ReadonlySet<string>,
): ObservedStray[] {
  const found: ObservedStray[] = [];
  traces.forEach((trace, txIndex) => {
    const top = trace.result;
    const txHash = trace.txHash ?? block.txHashes[txIndex];
    if (!top || top.error || !txHash) return;
    let n = 0;
    const walk = (frame: CallFrame) => {
      for (const call of frame.calls ?? []) {
        if (call.error) continue;
        const value = call.value ? BigInt(call.value) : 0n;
        // DELEGATECALL / STATICCALL frames repeat their parent's value or carry none; they move nothing.
        const moves = value > 0n && (call.type === 'CALL' || call.type === 'CALLCODE' || call.type === 'SELFDESTRUCT' || call.type.startsWith('CREATE'));
        if (moves) {
          const index = n++;
          if (call.to && call.type !== 'CALLCODE' && wanted.has(call.to.toLowerCase())) {
            found.push({
              chain,
              kind: 'internal_native',
              contract: null,
              txHash,
              eventIndex: -2 - index,
              blockNumber: block.number,
              blockHash: block.hash,
              from: getAddress(call.from),
              to: getAddress(call.to),
              amount: value,
            });
          }
        }
        walk(call);
      }
    };
    walk(top);
  });
  return found;
}

export const traceParams = (n: bigint) => [toQuantity(n), { tracer: 'callTracer' }];
