import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUnlockedEngine, type TestEngine } from '@test/engine';

/** An export the workspace wrote leaves as a download (audited); nothing else on the disk can be read that way. */
let t: TestEngine;
beforeAll(async () => {
  t = await startUnlockedEngine();
});
afterAll(async () => {
  await t?.dispose();
});

describe('audit:readExport', () => {
  it('hands the auditor the bytes of a CSV this workspace exported, and audits the download', async () => {
    const auditor = await t.signInAs('auditor');
    const exported = await auditor.call('audit:exportCsv', { kind: 'balances' });
    if (!exported.ok) throw new Error(exported.error.message);
    const file = (exported.data as { file: string; bytes: number }).file;
    const download = await auditor.call('audit:readExport', { file });
    expect(download).toMatchObject({ ok: true, data: { name: expect.stringMatching(/^treasury-balances-.*\.csv$/), mimeType: 'text/csv', bytes: (exported.data as { bytes: number }).bytes } });
    const text = Buffer.from((download as { data: { base64: string } }).data.base64, 'base64').toString('utf8');
    expect(text.split('\n')[0]).toContain('network');
    const records = await t.engine.services.audit.list({ limit: 1 });
    expect(records[0]).toMatchObject({ action: 'audit.export_downloaded' });
    // Locating it for "show in folder" reads no content and writes no record.
    expect(await auditor.call('audit:readExport', { file, content: false })).toMatchObject({ ok: true, data: { base64: null } });
  });

  it.each([
    ['a file outside the exports folder', (home: string) => join(home, 'workspaces.json')],
    ['a path climbing out of it', (home: string) => join(home, 'exports', '..', 'workspaces.json')],
    ['a file that does not exist', (home: string) => join(home, 'exports', 'nothing-here.csv')],
  ])('refuses %s', async (_case, path) => {
    writeFileSync(join(t.home, 'workspaces.json'), '{"secret":true}', { flag: 'a' });
    const auditor = await t.signInAs('auditor');
    expect(await auditor.call('audit:readExport', { file: path(t.home) })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('is the auditor’s, like the exports', async () => {
    const officer = await t.signInAs('officer');
    expect(await officer.call('audit:readExport', { file: join(t.home, 'exports', 'x.csv') })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
