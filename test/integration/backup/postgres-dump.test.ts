import { creditWallet } from '@test/controls';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { WalletView } from '@shared/domain/wallets';
import { createEngine, type Engine } from '@engine/engine';
import { createPostgresDatabase, testPostgresUrl } from '@test/backends';
import { callOk, startUnlockedEngine, TEST_SCRYPT, type TestEngine } from '@test/engine';

const run = promisify(execFile);

/** pg_dump / pg_restore: on PATH (Debian's wrapper), else the newest under /usr/lib/postgresql. */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  for (const version of ['17', '16', '15']) {
    const path = `/usr/lib/postgresql/${version}/bin/${name}`;
    if (existsSync(path)) return path;
  }
  return name;
}

/**
 * The team's logical backup: pg_dump of the live shared database while a workstation keeps writing, restored
 * with pg_restore into an empty database, then opened by an engine and checked with the same integrity check
 * the auditors run (audit chain from genesis, ledger against its journal, every balance from its entries). The
 * dump is one consistent snapshot: its audit head is a record of the live chain, with the same hash.
 */
describe.skipIf(!testPostgresUrl())('PostgreSQL: pg_dump of a live database, restored and verified', () => {
  let live: TestEngine;
  let restored: Engine | null = null;
  let target: Awaited<ReturnType<typeof createPostgresDatabase>> | null = null;
  const folder = mkdtempSync(join(tmpdir(), 'treasury-pgdump-'));
  afterAll(async () => {
    await restored?.close();
    await live?.dispose();
    await target?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('restores into a fresh database that passes the integrity check and matches the live chain', async () => {
    live = await startUnlockedEngine({ backend: 'postgres', withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });
    const url = (live.database as { url: string }).url;
    const wallets: WalletView[] = [];
    for (let i = 0; i < 3; i++) wallets.push(await callOk<WalletView>(live.engine, 'wallets:create', { chain: 'polygon', label: `client ${i}` }));
    const credit = (i: number) =>
      creditWallet(live, { idempotencyKey: `pgdump-credit-${i}`, walletId: wallets[i % 3]!.id, assetId: 'polygon:USDT', amount: String(1_000_000 + i), reason: 'test balance' });
    for (let i = 0; i < 20; i++) await credit(i);

    // Writers keep going while pg_dump takes its snapshot.
    let writing = true;
    let written = 20;
    const writer = (async () => {
      while (writing) await credit(written++);
    })();
    const dump = join(folder, 'treasury.dump');
    await run(pgTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, url]);
    writing = false;
    await writer;

    target = await createPostgresDatabase();
    await run(pgTool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.url}`, dump]);
    restored = await createEngine({ home: folder, network: 'devnet', database: { dialect: 'postgres', url: target.url, poolSize: 2 }, host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 });

    const integrity = await restored.services.auditTrail.integrity();
    expect(integrity.ok, JSON.stringify(integrity.findings?.slice?.(0, 3))).toBe(true);
    const head = await restored.services.audit.head();
    const liveAtHead = await live.engine.database.db.selectFrom('audit_log').select('hash').where('seq', '=', head.seq).executeTakeFirstOrThrow();
    expect(head.hash).toBe(liveAtHead.hash);
    // Transfers and balances in the dump are those the chain up to its head journaled.
    const transfers = await restored.database.db.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const journaled = await restored.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', 'like', 'ledger.%').executeTakeFirstOrThrow();
    expect(Number(transfers.n)).toBe(Number(journaled.n));
    expect(Number(transfers.n)).toBeGreaterThanOrEqual(20);
    // The live database went on after the dump: what the dump misses is only what came later.
    expect(written).toBeGreaterThan(20);
  });

  it('a workstation on the server does not make backups of its own: the dashboard says the server keeps them', async () => {
    expect(await callOk<{ health: string }>(live.engine, 'backups:status', {})).toMatchObject({ health: 'server' });
    expect(await live.engine.api.call('backups:run', {}, { door: 'test' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('WAL archive') } });
  });
});
