import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '@test/backends';
import { startTestEngine } from '@test/engine';

describe.each(BACKENDS)('which engines on the database are running (%s)', (backend) => {
  it('knows itself alive, and another engine alive exactly while it runs on PostgreSQL', async () => {
    const first = await startTestEngine({ backend });
    const home = mkdtempSync(join(tmpdir(), 'treasury-presence-'));
    const second = await startTestEngine({ home, database: first.database });
    const { presence } = first.engine.services;
    const other = second.engine.services.presence.id;
    try {
      expect(await presence.isAlive(presence.id)).toBe(true);
      // SQLite leases are in-process: one process owns a workstation's file, so another engine counts as gone.
      expect(await presence.isAlive(other)).toBe(backend === 'postgres');
      await second.dispose({ keepData: true });
      expect(await presence.isAlive(other)).toBe(false);
      expect(await presence.isAlive('never-ran')).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
      await first.dispose();
    }
  });
});
