import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView } from '@shared/domain/clients';
import type { DenyListVersionView } from '@shared/domain/screening';
import type { WalletView } from '@shared/domain/wallets';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
import { applyPolicy, checker, refusedAndAudited } from '@test/controls';
import { callOk, snapshotRows } from '@test/engine';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * Destination screening on the Polygon devnet: the officer imports a deny list (each import a version with
 * its hash, count, who and when, audited; a file with one bad line changes nothing), a listed destination
 * is refused for a withdrawal and for the address book with an alert naming the version, every passing
 * withdrawal records the version it was screened against, and a client whose risk level the policy keeps
 * to whitelisted destinations pays nothing else.
 */
const USDT = 1_000_000n;
const LISTED = '0x71C7656EC7ab88b098defB751B7401B5f6d8976F';
const CLEAN = DESTINATION;
let bench: ControlsBench;
let wallet: WalletView;
let client: ClientView;
let keys = 0;

const list = (...rows: string[]) => ['chain,address,source', ...rows].join('\n');
const withdraw = (destination: string) => ({ idempotencyKey: `screening-${++keys}`, walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), destination });
const importList = (csv: string, fileName = 'sdn.csv') => callOk<DenyListVersionView>(bench.t.engine, 'policy:denyListImport', { fileName, csv }, bench.officer);

beforeAll(async () => {
  bench = await startControlsBench();
  client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  wallet = await fundedWallet(bench, 'screened', 100n * USDT, client.id);
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

describe('deny list imports', () => {
  it('a file with bad lines is refused line by line and changes nothing', async () => {
    const before = await snapshotRows(bench.t.engine);
    const result = await bench.officer.call('policy:denyListImport', { fileName: 'bad.csv', csv: list(`bsc,${LISTED},OFAC`, 'polygon,0x1234,OFAC', `solana,${LISTED},OFAC`) });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', details: { rows: [{ row: 3 }, { row: 4 }] } } });
    expect(await snapshotRows(bench.t.engine)).toBe(before);
  });

  it('before any import a withdrawal passes and records that no list was in force', async () => {
    const passed = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(LISTED), bench.officer);
    expect(passed).toMatchObject({ screeningListVersion: null, screenedAt: expect.any(String) });
    await callOk(bench.t.engine, 'withdrawals:cancel', { withdrawalId: passed.id, reason: 'test over' }, bench.officer);
  });

  it('each import is a version with its hash, count, who and when, audited', async () => {
    const csv = list(`bsc,${LISTED.toLowerCase()},OFAC SDN 2026-11`, 'tron,TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy,Internal');
    const v1 = await importList(csv);
    expect(v1).toMatchObject({ version: 1, fileName: 'sdn.csv', entryCount: 2, importedBy: bench.officer.name });
    expect(v1.sha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await bench.t.engine.database.db.selectFrom('audit_log').select(['operator', 'change']).where('action', '=', 'deny_list.imported').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.operator).toBe(bench.officer.name);
    expect(JSON.parse(audit[0]!.change)).toMatchObject({ version: 1, sha256: v1.sha256, entryCount: 2, previousVersion: null });
    expect(await callOk<DenyListVersionView[]>(bench.t.engine, 'policy:denyListVersions', {}, await checker(bench.t, 'approver'))).toEqual([v1]);
  });
});

describe('screening decisions', () => {
  it('a withdrawal to a listed address is refused, alerts and names the list version (an EVM listing holds on every EVM chain)', async () => {
    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(LISTED), 'screening_hit', bench.officer, { alert: 'deny_list_hit' });
    expect(refused.change.details).toMatchObject({ listVersion: 1, source: 'OFAC SDN 2026-11', listedOn: 'bsc', chain: 'polygon' });
    expect(refused.change.reason).toMatch(/deny list \(version 1, source: OFAC SDN 2026-11\)/);
    expect(refused.alert!.message).toMatch(new RegExp(`${bench.officer.name} tried to send funds to ${LISTED}.*version 1`));
    const alerts = await callOk<Array<{ kind: string }>>(bench.t.engine, 'sweeps:alerts', { limit: 10 });
    expect(alerts.map((a) => a.kind)).toContain('deny_list_hit');
  });

  it('a passing withdrawal records the version it was screened against, in the row and in the audit trail', async () => {
    const passed = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(CLEAN), bench.officer);
    expect(passed.screeningListVersion).toBe(1);
    const record = await bench.t.engine.database.db.selectFrom('audit_log').select('change').where('action', '=', 'withdrawal.requested').where('entity_id', '=', passed.id).executeTakeFirstOrThrow();
    expect(JSON.parse(record.change)).toMatchObject({ screening: { listVersion: 1 } });
    await callOk(bench.t.engine, 'withdrawals:cancel', { withdrawalId: passed.id, reason: 'test over' }, bench.officer);
  });

  it('a listed address cannot enter the address book, and is screened again when a whitelisting is approved', async () => {
    await refusedAndAudited(bench.t, 'withdrawals:addressBookAdd', { chain: 'polygon', address: LISTED, label: 'listed', whitelisted: true }, 'screening_hit', bench.officer, {
      alert: 'deny_list_hit',
    });
    const entry = await callOk<AddressBookEntry>(bench.t.engine, 'withdrawals:addressBookAdd', { chain: 'polygon', address: CLEAN, label: 'exchange', whitelisted: true }, bench.officer);
    expect(entry.screeningListVersion).toBe(1);
    // The list grows before a second officer approves: the approval is refused and alerts.
    await importList(list(`polygon,${CLEAN},Court order 7`), 'court.csv');
    const refused = await refusedAndAudited(bench.t, 'withdrawals:addressBookApprove', { entryId: entry.id }, 'screening_hit', undefined, { alert: 'deny_list_hit' });
    expect(refused.change.details).toMatchObject({ listVersion: 2, source: 'Court order 7' });
  });

  it('a new version replaces the list whole: an address it no longer names passes, under the new version', async () => {
    const passed = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(LISTED), bench.officer);
    expect(passed.screeningListVersion).toBe(2);
    await callOk(bench.t.engine, 'withdrawals:cancel', { withdrawalId: passed.id, reason: 'test over' }, bench.officer);
  });
});

describe('risk levels', () => {
  it('a client the policy keeps to whitelisted destinations pays nothing else; the assessment is audited', async () => {
    const assessed = await callOk<ClientView>(bench.t.engine, 'clients:setRiskLevel', { clientId: client.id, riskLevel: 'high', reason: 'adverse media' }, bench.officer);
    expect(assessed.riskLevel).toBe('high');
    const record = await bench.t.engine.database.db.selectFrom('audit_log').select(['operator', 'change']).where('action', '=', 'client.risk_assessed').executeTakeFirstOrThrow();
    expect(record.operator).toBe(bench.officer.name);
    expect(JSON.parse(record.change)).toEqual({ from: 'medium', to: 'high', reason: 'adverse media' });

    const refused = await refusedAndAudited(bench.t, 'withdrawals:request', withdraw(LISTED), 'risk_level_restricted', bench.officer);
    expect(refused.change.details).toMatchObject({ riskLevel: 'high', allowed: ['low', 'medium'], listVersion: 2 });
    expect(refused.change.reason).toMatch(/high risk: the policy lets such clients withdraw only to whitelisted destinations/);

    await applyPolicy(bench.t, 'withdrawals:controlsSet', { riskLevelsToAnyDestination: ['low', 'medium', 'high'] });
    const passed = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:request', withdraw(LISTED), bench.officer);
    expect(passed.state).toBe('requested');
  });
});
