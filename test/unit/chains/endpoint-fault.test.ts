import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonRpcProvider, Network } from 'ethers';
import { TronWeb } from 'tronweb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFault, faultDetail } from '@engine/chains/endpoint-pool';

/**
 * What the real clients (ethers for EVM, tronweb for Tron) throw when an endpoint is down, failing or merely
 * answering with a JSON-RPC error: only the first two pass the endpoint over.
 */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.includes('503') || req.url?.includes('/wallet/')) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
      return;
    }
    // A healthy node refusing a request: HTTP 200 with a JSON-RPC error.
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'block range extends beyond current head block' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function evmError(endpoint: string): Promise<unknown> {
  const provider = new JsonRpcProvider(endpoint, new Network('polygon', 137), { staticNetwork: true, cacheTimeout: -1 });
  try {
    await provider.send('eth_getLogs', [{}]);
    return null;
  } catch (error) {
    return error;
  } finally {
    provider.destroy();
  }
}

async function tronError(endpoint: string): Promise<unknown> {
  try {
    await new TronWeb({ fullHost: endpoint }).fullNode.request('wallet/getblock', {}, 'get');
    return null;
  } catch (error) {
    return error;
  }
}

describe('endpointFault', () => {
  it.each([
    ['EVM: nothing listens', () => evmError('http://127.0.0.1:1'), 'unreachable'],
    ['EVM: HTTP 503', () => evmError(`${url}/503`), 'server_error'],
    ['EVM: a JSON-RPC error from a healthy node', () => evmError(url), null],
    ['Tron: nothing listens', () => tronError('http://127.0.0.1:1'), 'unreachable'],
    ['Tron: HTTP 503', () => tronError(url), 'server_error'],
  ] as const)('%s', async (_, provoke, fault) => {
    const error = await provoke();
    expect(error).not.toBeNull();
    expect(endpointFault(error)).toBe(fault);
  });
});

/** What is kept of a fault in the database: a status or a code, never the node's words or the URL (it may hold a key). */
describe('faultDetail', () => {
  it.each([
    ['EVM: nothing listens', () => evmError('http://127.0.0.1:1'), 'ECONNREFUSED'],
    ['EVM: HTTP 503 from a URL carrying a key', () => evmError(`${url}/503/v3/secret-api-key`), 'HTTP 503'],
    ['Tron: nothing listens', () => tronError('http://127.0.0.1:1'), 'ECONNREFUSED'],
    ['Tron: HTTP 503', () => tronError(url), 'HTTP 503'],
  ] as const)('%s', async (_, provoke, detail) => {
    const error = await provoke();
    expect(faultDetail(error)).toBe(detail);
    expect(faultDetail(error)).not.toContain('secret');
  });
});
