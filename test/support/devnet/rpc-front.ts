import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transaction } from 'ethers';

/**
 * A JSON-RPC endpoint in front of an anvil node, for what anvil does not do as real networks do:
 * - like one lagging backend of a load-balanced public RPC, receipts of the hashes a test hides read as null
 *   (not mined yet) while everything else, balances included, comes from the up-to-date node;
 * - like a Polygon bor node (txpool.pricelimit), a transaction tipping under `minTipWei` is refused with bor's
 *   words, while eth_maxPriorityFeePerGas still suggests anvil's lower tip, as public RPCs have;
 * - like geth's pool (txpool.pricebump, 10 by default), a replacement of a pending transaction must raise both
 *   its fee cap and its tip by `replacementBumpPercent`; anvil takes one a wei dearer;
 * - like a provider's outage, while `outage` is set every request answers HTTP 503 and reaches no node.
 */
export interface RpcFront {
  url: string;
  outage: boolean;
  /** Requests received, answered or not. */
  requests: number;
  hideReceipt(txHash: string): void;
  revealAll(): void;
  stop(): Promise<void>;
}

export interface RpcFrontOptions {
  minTipWei?: bigint;
  replacementBumpPercent?: number;
}

interface PoolTx {
  hash: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
}

interface RpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

export async function startRpcFront(upstream: string, options: RpcFrontOptions = {}): Promise<RpcFront> {
  const hidden = new Set<string>();
  const call = async <T>(method: string, params: unknown[]): Promise<T> => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    return ((await response.json()) as { result: T }).result;
  };
  const poolRules = async (tx: Transaction): Promise<string | null> => {
    const tip = tx.type === 2 ? tx.maxPriorityFeePerGas! : tx.gasPrice!;
    const cap = tx.type === 2 ? tx.maxFeePerGas! : tx.gasPrice!;
    if (options.minTipWei !== undefined && tip < options.minTipWei) {
      return `transaction gas price below minimum: gas tip cap ${tip}, minimum needed ${options.minTipWei}`;
    }
    if (options.replacementBumpPercent === undefined) return null;
    const pool = await call<{ pending: Record<string, Record<string, PoolTx>> }>('txpool_content', []);
    const sender = Object.entries(pool.pending).find(([address]) => address.toLowerCase() === tx.from!.toLowerCase())?.[1] ?? {};
    const pending = sender[String(tx.nonce)];
    if (!pending || pending.hash.toLowerCase() === tx.hash!.toLowerCase()) return null;
    const oldTip = BigInt(pending.maxPriorityFeePerGas ?? pending.gasPrice!);
    const oldCap = BigInt(pending.maxFeePerGas ?? pending.gasPrice!);
    const bump = BigInt(100 + options.replacementBumpPercent);
    return tip * 100n < oldTip * bump || cap * 100n < oldCap * bump ? 'replacement transaction underpriced' : null;
  };
  const forward = async (request: RpcRequest) => {
    if (request.method === 'eth_getTransactionReceipt' && hidden.has(String(request.params?.[0]).toLowerCase())) {
      return { jsonrpc: '2.0', id: request.id, result: null };
    }
    if (request.method === 'eth_sendRawTransaction') {
      const refusal = await poolRules(Transaction.from(String(request.params?.[0])));
      if (refusal) return { jsonrpc: '2.0', id: request.id, error: { code: -32000, message: refusal } };
    }
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    return response.json();
  };
  const server = createServer((req, res) => {
    front.requests++;
    if (front.outage) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
      return;
    }
    void (async () => {
      const body = JSON.parse(await readBody(req)) as RpcRequest | RpcRequest[];
      const answer = Array.isArray(body) ? await Promise.all(body.map(forward)) : await forward(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  const front: RpcFront = {
    url: '',
    outage: false,
    requests: 0,
    hideReceipt: (hash) => hidden.add(hash.toLowerCase()),
    revealAll: () => hidden.clear(),
    // Open keep-alive sockets are cut too: a stopped front refuses, as a dead host does.
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return front;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
