import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { staticMigrationProvider } from '@engine/db/migrations';

let db: Kysely<any> | null = null;
afterEach(async () => {
  await db?.destroy();
  db = null;
});

it('moves the alerts of chain_alerts into the one alerts table, open, each its own subject, and keeps one standing alert per cause', async () => {
  db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  expect((await migrator.migrateTo('2026-12-03_0017_withdrawal_fee_paid')).error).toBeUndefined();
  await db.insertInto('chain_alerts').values({ id: 'gas-tank-low:devnet:polygon:2026-12-01', profile: 'devnet', chain: 'polygon', kind: 'gas_tank_low', message: 'The gas tank holds 2 POL.', details: '{"balance":"2"}', created_at: '2026-12-01T10:00:00.000Z' }).execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect(await db.selectFrom('alerts').selectAll().execute()).toEqual([
    {
      id: 'gas-tank-low:devnet:polygon:2026-12-01',
      profile: 'devnet',
      kind: 'gas_tank_low',
      chain: 'polygon',
      subject: 'gas-tank-low:devnet:polygon:2026-12-01',
      message: 'The gas tank holds 2 POL.',
      details: '{"balance":"2"}',
      state: 'open',
      count: 1,
      created_at: '2026-12-01T10:00:00.000Z',
      last_raised_at: '2026-12-01T10:00:00.000Z',
      resolved_at: null,
      acknowledged_by: null,
      acknowledged_at: null,
    },
  ]);
  const standing = { profile: 'devnet', kind: 'gas_tank_low', chain: 'polygon', subject: 'gas_tank:polygon', message: 'low', details: '{}', state: 'open', created_at: 'now', last_raised_at: 'now' };
  await db.insertInto('alerts').values({ ...standing, id: 'a' }).execute();
  await expect(db.insertInto('alerts').values({ ...standing, id: 'b' }).execute()).rejects.toThrow(/UNIQUE/);
  // Once resolved, the same cause may stand again.
  await db.updateTable('alerts').set({ resolved_at: 'later' }).where('id', '=', 'a').execute();
  await db.insertInto('alerts').values({ ...standing, id: 'b' }).execute();
  await expect(db.insertInto('alerts').values({ ...standing, id: 'c', state: 'closed' }).execute()).rejects.toThrow(/CHECK/);
});
