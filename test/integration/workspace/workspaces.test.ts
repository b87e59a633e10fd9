import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '@engine/engine';
import { migrateLegacyFolder, readFolderState, workspaceHome } from '@engine/workspace/data-folder';
import { WorkspaceSwitcher } from '@engine/workspace/workspace-switcher';
import type { NetworkProfile } from '@shared/domain/chains';
import { createPostgresDatabase, testPostgresUrl } from '@test/backends';
import { TEST_PASSPHRASE, TEST_SCRYPT } from '@test/engine';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'treasury-workspaces-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

function openSwitcher(root: string, network?: NetworkProfile): WorkspaceSwitcher {
  const switcher = new WorkspaceSwitcher(
    (net, home, door) => createEngine({ home, network: net, workspace: door, host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0, rampExpiryIntervalMs: 0 }),
    { root, ...(network ? { network } : {}) },
  );
  cleanups.push(() => switcher.close());
  return switcher;
}

/** A window's door onto the switcher: keeps the operator session its sign-in answered, as main does. */
function windowOn(switcher: WorkspaceSwitcher) {
  let session: string | undefined;
  return {
    async call<T = unknown>(channel: string, payload: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string; details?: Record<string, unknown> } }> {
      const result = (await switcher.api.call(channel, payload, { door: 'test', session })) as { ok: boolean; data?: T & { session?: { token?: string } }; error?: { code: string; message: string } };
      const token = result.ok ? result.data?.session?.token : undefined;
      if (token) session = token;
      return result;
    },
    async ok<T = unknown>(channel: string, payload: unknown): Promise<T> {
      const result = await this.call<T>(channel, payload);
      if (!result.ok) throw new Error(`${channel}: ${result.error?.code} ${result.error?.message}`);
      return result.data as T;
    },
    forget() {
      session = undefined;
    },
  };
}

async function switched(switcher: WorkspaceSwitcher, network: NetworkProfile): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = switcher.events.subscribe((event) => {
      if (event.type === 'workspace.switched' && event.network === network) {
        stop();
        resolve();
      }
    });
  });
}

describe('one workspace per network', () => {
  it('credits made on devnet are not visible on mainnet, and are all there again back on devnet', async () => {
    const root = freshRoot();
    const switcher = openSwitcher(root);
    await switcher.start();
    const window = windowOn(switcher);
    await window.ok('system:setup', { passphrase: TEST_PASSPHRASE });
    const wallet = await window.ok<{ id: string }>('wallets:create', { chain: 'polygon', label: 'Carol on devnet' });
    const credit = await window.ok<{ id: string }>('transfers:companyCredit', { idempotencyKey: 'devnet-credit-1', walletId: wallet.id, assetId: 'polygon:USDT', amount: '5000000', reason: 'test credit' });
    // Four eyes: an approver in a window of their own books it.
    await window.ok('system:operators:create', { name: 'abe', role: 'approver', passphrase: TEST_PASSPHRASE });
    const approver = windowOn(switcher);
    await approver.ok('system:signIn', { operator: 'abe', passphrase: TEST_PASSPHRASE });
    await approver.ok('transfers:approveCompanyCredit', { creditId: credit.id });
    await approver.ok('system:signOut', {});
    const devnetFingerprint = (await window.ok<{ custody: { fingerprint: string } }>('system:status', {})).custody.fingerprint;

    // Switching needs the network typed again, and an admin.
    const mismatch = await window.call('system:switchNetwork', { network: 'mainnet', confirm: 'devnet' });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'validation' } });
    const arrived = switched(switcher, 'mainnet');
    expect(await window.ok('system:switchNetwork', { network: 'mainnet', confirm: 'Mainnet' })).toEqual({ network: 'mainnet', switching: true });
    await arrived;

    // Mainnet is its own first start: no operator, no seed, nothing of devnet's.
    window.forget();
    expect(await window.ok('system:session', {})).toMatchObject({ setupRequired: true });
    const mainnetStatus = await window.ok<{ profile: string; custody: { initialized: boolean } }>('system:status', {});
    expect(mainnetStatus).toMatchObject({ profile: 'mainnet', custody: { initialized: false } });
    await window.ok('system:setup', { passphrase: TEST_PASSPHRASE });
    const mainnet = switcher.current;
    expect((await window.ok<{ items: unknown[] }>('wallets:list', {})).items).toEqual([]);
    expect((await window.ok<{ items: unknown[] }>('clients:list', {})).items).toEqual([]);
    for (const table of ['ledger_transfers', 'ledger_accounts', 'wallets', 'sweeps', 'deposits', 'withdrawals'] as const) {
      expect(await mainnet.database.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }
    expect(mainnet.database.location).toBe(join(workspaceHome(root, 'mainnet'), 'treasury.sqlite'));
    const mainnetFingerprint = (await window.ok<{ custody: { fingerprint: string } }>('system:status', {})).custody.fingerprint;
    expect(mainnetFingerprint).not.toBe(devnetFingerprint);
    expect(await window.ok('audit:integrity', {})).toMatchObject({ ok: true });

    const back = switched(switcher, 'devnet');
    await window.ok('system:switchNetwork', { network: 'devnet', confirm: 'devnet' });
    await back;
    window.forget();
    // Two operators now (the approver who booked the credit): sign-in names who.
    await window.ok('system:unlock', { operator: 'admin', passphrase: TEST_PASSPHRASE });
    const wallets = await window.ok<{ items: Array<{ id: string; label: string }> }>('wallets:list', {});
    expect(wallets.items.map((w) => w.label)).toEqual(['Carol on devnet']);
    const balances = await window.ok<Array<{ assetId: string; posted: string }>>('wallets:get', { walletId: wallet.id });
    expect(JSON.stringify(balances)).toContain('5000000');
    expect(await window.ok('audit:integrity', {})).toMatchObject({ ok: true });
    expect(readFolderState(root)?.current).toBe('devnet');
  });

  it('a process without a workspace door refuses to switch and says how to open the other network', async () => {
    const home = freshRoot();
    const engine = await createEngine({ home, host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    cleanups.push(() => engine.close());
    const result = await engine.api.call('system:switchNetwork', { network: 'mainnet', confirm: 'mainnet' }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(result)).toContain('TREASURY_PROFILE=mainnet');
  });

  it('a database refuses to open under another network than the one it was made for (SQLite)', async () => {
    const home = freshRoot();
    const first = await createEngine({ home, network: 'mainnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await first.close();
    await expect(createEngine({ home, network: 'testnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 })).rejects.toMatchObject({
      code: 'wrong_network',
      message: expect.stringContaining('belongs to the mainnet workspace'),
    });
    // Refused without a trace: the file still opens as mainnet.
    const again = await createEngine({ home, network: 'mainnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await again.close();
  });

  it.runIf(testPostgresUrl() !== undefined)('a mainnet PostgreSQL database refuses to open as testnet', async () => {
    const pg = await createPostgresDatabase();
    cleanups.push(() => pg.drop());
    const home = freshRoot();
    const database = { dialect: 'postgres' as const, url: pg.url };
    const first = await createEngine({ home, database, network: 'mainnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await first.close();
    await expect(createEngine({ home, database, network: 'testnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 })).rejects.toMatchObject({
      code: 'wrong_network',
    });
  });
});

describe('data folders from before workspaces', () => {
  /** A data folder as the app left it before workspaces: its database directly in the folder. */
  async function legacyFolder(profiles: NetworkProfile[]): Promise<string> {
    const root = freshRoot();
    const engine = await createEngine({ home: join(root, 'staging'), network: profiles[0]!, host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await engine.api.call('system:setup', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
    await engine.close();
    // Undo what workspaces add, and write the settings and audit trail an old profile switch left.
    const sqlite = new BetterSqlite3(join(root, 'staging', 'treasury.sqlite'));
    sqlite.prepare(`delete from settings where key = 'workspace'`).run();
    sqlite.exec('drop trigger if exists audit_log_no_delete');
    for (const profile of profiles.slice(1)) {
      sqlite.prepare(`insert into audit_log (seq, at, operator, action, entity_type, entity_id, change, prev_hash, hash)
        select max(seq) + 1, '2026-11-30T00:00:00.000Z', 'admin', 'settings.changed', 'settings', 'configuration', ?, '', '' from audit_log`).run(JSON.stringify({ profile }));
    }
    const last = profiles[profiles.length - 1]!;
    sqlite
      .prepare(`insert into settings (key, value, updated_at) values ('configuration', ?, '2026-11-30') on conflict (key) do update set value = excluded.value`)
      .run(JSON.stringify({ profile: last, overrides: {} }));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
    for (const entry of ['treasury.sqlite', 'seed-vault.json']) rmSync(join(root, entry), { force: true });
    const { renameSync } = await import('node:fs');
    for (const entry of ['treasury.sqlite', 'seed-vault.json']) renameSync(join(root, 'staging', entry), join(root, entry));
    rmSync(join(root, 'staging'), { recursive: true, force: true });
    return root;
  }

  it('a folder only ever used on testnet becomes the testnet workspace', async () => {
    const root = await legacyFolder(['testnet']);
    expect(await migrateLegacyFolder(root, 'devnet')).toMatchObject({ network: 'testnet' });
    expect(existsSync(join(root, 'testnet', 'treasury.sqlite'))).toBe(true);
    expect(existsSync(join(root, 'testnet', 'seed-vault.json'))).toBe(true);
    expect(existsSync(join(root, 'treasury.sqlite'))).toBe(false);
    const engine = await createEngine({ home: join(root, 'testnet'), network: 'testnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await engine.close();
  });

  it('a folder used under devnet and then mainnet opens as devnet only, and mainnet refuses it with the way to a clean one', async () => {
    const root = await legacyFolder(['devnet', 'mainnet']);
    // Put where mainnet would look, the database is refused with the message.
    mkdirSync(join(root, 'probe'));
    const { copyFileSync } = await import('node:fs');
    copyFileSync(join(root, 'treasury.sqlite'), join(root, 'probe', 'treasury.sqlite'));
    const refusal = createEngine({ home: join(root, 'probe'), network: 'mainnet', host: 'headless', scrypt: TEST_SCRYPT, log: () => {}, withdrawalTrackIntervalMs: 0 });
    await expect(refusal).rejects.toMatchObject({ code: 'wrong_network', message: expect.stringContaining('start a clean mainnet workspace') });
    rmSync(join(root, 'probe'), { recursive: true });

    const switcher = openSwitcher(root);
    const engine = await switcher.start();
    expect(switcher.currentNetwork).toBe('devnet');
    expect(engine.database.location).toBe(join(root, 'devnet', 'treasury.sqlite'));
    expect(switcher.view().notice).toContain('mainnet workspace starts clean');
    expect(await engine.services.custody.status()).toMatchObject({ initialized: true });
  });
});
