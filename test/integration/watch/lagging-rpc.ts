import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load-balanced endpoint in front of one real node, as the watcher meets it on a public chain: a backend
 * `lag` blocks behind answers as such a node does (its own head; null for blocks it has not imported; an
 * error for logs past its head, as geth, Nethermind, Besu, Erigon and reth do; null receipts for newer
 * transactions). 'level': every request reaches the up-to-date backend; 'lagging': every request the
 * lagging one; 'flapping': requests alternate between the two (one HTTP request, batch or not, one backend).
 */
export type LagMode = 'level' | 'lagging' | 'flapping';

export interface LaggingRpc {
  url: string;
  mode: LagMode;
  lag: number;
  /** Answers the lagging backend gave (a head, a null block, a refused range). */
  counts: { requests: number; lagged: number };
  stop(): Promise<void>;
}

interface RpcRequest {
  jsonrpc: string;
  id: unknown;
  method: string;
  params?: unknown[];
}

export async function startLaggingRpc(upstream: string, lag: number): Promise<LaggingRpc> {
  const state: LaggingRpc = { url: '', mode: 'level', lag, counts: { requests: 0, lagged: 0 }, stop: async () => {} };
  const call = async (method: string, params: unknown[]): Promise<unknown> => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    if (body.error) throw new Error(JSON.stringify(body.error));
    return body.result;
  };
  const forward = async (request: RpcRequest): Promise<unknown> => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    return response.json();
  };

  /** What a backend `lag` blocks behind the real head answers to one request. */
  const behind = async (request: RpcRequest): Promise<unknown> => {
    const head = Math.max(0, Number(BigInt((await call('eth_blockNumber', [])) as string)) - state.lag);
    const params = request.params ?? [];
    const result = (value: unknown) => ({ jsonrpc: '2.0', id: request.id, result: value });
    const number = (tag: unknown): number | null => (typeof tag === 'string' && tag.startsWith('0x') ? Number(BigInt(tag)) : null);
    switch (request.method) {
      case 'eth_blockNumber':
        return result(`0x${head.toString(16)}`);
      case 'eth_getBlockByNumber': {
        const n = params[0] === 'latest' || params[0] === 'pending' ? head : number(params[0]);
        if (n !== null && n > head) return result(null);
        return forward({ ...request, params: [`0x${(n ?? head).toString(16)}`, ...params.slice(1)] });
      }
      case 'eth_getLogs': {
        const filter = (params[0] ?? {}) as { fromBlock?: string; toBlock?: string };
        const to = filter.toBlock === undefined || filter.toBlock === 'latest' ? head : number(filter.toBlock);
        if (to !== null && to > head) {
          return { jsonrpc: '2.0', id: request.id, error: { code: -32602, message: `block range extends beyond current head block: requested ${to}, head ${head}` } };
        }
        return forward(request);
      }
      case 'eth_getTransactionReceipt': {
        const answer = (await forward(request)) as { result?: { blockNumber?: string } | null };
        const mined = answer.result?.blockNumber ? Number(BigInt(answer.result.blockNumber)) : null;
        return mined !== null && mined > head ? result(null) : answer;
      }
      default:
        return forward(request);
    }
  };

  let flip = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = JSON.parse(await readBody(req)) as RpcRequest | RpcRequest[];
      state.counts.requests++;
      const lagging = state.mode === 'lagging' || (state.mode === 'flapping' && flip++ % 2 === 1);
      if (lagging) state.counts.lagged++;
      const answer = (r: RpcRequest) => (lagging ? behind(r) : forward(r));
      const out = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
