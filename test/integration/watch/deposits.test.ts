import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@engine/engine';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { Chain } from '@shared/domain/chains';
import type { ChainAlertView, DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { WalletView } from '@shared/domain/wallets';
import type { EngineEvent } from '@shared/ipc/events';
import type { DatabaseConfig } from '@engine/db/open';
import { callOk, startTestEngine, startUnlockedEngine, type TestEngine } from '@test/engine';
import { BACKENDS, type Backend } from '@test/backends';
import { startDevChain, type DevChain } from './devnet-chain';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;

/** A fresh engine on `backend`, or (with `reopen`) the same data folder and database after a restart. */
async function openEngine(dev: DevChain, backend: Backend, reopen?: { home: string; database: DatabaseConfig }): Promise<TestEngine> {
  const options = { watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } };
  if (reopen) return startTestEngine({ ...reopen, ...options });
  const t = await startUnlockedEngine({ backend, ...options });
  await callOk(t.engine, 'configuration:update', { chain: dev.chain, rpcUrl: dev.url, confirmations: DEPTH });
  await t.engine.services.holding.register({ chain: dev.chain, address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
  return t;
}

async function deposits(engine: Engine, walletId?: string): Promise<DepositView[]> {
  return (await callOk<Page<DepositView>>(engine, 'wallets:deposits', walletId ? { walletId } : {})).items;
}

async function clientBalance(engine: Engine, walletId: string, assetId: string): Promise<bigint> {
  return BigInt((await engine.services.ledger.balance({ kind: 'client_wallet', assetId, walletId })).posted);
}

const cases = BACKENDS.flatMap((backend) => (['polygon', 'bsc', 'tron'] as Chain[]).map((chain) => [chain, backend] as [Chain, Backend]));

describe.each(cases)('deposit watcher on %s (%s)', (chain, backend) => {
  let dev: DevChain;
  let t: TestEngine;
  let wallet: WalletView;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    dev = await startDevChain(chain);
    t = await openEngine(dev, backend);
    t.engine.events.subscribe((e) => events.push(e));
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain, label: 'client A' });
    await t.engine.services.watch.tick(chain);
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('sees a native and a token deposit, credits each once after the confirmation depth', async () => {
    const { watch } = t.engine.services;
    await dev.sendNative(wallet.address, 5n * dev.coin);
    await dev.sendToken(wallet.address, 250n * dev.unit);
    await watch.tick(chain);

    let found = await deposits(t.engine, wallet.id);
    expect(found.map((d) => [d.assetId, d.amount, d.state]).sort()).toEqual(
      [
        [dev.native, (5n * dev.coin).toString(), 'seen'],
        [dev.token, (250n * dev.unit).toString(), 'seen'],
      ].sort(),
    );
    // Seen is shown as incoming, not spendable.
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe(0n);
    expect(events.filter((e) => e.type === 'deposit.seen')).toHaveLength(2);

    await dev.mine(DEPTH);
    await watch.tick(chain);
    found = await deposits(t.engine, wallet.id);
    expect(found.every((d) => d.state === 'confirmed')).toBe(true);
    expect(await clientBalance(t.engine, wallet.id, dev.native)).toBe(5n * dev.coin);
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe(250n * dev.unit);
    expect(events.filter((e) => e.type === 'deposit.confirmed')).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'balance.changed', walletId: wallet.id, assetId: dev.token, posted: (250n * dev.unit).toString() }));

    // Scanning the same blocks again (cursor rewound, as after a crash before it was saved) credits nothing twice.
    await t.engine.database.db.updateTable('watch_cursors').set({ next_block: 1 }).where('chain', '=', chain).execute();
    await watch.tick(chain);
    await dev.mine(DEPTH);
    await watch.tick(chain);
    expect(await deposits(t.engine, wallet.id)).toHaveLength(2);
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe(250n * dev.unit);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('credits an outside payment into the holding address to the company reserve, not a client', async () => {
    await dev.sendNative(dev.holdingAddress, 7n * dev.coin);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    const topUp = (await deposits(t.engine)).find((d) => d.kind === 'reserve');
    expect(topUp).toMatchObject({ walletId: null, assetId: dev.native, amount: (7n * dev.coin).toString(), state: 'confirmed' });
    const { ledger } = t.engine.services;
    expect((await ledger.balance({ kind: 'holding', assetId: dev.native })).posted).toBe((7n * dev.coin).toString());
    expect((await ledger.balance({ kind: 'company_reserve', assetId: dev.native })).posted).toBe((7n * dev.coin).toString());
  });

  it('reverses a credit whose block a reorg orphaned, and alerts the officer', async () => {
    const { watch } = t.engine.services;
    const mark = await dev.markFork();
    await dev.sendToken(wallet.address, 40n * dev.unit);
    await dev.mine(DEPTH);
    await watch.tick(chain);
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe(290n * dev.unit);

    // A different history, longer than the one it replaces, without the deposit.
    await dev.forkFrom(mark, DEPTH + 3);
    await watch.tick(chain);
    await watch.tick(chain);
    const orphaned = (await deposits(t.engine, wallet.id)).filter((d) => d.state === 'orphaned');
    expect(orphaned.map((d) => d.amount)).toEqual([(40n * dev.unit).toString()]);
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe(250n * dev.unit);
    const reversal = (await t.engine.services.ledger.history({ kind: 'client_wallet', assetId: dev.token, walletId: wallet.id }, undefined, 10)).items[0];
    expect(reversal).toMatchObject({ code: 'deposit_reversal', direction: 'out', amount: (40n * dev.unit).toString() });
    const alerts = await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain });
    expect(alerts[0]).toMatchObject({ kind: 'deep_reorg', chain });
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('a reorg inside the unconfirmed window drops a seen deposit without touching the ledger', async () => {
    const { watch } = t.engine.services;
    const before = await t.engine.database.db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const mark = await dev.markFork();
    await dev.sendToken(wallet.address, 3n * dev.unit);
    await watch.tick(chain);
    expect((await deposits(t.engine, wallet.id)).find((d) => d.amount === (3n * dev.unit).toString())?.state).toBe('seen');
    await dev.forkFrom(mark, 2);
    await watch.tick(chain);
    await dev.mine(DEPTH);
    await watch.tick(chain);
    expect((await deposits(t.engine, wallet.id)).find((d) => d.amount === (3n * dev.unit).toString())?.state).toBe('orphaned');
    const after = await t.engine.database.db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it.skipIf(chain === 'tron')('money sent to a wallet of the other EVM chain is not credited here: the officer gets one alert', async () => {
    const other = chain === 'polygon' ? 'bsc' : 'polygon';
    const elsewhere = await callOk<WalletView>(t.engine, 'wallets:create', { chain: other, label: 'other chain' });
    await dev.sendToken(elsewhere.address, 9n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);
    await t.engine.database.db.updateTable('watch_cursors').set({ next_block: 1 }).where('chain', '=', chain).execute();
    await t.engine.services.watch.tick(chain);
    expect(await deposits(t.engine, elsewhere.id)).toEqual([]);
    const alerts = (await callOk<ChainAlertView[]>(t.engine, 'sweeps:alerts', { chain })).filter((a) => a.kind === 'wrong_chain_deposit');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ walletId: elsewhere.id, assetId: dev.token, amount: (9n * dev.unit).toString() });
  });

  it('an engine closed between the scan and the credit resumes from its cursor and credits exactly once', async () => {
    const reopen = { home: t.home, database: t.database };
    await dev.sendToken(wallet.address, 11n * dev.unit);
    await dev.mine(DEPTH);
    await t.engine.services.watch.watcher(chain).scan();
    expect((await deposits(t.engine, wallet.id)).find((d) => d.amount === (11n * dev.unit).toString())?.state).toBe('seen');
    await t.engine.close();

    // A second deposit lands while the engine is down; a third scan is cut off by closing mid-flight.
    await dev.sendToken(wallet.address, 13n * dev.unit);
    await dev.mine(DEPTH);
    t = await openEngine(dev, backend, reopen);
    const inFlight = t.engine.services.watch.watcher(chain).scan().catch(() => 'interrupted');
    await t.engine.close();
    await inFlight;

    t = await openEngine(dev, backend, reopen);
    await t.engine.services.watch.tick(chain);
    await t.engine.services.watch.tick(chain);
    const mine = (await deposits(t.engine, wallet.id)).filter((d) => ['11', '13'].some((n) => d.amount === (BigInt(n) * dev.unit).toString()));
    expect(mine.map((d) => d.state)).toEqual(['confirmed', 'confirmed']);
    expect(await clientBalance(t.engine, wallet.id, dev.token)).toBe((250n + 11n + 13n) * dev.unit);
    const credits = await t.engine.database.db.selectFrom('ledger_transfers').select('idempotency_key').where('code', '=', 'deposit').execute();
    expect(new Set(credits.map((c) => c.idempotency_key)).size).toBe(credits.length);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});
