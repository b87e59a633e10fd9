import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultPlan {
  /** Every Nth request answers HTTP 503. */
  failEvery?: number;
  /** Every Nth request answers only after `delayMs` (past the engine's timeout). */
  delayEvery?: number;
  delayMs?: number;
  /** Every Nth eth_getBlockByNumber answers null, as a node behind its peers does. */
  nullBlockEvery?: number;
  /** Methods refused as a node without them does (geth without the debug namespace: -32601). */
  refuseMethods?: string[];
}

export interface FaultyRpc {
  url: string;
  counts: { requests: number; failed: number; delayed: number; nulled: number };
  stop(): Promise<void>;
}

interface RpcRequest {
  id: unknown;
  method: string;
}

/** A JSON-RPC proxy in front of a real node that errors, stalls and answers short on a fixed schedule. */
export async function startFaultyRpc(upstream: string, plan: FaultPlan): Promise<FaultyRpc> {
  const counts = { requests: 0, failed: 0, delayed: 0, nulled: 0 };
  let blockReads = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const n = ++counts.requests;
      if (plan.failEvery && n % plan.failEvery === 0) {
        counts.failed++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
        return;
      }
      if (plan.delayEvery && n % plan.delayEvery === 0) {
        counts.delayed++;
        await new Promise((resolve) => setTimeout(resolve, plan.delayMs ?? 2_000));
      }
      const upstreamResponse = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      let text = await upstreamResponse.text();
      if (plan.refuseMethods || plan.nullBlockEvery) {
        const request = JSON.parse(body) as RpcRequest | RpcRequest[];
        const answer = JSON.parse(text) as Record<string, unknown> | Array<Record<string, unknown>>;
        const requests = Array.isArray(request) ? request : [request];
        const answers = Array.isArray(answer) ? answer : [answer];
        for (const r of requests) {
          const a = answers.find((x) => x.id === r.id);
          if (!a) continue;
          if (plan.refuseMethods?.includes(r.method)) {
            delete a.result;
            a.error = { code: -32601, message: `the method ${r.method} does not exist/is not available` };
          } else if (plan.nullBlockEvery && r.method === 'eth_getBlockByNumber' && ++blockReads % plan.nullBlockEvery === 0) {
            a.result = null;
            counts.nulled++;
          }
        }
        text = JSON.stringify(answer);
      }
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
