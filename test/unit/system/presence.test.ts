import { describe, expect, it } from 'vitest';
import { BACKENDS } from '@test/backends';
import { startSecondWorkstation, startTestEngine } from '@test/engine';

describe.each(BACKENDS)('which engines on the database are running (%s)', (backend) => {
  it('knows itself alive, and another engine alive exactly while it runs on PostgreSQL', async () => {
    const first = await startTestEngine({ backend });
    const second = await startSecondWorkstation(first);
    const { presence } = first.engine.services;
    const other = second.engine.services.presence.id;
    try {
      expect(await presence.isAlive(presence.id)).toBe(true);
      // SQLite leases are in-process: one process owns a workstation's file, so another engine counts as gone.
      expect(await presence.isAlive(other)).toBe(backend === 'postgres');
      await second.dispose();
      expect(await presence.isAlive(other)).toBe(false);
      expect(await presence.isAlive('never-ran')).toBe(false);
    } finally {
      await first.dispose();
    }
  });
});
