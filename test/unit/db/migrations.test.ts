import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrations } from '@engine/db/migrations';
import { startTestEngine } from '@test/engine';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

it('applies every migration once and keeps data across a reopen', async () => {
  const home = mkdtempSync(join(tmpdir(), 'treasury-reopen-'));
  homes.push(home);
  const first = await startTestEngine({ home, network: 'testnet' });
  expect(first.engine.database.appliedMigrations).toEqual(Object.keys(migrations).sort());
  await first.engine.api.call('configuration:update', { chain: 'tron', confirmations: 21 }, { door: 'test' });
  await first.engine.close();

  const second = await startTestEngine({ home, network: 'testnet' });
  const rows = second.engine.database.sqlite!.prepare('select name from kysely_migration').all() as Array<{ name: string }>;
  expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
  const config = await second.engine.api.call('configuration:get', {}, { door: 'test' });
  expect(config).toMatchObject({ ok: true, data: { profile: 'testnet', chains: { tron: { confirmations: 21 } } } });
  expect(second.engine.database.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(second.engine.database.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
  await second.engine.close();
});
