import type { Chain } from '@shared/domain/chains';
import { chainFamily } from '@shared/domain/chains';
import type { ChainHealth } from '@shared/domain/system';

/**
 * A cheap liveness probe per chain endpoint: the head block number, with a short timeout so a dead
 * endpoint never stalls the status bar.
 */
export async function probeChain(chain: Chain, endpoint: string, timeoutMs = 1500): Promise<ChainHealth> {
  try {
    const head = chainFamily(chain) === 'evm' ? await evmHead(endpoint, timeoutMs) : await tronHead(endpoint, timeoutMs);
    return { chain, endpoint, reachable: true, head: head.toString() };
  } catch (error) {
    return { chain, endpoint, reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function evmHead(endpoint: string, timeoutMs: number): Promise<bigint> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: string; error?: { message: string } };
  if (!body.result) throw new Error(body.error?.message ?? 'no result');
  return BigInt(body.result);
}

async function tronHead(endpoint: string, timeoutMs: number): Promise<bigint> {
  const response = await fetch(`${endpoint.replace(/\/$/, '')}/wallet/getnowblock`, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { block_header?: { raw_data?: { number?: number } } };
  const number = body.block_header?.raw_data?.number;
  if (number === undefined) throw new Error('no block header');
  return BigInt(number);
}
