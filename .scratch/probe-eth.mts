import { JsonRpcProvider, Network } from 'ethers';
import { createServer } from 'node:http';
const s = createServer((q, r) => { r.writeHead(503); r.end('upstream unavailable'); });
await new Promise<void>((res) => s.listen(0, '127.0.0.1', () => res()));
const port = (s.address() as any).port;
for (const url of ['http://127.0.0.1:1', `http://127.0.0.1:${port}`]) {
  const p = new JsonRpcProvider(url, new Network('x', 1), { staticNetwork: true, cacheTimeout: -1 });
  try { await p.send('eth_blockNumber', []); } catch (e: any) { console.log(url, e.code, e.shortMessage, JSON.stringify(e.info)?.slice(0,200), e.error?.code, e.cause?.code); }
  p.destroy();
}
s.close();
import { TronWeb } from 'tronweb';
for (const url of ['http://127.0.0.1:1', `http://127.0.0.1:${port}`]) {
  const s2 = createServer((q, r) => { r.writeHead(503); r.end('x'); }); await new Promise<void>((res) => s2.listen(port, '127.0.0.1', () => res()));
  const t = new TronWeb({ fullHost: url });
  try { await t.fullNode.request('wallet/getblock', {}, 'get'); } catch (e: any) { console.log('tron', url, typeof e, e?.code, e?.response?.status, String(e?.message ?? e).slice(0,100)); }
  s2.close();
}
