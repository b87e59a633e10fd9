import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TronAdapter } from '@engine/chains/tron';
import { decodeNodeMessage, int64 } from '@engine/chains/tron/node-client';
import type { Asset } from '@shared/domain/assets';

const TRX: Asset = { id: 'tron:TRX', chain: 'tron', symbol: 'TRX', decimals: 6, contract: null };
const HOLDER = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

describe('int64 values from a Tron node', () => {
  it.each([
    ['a decimal string past 2^53', '12345678901234567891', 12_345_678_901_234_567_891n],
    ['a safe JSON number', 1_000_000, 1_000_000n],
    ['an absent field (proto3 leaves out zero)', undefined, 0n],
  ])('reads %s exactly', (_label, value, expected) => {
    expect(int64(value, 'balance')).toBe(expected);
  });

  it.each([
    ['an unsafe JSON number', 12345678901234567891],
    ['a fraction', 1.5],
    ['text', 'lots'],
  ])('refuses %s rather than round it', (_label, value) => {
    expect(() => int64(value, 'balance')).toThrow(/not an exact integer/);
  });

  it('decodes java-tron hex messages and leaves plain text alone', () => {
    expect(decodeNodeMessage('5472616e73616374696f6e2065787069726564')).toBe('Transaction expired');
    expect(decodeNodeMessage('Transaction expired')).toBe('Transaction expired');
    expect(decodeNodeMessage(undefined)).toBe('');
  });
});

describe('TronAdapter against a node that ignores int64_as_string', () => {
  let server: Server;
  let adapter: TronAdapter;
  const seen: string[] = [];

  beforeAll(async () => {
    // Answers like a java-tron older than int64_as_string support: a bare JSON number past 2^53.
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"address":"41a614f803b6fd780986a42c78ec9c7f77e6ded13c","balance":12345678901234567891}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    adapter = new TronAdapter({ fullNodeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('asks for strings and refuses a balance that arrived as an imprecise number', async () => {
    await expect(adapter.balance(TRX, HOLDER)).rejects.toThrow(/int64_as_string/);
    expect(seen[0]).toMatch(/^\/wallet\/getaccount\?.*int64_as_string=true/);
    expect(seen[0]).toContain('address=41a614f803b6fd780986a42c78ec9c7f77e6ded13c');
  });
});
