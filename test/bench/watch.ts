/**
 * `npm run bench:watch`: the deposit watcher's scan speed on an anvil chain carrying a few thousand blocks of
 * token traffic, first with 100 deposit addresses and then with 100,000, each on a fresh database so both
 * record and credit the very same deposits; then the delay from a deposit's confirmation block to its credit
 * with the background loop running as the doors run it. The machines are shared and noisy, so the figure that
 * compares is the ratio measured in this one run.
 * Options: WATCH_BENCH_BLOCKS (default 2000), WATCH_BENCH_TX_PER_BLOCK (default 3), WATCH_BENCH_ADDRESSES (default 100000).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getAddress, Interface } from 'ethers';
import { createEngine, type Engine } from '@engine/engine';
import { startEvmDevnet } from '@test/devnet/evm';

const BLOCKS = Number.parseInt(process.env.WATCH_BENCH_BLOCKS ?? '2000', 10);
const TX_PER_BLOCK = Number.parseInt(process.env.WATCH_BENCH_TX_PER_BLOCK ?? '3', 10);
const MANY = Number.parseInt(process.env.WATCH_BENCH_ADDRESSES ?? '100000', 10);
const FEW = 100;
const DEPTH = 3;
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ERC20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);

const chain = await startEvmDevnet({ chain: 'polygon' });
const homes: string[] = [];

async function engineWithWallets(): Promise<Engine> {
  const home = mkdtempSync(join(tmpdir(), 'treasury-bench-watch-'));
  homes.push(home);
  const engine = await createEngine({
    home,
    host: 'headless',
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
    log: () => {},
    watch: { maxBlocksPerTick: 500, pollIntervalMs: 1_000 },
  });
  await engine.services.custody.restoreFromMnemonic(MNEMONIC, 'benchmark passphrase');
  await engine.services.configuration.update({ chain: 'polygon', rpcUrl: chain.url, confirmations: DEPTH });
  for (let i = 0; i < FEW; i++) await engine.services.wallets.create({ chain: 'polygon', label: `bench ${i}` });
  return engine;
}

/** Deposit addresses beyond the first hundred, written straight into the table: the scan only needs them to exist. */
async function addSyntheticWallets(engine: Engine, count: number): Promise<void> {
  const now = new Date().toISOString();
  for (let start = 0; start < count; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 2000); i++) {
      rows.push({
        id: randomUUID(),
        chain: 'polygon',
        address: getAddress('0x' + randomBytes(20).toString('hex')),
        derivation_index: 1_000_000 + i,
        label: `synthetic ${i}`,
        status: 'active' as const,
        client_id: null,
        created_at: now,
        updated_at: now,
      });
    }
    await engine.database.db.insertInto('wallets').values(rows).execute();
  }
}

async function scanAll(engine: Engine, from: number): Promise<{ blocks: number; seconds: number; credited: number }> {
  const { db } = engine.database;
  await db.insertInto('watch_cursors').values({ profile: 'devnet', chain: 'polygon', next_block: from, updated_at: new Date().toISOString() }).execute();
  const started = performance.now();
  let last = from - 1;
  for (;;) {
    const outcome = await engine.services.watch.tick('polygon');
    last = outcome.to;
    if (outcome.to >= outcome.head) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const credited = await db.selectFrom('deposits').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'confirmed').executeTakeFirstOrThrow();
  return { blocks: last - from + 1, seconds, credited: Number(credited.n) };
}

// Our first hundred addresses (the same from the same seed in both databases) get every TX_PER_BLOCK-th transfer.
const few = await engineWithWallets();
const ours = (await few.services.wallets.list({ chain: 'polygon', limit: FEW })).items.map((w) => w.address);

console.log(`watch benchmark: ${BLOCKS} blocks x ${TX_PER_BLOCK} token transfers on anvil ${chain.url}`);
let started = performance.now();
const sender = chain.funder.address;
await chain.mintToken('USDT', sender, 10n ** 30n);
await chain.provider.send('evm_setAutomine', [false]);
const firstBlock = Number(await chain.provider.getBlockNumber()) + 1;
let sent = 0;
for (let b = 0; b < BLOCKS; b++) {
  const sends: Promise<unknown>[] = [];
  for (let k = 0; k < TX_PER_BLOCK; k++) {
    const to = k === 0 ? ours[b % ours.length]! : getAddress('0x' + randomBytes(20).toString('hex'));
    const data = ERC20.encodeFunctionData('transfer', [to, BigInt(1_000 + b)]);
    // anvil signs for its own unlocked accounts and hands out the nonces.
    sends.push(chain.provider.send('eth_sendTransaction', [{ from: sender, to: chain.tokens.USDT, data, gas: '0x186a0' }]));
    sent++;
  }
  await Promise.all(sends);
  await chain.provider.send('evm_mine', []);
  if (b % 250 === 0 && b > 0) process.stdout.write(`  mined ${b} blocks\r`);
}
await chain.provider.send('evm_setAutomine', [true]);
// Bury the last transfers under the confirmation depth so both scans credit all of them.
await chain.mine(DEPTH);
console.log(`mined ${BLOCKS} blocks with ${sent} token transfers in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// Two rounds, alternating, each scan on a fresh database; the faster of each pair counts (the machine is shared).
const speeds = { few: [] as number[], many: [] as number[] };
let fewCredited = -1;
let many: Engine | null = null;
for (let round = 0; round < 2; round++) {
  const small = round === 0 ? few : await engineWithWallets();
  const fewScan = await scanAll(small, firstBlock);
  speeds.few.push(fewScan.blocks / fewScan.seconds);
  console.log(`${FEW} addresses: ${fewScan.blocks} blocks in ${fewScan.seconds.toFixed(2)} s = ${(fewScan.blocks / fewScan.seconds).toFixed(0)} blocks/s, ${fewScan.credited} deposits credited`);
  fewCredited = fewScan.credited;
  await small.close();

  await many?.close();
  many = await engineWithWallets();
  started = performance.now();
  await addSyntheticWallets(many, MANY - FEW);
  console.log(`added ${(MANY - FEW).toLocaleString()} more deposit addresses in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const manyScan = await scanAll(many, firstBlock);
  speeds.many.push(manyScan.blocks / manyScan.seconds);
  console.log(`${MANY.toLocaleString()} addresses: ${manyScan.blocks} blocks in ${manyScan.seconds.toFixed(2)} s = ${(manyScan.blocks / manyScan.seconds).toFixed(0)} blocks/s, ${manyScan.credited} deposits credited`);
  if (manyScan.credited !== fewCredited) throw new Error(`the two scans credited ${fewCredited} and ${manyScan.credited} deposits`);
}
const fewSpeed = Math.max(...speeds.few);
const manySpeed = Math.max(...speeds.many);
const ratio = manySpeed / fewSpeed;
console.log(`scan ratio (${MANY.toLocaleString()} / ${FEW} addresses, best of ${speeds.few.length} each): ${ratio.toFixed(3)} (target >= 0.8)`);

// Confirmation block -> credit, with the watcher loop running as the doors start it.
const delays: number[] = [];
const watched = many!;
watched.services.watch.start();
for (let i = 0; i < 5; i++) {
  const credited = new Promise<number>((resolve) => {
    const stop = watched.events.subscribe((event) => {
      if (event.type === 'deposit.confirmed') {
        stop();
        resolve(performance.now());
      }
    });
  });
  const hash = (await chain.provider.send('eth_sendTransaction', [
    { from: sender, to: chain.tokens.USDT, data: ERC20.encodeFunctionData('transfer', [ours[i]!, 5_000_000n]), gas: '0x186a0' },
  ])) as string;
  // Polled by hand: anvil may answer the send before the block is sealed, and this must not hang the run.
  for (let tries = 0; !(await chain.provider.send('eth_getTransactionReceipt', [hash])); tries++) {
    if (tries > 500) throw new Error(`transfer ${hash} was not mined`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await chain.mine(DEPTH - 1);
  const confirmedAt = performance.now();
  const creditedAt = await Promise.race([credited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
  if (creditedAt === null) {
    const cursor = await watched.services.watch.watcher('polygon').cursor();
    throw new Error(`no credit within 30 s (watcher cursor ${cursor}, chain head ${await chain.provider.getBlockNumber()})`);
  }
  delays.push(creditedAt - confirmedAt);
  await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
}
await watched.services.watch.stop();
delays.sort((a, b) => a - b);
const delay = delays[Math.floor(delays.length / 2)]!;
console.log(`credit delay from the confirmation block (median of ${delays.length}, poll interval 1 s): ${delay.toFixed(0)} ms [${delays.map((d) => d.toFixed(0)).join(', ')}]`);

await watched.close();
await chain.stop();
for (const home of homes) rmSync(home, { recursive: true, force: true });
console.log(
  JSON.stringify({
    blocks_per_s_100: Math.round(fewSpeed),
    blocks_per_s_100k: Math.round(manySpeed),
    scan_ratio: Number(ratio.toFixed(3)),
    credit_delay_ms: Math.round(delay),
  }),
);
