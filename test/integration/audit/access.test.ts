import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUnlockedEngine, type TestEngine } from '@test/engine';

/** Reading the trail is for every role; what leaves the workstation (bundle, CSV, PDF) is the auditor's. */
let t: TestEngine;
beforeAll(async () => {
  t = await startUnlockedEngine();
});
afterAll(async () => {
  await t?.dispose();
});

describe('who may use the audit channels', () => {
  it('an officer reads the trail and checks it, but cannot export', async () => {
    const officer = await t.signInAs('officer');
    expect(await officer.call('audit:integrity', {})).toMatchObject({ ok: true, data: { ok: true } });
    expect(await officer.call('audit:mode', {})).toEqual({ ok: true, data: { mode: 'live' } });
    for (const [channel, payload] of [['audit:exportBundle', {}], ['audit:exportCsv', { kind: 'transfers' }], ['audit:exportReport', {}]] as const) {
      expect(await officer.call(channel, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('an auditor exports balances as CSV', async () => {
    const auditor = await t.signInAs('auditor');
    const result = await auditor.call('audit:exportCsv', { kind: 'balances' });
    expect(result).toMatchObject({ ok: true, data: { file: expect.stringMatching(/exports\/treasury-balances-.*\.csv$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const records = await t.engine.services.audit.list({ limit: 1 });
    expect(records[0]).toMatchObject({ action: 'audit.balances_csv_exported', operator: expect.any(String) });
  });
});
