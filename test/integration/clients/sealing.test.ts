import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import { BACKENDS } from '@test/backends';
import { checker, creditWallet } from '@test/controls';
import { callOk, snapshotRows, startUnlockedEngine, type TestEngine } from '@test/engine';
import { b64, CLIENT, IDENTITY, JPEG, PDF, PNG, PROOF } from './kyc-fixtures';
import { readableIn } from './readable-at-rest';

/** What the test client is known by: none of it may be readable at rest. */
const PASSPORT = 'AAB998877';
const IBAN = 'DE89370400440532013000';
const SECRETS = ['Juan Carlos', 'García', 'Garcia', 'juan.garcia@example.com', '20123456786', PASSPORT, 'Corrientes', '5491123456789', IBAN, '1985-04-12'];
const FILE_RUNS = [PNG.subarray(8), JPEG.subarray(4), PDF.subarray(0, 30)];


async function kycClient(t: TestEngine): Promise<ClientView> {
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
  const client = await ok<ClientView>('clients:create', CLIENT);
  await ok('clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY, type: 'passport', number: PASSPORT, back: undefined });
  await ok('clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
  await ok<BankAccountView>('clients:bankAccounts:add', { clientId: client.id, account: { rail: 'sepa', holderName: 'GARCIA PEREZ JUAN CARLOS', iban: 'DE89 3704 0044 0532 0130 00' } });
  return ok<ClientView>('clients:get', { clientId: client.id });
}

describe.each(BACKENDS)('client data sealed at rest (%s)', (backend) => {
  let t: TestEngine;
  let client: ClientView;
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    client = await kycClient(t);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('reads back whole through the engine', async () => {
    expect(client).toMatchObject({ legalName: CLIENT.legalName, email: 'juan.garcia@example.com', phone: '+5491123456789', taxId: { value: '20123456786' }, identityDocument: { number: PASSPORT } });
    const [account] = await ok<BankAccountView[]>('clients:bankAccounts:list', { clientId: client.id });
    expect(account).toMatchObject({ identifier: IBAN, holderName: 'GARCIA PEREZ JUAN CARLOS' });
  });

  it('leaves no name, email, tax id, passport number, IBAN or scan readable in the tables', async () => {
    const rows = await snapshotRows(t.engine);
    expect(SECRETS.filter((secret) => rows.includes(secret))).toEqual([]);
    const stored = await t.engine.database.db.selectFrom('kyc_file_contents').select('content').execute();
    for (const { content } of stored) for (const run of FILE_RUNS) expect(Buffer.from(content).includes(run)).toBe(false);
  });

  it.runIf(backend === 'sqlite')('leaves nothing readable in the database file, its WAL or the data folder', async () => {
    t.engine.database.sqlite!.pragma('wal_checkpoint(PASSIVE)');
    expect(readableIn(t.home, SECRETS, FILE_RUNS)).toEqual([]);
  });

  it.each([
    ['the email, any case', 'Juan.Garcia@EXAMPLE.com'],
    ['the tax id as written', '20-12345678-6'],
    ['the passport number', PASSPORT.toLowerCase()],
    ['name words, accents and order aside', 'garcia JUAN'],
    ['one name word', 'Pérez'],
  ])('finds the client by %s', async (_what, search) => {
    const page = await ok<{ items: ClientView[] }>('clients:list', { search });
    expect(page.items.map((c) => c.id)).toEqual([client.id]);
  });

  it.each([['a part of the email', 'garcia@example.com'], ['a name word the client lacks', 'Juan Pedro'], ['a substring of a name', 'Garc']])('does not find it by %s', async (_what, search) => {
    expect((await ok<{ items: ClientView[] }>('clients:list', { search })).items).toEqual([]);
  });

  it('keeps one client per tax id, though the tax id is sealed', async () => {
    const result = await t.engine.api.call('clients:create', { legalName: 'Otro Cliente', taxId: CLIENT.taxId }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('writes keyed hashes, not personal values, into the audit chain', async () => {
    const records = await t.engine.services.audit.list({ entityType: 'client', entityId: client.id, limit: 100 });
    const text = records.map((r) => r.change).join('\n');
    expect(SECRETS.filter((secret) => text.includes(secret))).toEqual([]);
    const created = JSON.parse(records.find((r) => r.action === 'client.created')!.change) as Record<string, string>;
    expect(created.email).toMatch(/^keyed:[0-9a-f]{64}$/);
    expect(created).toMatchObject({ tax_country: 'AR', kycStatus: 'draft' });
  });

  it('exports an audit bundle that carries no personal value or scan in clear (its manifest says pseudonymized)', async () => {
    const bundle = await t.engine.services.auditTrail.exportBundle({ includeDocuments: true, operator: 'auditor-test', reconcile: false });
    const bytes = readFileSync(bundle.file);
    expect(SECRETS.filter((secret) => bytes.includes(Buffer.from(secret, 'utf8')))).toEqual([]);
    for (const run of FILE_RUNS) expect(bytes.includes(run)).toBe(false);
    expect(bytes.includes(Buffer.from('"personalData": "pseudonymized"'))).toBe(true);
    // The client is there by id, each personal value as the keyed pseudonym its audit record carries.
    expect(bytes.includes(Buffer.from(client.id))).toBe(true);
    const created = (await t.engine.services.audit.list({ entityType: 'client', entityId: client.id, limit: 100 })).find((r) => r.action === 'client.created')!;
    const pseudonym = (JSON.parse(created.change) as { email: string }).email;
    expect(bytes.includes(Buffer.from(`"email":"${pseudonym}"`))).toBe(true);
  });

  it('carries personal data and opened scans only when the exporter asks for them', async () => {
    const bundle = await t.engine.services.auditTrail.exportBundle({ includeDocuments: true, includePersonalData: true, operator: 'auditor-test', reconcile: false });
    const bytes = readFileSync(bundle.file);
    for (const value of ['juan.garcia@example.com', '20123456786', PASSPORT, IBAN]) expect(bytes.includes(Buffer.from(value))).toBe(true);
    expect(bytes.includes(PNG)).toBe(true);
    expect(bytes.includes(Buffer.from('"personalData": "included"'))).toBe(true);
    const [record] = await t.engine.services.audit.list({ entityType: 'audit_bundle', limit: 1 });
    expect(JSON.parse(record!.change)).toMatchObject({ personalData: 'included' });
    // The bundle still verifies offline: each opened scan against the scan's own hash.
    expect(await ok<{ ok: boolean; findings: unknown[] }>('audit:verifyBundle', { file: bundle.file })).toMatchObject({ ok: true, findings: [] });
  });

  it('reports every sealed file intact by its sealed hash, with no key needed', async () => {
    const files = await ok<Array<{ state: string }>>('clients:kyc:verifyFiles', {});
    expect(files.length).toBe(2);
    expect(files.every((f) => f.state === 'intact')).toBe(true);
    expect(await ok<{ ok: boolean }>('audit:integrity', {})).toMatchObject({ ok: true });
  });
});

describe.each(BACKENDS)('erasure by crypto-shredding (%s)', (backend) => {
  let t: TestEngine;
  let client: ClientView;
  let wallet: WalletView;
  let other: WalletView;
  let spouse: ClientView;
  const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);
  const ledgerRows = () => t.engine.database.db.selectFrom('ledger_accounts').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await startUnlockedEngine({ backend });
    client = await kycClient(t);
    await ok('clients:kyc:submit', { clientId: client.id });
    await callOk(t.engine, 'clients:kyc:verify', { clientId: client.id }, await checker(t));
    wallet = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'juan polygon' });
    other = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'company float' });
    await ok('clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
    await creditWallet(t, { idempotencyKey: 'erasure-credit-1', walletId: wallet.id, assetId: 'polygon:USDT', amount: '2500000', reason: 'opening balance' });
    // Another client proves the same address with the very same bill: the scan is stored once, its key wrapped for both.
    spouse = await ok<ClientView>('clients:create', { legalName: 'Ana Pérez Ruiz', email: 'ana.perez@example.com' });
    await ok('clients:kyc:addProofOfAddress', { clientId: spouse.id, ...PROOF });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('refuses to close a client that still holds money, and changes nothing', async () => {
    const before = await snapshotRows(t.engine);
    const result = await t.engine.api.call('clients:close', { clientId: client.id, reason: 'relationship ended' }, { door: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', details: { assets: ['polygon:USDT'] } } });
    const after = JSON.parse(await snapshotRows(t.engine)) as Record<string, unknown>;
    expect({ ...after, audit_log: [] }).toEqual({ ...(JSON.parse(before) as Record<string, unknown>), audit_log: [] });
  });

  it('refuses erasure before closing and within the retention period', async () => {
    await expect(ok('clients:erasure:request', { clientId: client.id, reason: 'client asked' })).rejects.toThrow(/conflict Close the client first/);
    await ok('transfers:internal', { idempotencyKey: 'erasure-out-1', fromWalletId: wallet.id, toWalletId: other.id, assetId: 'polygon:USDT', amount: '2500000', memo: 'paid out' });
    const closed = await ok<ClientView>('clients:close', { clientId: client.id, reason: 'relationship ended' });
    expect(closed.closedAt).not.toBeNull();
    await expect(ok('clients:erasure:request', { clientId: client.id, reason: 'client asked' })).rejects.toThrow(/kept 5 years after closing/);
  });

  it('erases with four eyes: the data key goes, the books and the audit chain stay', async () => {
    // Closed six years ago: the default five-year retention has run out.
    const sixYearsAgo = new Date(Date.now() - 6 * 365.25 * 86_400_000).toISOString();
    await t.engine.database.db.updateTable('clients').set({ closed_at: sixYearsAgo }).where('id', '=', client.id).execute();

    const request = await ok<{ id: string; state: string }>('clients:erasure:request', { clientId: client.id, reason: 'client asked to be forgotten' });
    expect(request.state).toBe('requested');
    // The requester may not decide their own request.
    const own = await t.engine.api.call('clients:erasure:decide', { requestId: request.id, approve: true, note: 'done' }, { door: 'test' });
    expect(own).toMatchObject({ ok: false, error: { code: 'maker_checker' } });
    expect((await ok<ClientView>('clients:get', { clientId: client.id })).erasedAt).toBeNull();

    // Money that arrived since the request stops the approval; once it is moved out, the approval goes through.
    await creditWallet(t, { idempotencyKey: 'erasure-credit-2', walletId: wallet.id, assetId: 'polygon:USDT', amount: '1', reason: 'late refund' });
    const late = await t.engine.api.call('clients:erasure:decide', { requestId: request.id, approve: true, note: 'retention over' }, (await checker(t)).context);
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', message: 'The client still has money on the books: pay it out or move it first.' } });
    expect((await ok<ClientView>('clients:get', { clientId: client.id })).erasedAt).toBeNull();
    await ok('transfers:internal', { idempotencyKey: 'erasure-out-2', fromWalletId: wallet.id, toWalletId: other.id, assetId: 'polygon:USDT', amount: '1', memo: 'paid out' });
    const ledgerBefore = await ledgerRows();
    const transfersBefore = await t.engine.database.db.selectFrom('ledger_transfers').selectAll().orderBy('id').execute();

    const sha = client.identityDocument!.front.sha256;
    expect((await t.engine.services.clients.files.read(sha))!.equals(PNG)).toBe(true);
    const { wrapped } = await t.engine.database.db.selectFrom('client_keys').select('wrapped').where('client_id', '=', client.id).executeTakeFirstOrThrow();
    const decided = await callOk<{ state: string; decidedBy: string }>(t.engine, 'clients:erasure:decide', { requestId: request.id, approve: true, note: 'retention over, nothing owed' }, await checker(t));
    expect(decided).toMatchObject({ state: 'approved', decidedBy: 'checker-officer' });

    const erased = await ok<ClientView>('clients:get', { clientId: client.id });
    expect(erased).toMatchObject({ legalName: '', email: null, phone: null, dateOfBirth: null, address: null, taxId: null, identityDocument: { number: null } });
    expect(erased.erasedAt).not.toBeNull();
    const [account] = await ok<BankAccountView[]>('clients:bankAccounts:list', { clientId: client.id });
    expect(account).toMatchObject({ identifier: '', holderName: '' });
    expect(await t.engine.services.clients.files.read(sha)).toBeNull();
    expect((await ok<{ items: ClientView[] }>('clients:list', { search: 'juan.garcia@example.com' })).items).toEqual([]);
    // The sealed values are still in the rows, and no key opens them any more.
    const row = await t.engine.database.db.selectFrom('clients').select('legal_name').where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(row.legal_name).toMatch(/^sealed:v1:/);
    expect(await t.engine.database.db.selectFrom('client_keys').select('wrapped').where('client_id', '=', client.id).executeTakeFirstOrThrow()).toEqual({ wrapped: null });
    // Shredded for real: the wrapped key's bytes are in neither the database file nor its WAL.
    if (backend === 'sqlite') expect(readableIn(t.home, [wrapped!], [])).toEqual([]);

    // Books untouched, audit chain and integrity check verify, the erased files are named so.
    expect(await ledgerRows()).toEqual(ledgerBefore);
    expect(await t.engine.database.db.selectFrom('ledger_transfers').selectAll().orderBy('id').execute()).toEqual(transfersBefore);
    expect(await ok<{ ok: boolean }>('audit:verify', {})).toMatchObject({ ok: true });
    expect(await ok<{ ok: boolean; findings: unknown[] }>('audit:integrity', {})).toMatchObject({ ok: true, findings: [] });
    // The passport scan is gone; the bill the other client shares stays readable to them, intact.
    const pdf = client.proofOfAddress!.file.sha256;
    const states = new Map((await ok<Array<{ sha256: string; state: string }>>('clients:kyc:verifyFiles', {})).map((f) => [f.sha256, f.state]));
    expect(Object.fromEntries(states)).toEqual({ [sha]: 'erased', [pdf]: 'intact' });
    expect((await t.engine.services.clients.files.read(pdf))!.equals(PDF)).toBe(true);
    expect(await ok<ClientView>('clients:get', { clientId: spouse.id })).toMatchObject({ legalName: 'Ana Pérez Ruiz', proofOfAddress: { file: { sha256: pdf } } });
    expect(existsSync(join(t.home, 'kyc', sha))).toBe(false);
    const actions = (await t.engine.services.audit.list({ entityType: 'client', entityId: client.id, limit: 100 })).map((r) => r.action);
    expect(actions.slice(0, 3)).toEqual(['client.erased', 'client.erasure_requested', 'client.closed']);
  });

  it('refuses to edit, document or erase again an erased client', async () => {
    await expect(ok('clients:update', { clientId: client.id, email: 'x@example.com' })).rejects.toThrow(/erased/);
    await expect(ok('clients:kyc:addProofOfAddress', { clientId: client.id, issuedOn: PROOF.issuedOn, file: b64(PDF) })).rejects.toThrow(/erased/);
    await expect(ok('clients:erasure:request', { clientId: client.id, reason: 'again' })).rejects.toThrow(/erased/);
  });
});
