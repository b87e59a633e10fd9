import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankAccountView, ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import { checker } from '@test/controls';
import { callOk, databaseFileHash, snapshotDatabase, startUnlockedEngine, type TestEngine } from '@test/engine';
import { b64, CLIENT, day, GIF, IDENTITY, JPEG, LEGAL_NAME, PDF, PNG, PROOF } from './kyc-fixtures';

/** Clients through the engine's api: KYC from draft to verified, bank accounts, wallets, and every refusal storing nothing. */
let t: TestEngine;
const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });
const ok = <T>(channel: string, payload: unknown) => callOk<T>(t.engine, channel, payload);

/** Runs a call that must be refused with `code`, and checks the database did not change by a byte. */
async function refusedUnchanged(channel: string, payload: unknown, code: string): Promise<void> {
  const before = snapshotDatabase(t.engine);
  const hash = databaseFileHash(t.engine);
  const result = await call(channel, payload);
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect(snapshotDatabase(t.engine)).toBe(before);
  expect(databaseFileHash(t.engine)).toBe(hash);
}

async function auditActions(entityType: string, entityId: string): Promise<string[]> {
  const records = await t.engine.services.audit.list({ entityType, entityId, limit: 100 });
  return records.map((r) => r.action).reverse();
}

async function verifiedClient(overrides: Record<string, unknown> = {}): Promise<ClientView> {
  const client = await ok<ClientView>('clients:create', { ...CLIENT, ...overrides });
  await ok('clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
  await ok('clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
  await ok('clients:kyc:submit', { clientId: client.id });
  return callOk<ClientView>(t.engine, 'clients:kyc:verify', { clientId: client.id }, await checker(t));
}

beforeAll(async () => {
  t = await startUnlockedEngine();
});
afterAll(async () => {
  await t.dispose();
});

describe('KYC', () => {
  it('walks a client from draft to verified, keeping each file by its hash', async () => {
    const draft = await ok<ClientView>('clients:create', CLIENT);
    // stored normalized: E.164 phone, lower-case email, CUIT digits only
    expect(draft).toMatchObject({
      kycStatus: 'draft',
      phone: '+5491123456789',
      email: 'juan.garcia@example.com',
      taxId: { country: 'AR', kind: 'cuit', value: '20123456786' },
      identityDocument: null,
    });
    await ok('clients:kyc:addIdentityDocument', { clientId: draft.id, ...IDENTITY });
    const withProof = await ok<ClientView>('clients:kyc:addProofOfAddress', { clientId: draft.id, ...PROOF });
    expect(withProof.identityDocument).toMatchObject({ type: 'national_id', front: { mediaType: 'image/png', size: PNG.length }, back: { mediaType: 'image/jpeg', size: JPEG.length } });
    expect(withProof.proofOfAddress).toMatchObject({ file: { mediaType: 'application/pdf', size: PDF.length } });
    for (const [content, file] of [[PNG, withProof.identityDocument!.front], [JPEG, withProof.identityDocument!.back!], [PDF, withProof.proofOfAddress!.file]] as const) {
      // Sealed at rest: the folder holds neither the bytes nor any run of them; the engine opens them whole.
      const stored = readFileSync(join(t.home, 'kyc', file.sha256));
      expect(stored.includes(content.subarray(4, 16))).toBe(false);
      expect((await t.engine.services.clients.files.read(file.sha256))!.equals(content)).toBe(true);
    }

    expect((await ok<ClientView>('clients:kyc:submit', { clientId: draft.id })).kycStatus).toBe('submitted');
    // Four eyes: the admin submitted, an officer verifies.
    const verified = await callOk<ClientView>(t.engine, 'clients:kyc:verify', { clientId: draft.id }, await checker(t));
    expect(verified.kycStatus).toBe('verified');
    expect(await auditActions('client', draft.id)).toEqual(['client.created', 'kyc.document_added', 'kyc.document_added', 'kyc.submitted', 'kyc.verified']);
    const [verifiedRecord] = await t.engine.services.audit.list({ entityType: 'client', entityId: draft.id, limit: 1 });
    expect(verifiedRecord).toMatchObject({ operator: 'checker-officer', action: 'kyc.verified' });
    expect(JSON.parse(verifiedRecord!.change)).toEqual({ from: 'submitted', to: 'verified' });
    expect(await ok<{ ok: boolean }>('audit:verify', {})).toMatchObject({ ok: true });
  });

  it('suspends and reinstates a verified client, and edits a rejected one before resubmitting', async () => {
    const client = await verifiedClient({ taxId: { country: 'AR', kind: 'cuit', value: '30-50001091-2' }, email: 'other@example.com' });
    expect((await ok<ClientView>('clients:kyc:suspend', { clientId: client.id, reason: 'bank flagged activity' })).kycStatus).toBe('suspended');
    expect((await ok<ClientView>('clients:kyc:reinstate', { clientId: client.id })).kycStatus).toBe('verified');

    const second = await ok<ClientView>('clients:create', { ...CLIENT, taxId: { country: 'BR', kind: 'cpf', value: '529.982.247-25' }, nationality: 'BR' });
    await ok('clients:kyc:addIdentityDocument', { clientId: second.id, ...IDENTITY, type: 'passport', back: undefined });
    await ok('clients:kyc:addProofOfAddress', { clientId: second.id, ...PROOF });
    await ok('clients:kyc:submit', { clientId: second.id });
    await refusedUnchanged('clients:update', { clientId: second.id, email: 'x@example.com' }, 'conflict');
    const rejected = await callOk<ClientView>(t.engine, 'clients:kyc:reject', { clientId: second.id, reason: 'address does not match the bill' }, await checker(t));
    expect(rejected).toMatchObject({ kycStatus: 'rejected', rejectionReason: 'address does not match the bill' });
    const corrected = await ok<ClientView>('clients:update', { clientId: second.id, address: { line1: 'Rua Augusta 500', city: 'São Paulo', country: 'BR' } });
    expect(corrected.address).toMatchObject({ city: 'São Paulo' });
    expect((await ok<ClientView>('clients:kyc:submit', { clientId: second.id })).kycStatus).toBe('submitted');
    expect(await auditActions('client', second.id)).toEqual([
      'client.created',
      'kyc.document_added',
      'kyc.document_added',
      'kyc.submitted',
      'kyc.rejected',
      'client.updated',
      'kyc.submitted',
    ]);
  });

  it.each([
    ['a CUIT with a wrong check digit', { taxId: { country: 'AR', kind: 'cuit', value: '20-12345678-7' } }, 'invalid_tax_id'],
    ['a CPF with a wrong check digit', { taxId: { country: 'BR', kind: 'cpf', value: '529.982.247-24' } }, 'invalid_tax_id'],
    ['an RFC with an impossible date', { taxId: { country: 'MX', kind: 'rfc', value: 'GODE561331GR8' } }, 'invalid_tax_id'],
    ['a phone without enough digits', { phone: '+54 11' }, 'invalid_phone'],
    ['an email without a domain', { email: 'juan@' }, 'invalid_email'],
    ['a minor', { dateOfBirth: day(-365 * 10) }, 'underage'],
    ['a date of birth that is not a date', { dateOfBirth: '1985-02-30' }, 'invalid_date_of_birth'],
  ])('refuses %s with a named error and stores nothing', async (_name, override, code) => {
    await refusedUnchanged('clients:create', { ...CLIENT, ...override }, code);
  });

  it('refuses a second client with the same tax id', async () => {
    await refusedUnchanged('clients:create', CLIENT, 'conflict');
  });

  it('refuses to submit or verify an incomplete file, naming what is missing', async () => {
    const client = await ok<ClientView>('clients:create', { legalName: 'María de los Ángeles Sosa' });
    const before = snapshotDatabase(t.engine);
    const submitted = await call('clients:kyc:submit', { clientId: client.id });
    expect(submitted).toMatchObject({
      ok: false,
      error: { code: 'kyc_incomplete', details: { missing: ['dateOfBirth', 'nationality', 'address', 'email', 'phone', 'taxId', 'identityDocument', 'proofOfAddress'] } },
    });
    await refusedUnchanged('clients:kyc:verify', { clientId: client.id }, 'conflict');
    expect(snapshotDatabase(t.engine)).toBe(before);
  });

  it.each([
    ['an expired identity document', { ...IDENTITY, expiresOn: day(-1) }, 'id_document_expired'],
    ['a GIF', { ...IDENTITY, front: b64(GIF) }, 'unsupported_file_type'],
    ['a file over 10 MiB', { ...IDENTITY, front: b64(Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)])) }, 'file_too_large'],
    ['a national id without its back', { ...IDENTITY, back: undefined }, 'kyc_incomplete'],
  ])('refuses %s and writes neither a row nor a file', async (_name, document, code) => {
    const client = await ok<ClientView>('clients:create', { legalName: 'Pedro Gómez' });
    const files = existsSync(join(t.home, 'kyc')) ? readdir(join(t.home, 'kyc')) : [];
    await refusedUnchanged('clients:kyc:addIdentityDocument', { clientId: client.id, ...document }, code);
    expect(existsSync(join(t.home, 'kyc')) ? readdir(join(t.home, 'kyc')) : []).toEqual(files);
  });

  it('refuses a path or a non-base64 body over the api', async () => {
    const client = await ok<ClientView>('clients:create', { legalName: 'Pedro Gómez' });
    await refusedUnchanged('clients:kyc:addProofOfAddress', { clientId: client.id, issuedOn: day(-1), file: '/etc/passwd' }, 'validation');
    await refusedUnchanged('clients:kyc:addProofOfAddress', { clientId: client.id, issuedOn: day(-1), path: '/etc/passwd' }, 'validation');
  });

  it('opens a client\'s own scan for the in-app preview, audits each viewing, and refuses any other file or an approver', async () => {
    const client = await verifiedClient({ taxId: { country: 'AR', kind: 'cuit', value: '27-28033514-8' }, email: 'preview@example.com' });
    for (const [file, content, mediaType] of [[client.identityDocument!.front, PNG, 'image/png'], [client.proofOfAddress!.file, PDF, 'application/pdf']] as const) {
      const opened = await ok<{ mediaType: string; base64: string }>('clients:kyc:documentFile', { clientId: client.id, sha256: file.sha256 });
      expect(opened.mediaType).toBe(mediaType);
      expect(Buffer.from(opened.base64, 'base64').equals(content)).toBe(true);
    }
    expect((await auditActions('client', client.id)).filter((a) => a === 'kyc.document_viewed')).toHaveLength(2);
    const [viewed] = await t.engine.services.audit.list({ entityType: 'client', entityId: client.id, limit: 1 });
    expect(JSON.parse(viewed!.change)).toMatchObject({ kind: 'proof_of_address', sha256: client.proofOfAddress!.file.sha256 });
    // A file named by some other client's document (or by none) is not this client's to open.
    const other = await ok<ClientView>('clients:create', { legalName: 'Pedro Gómez' });
    await refusedUnchanged('clients:kyc:documentFile', { clientId: other.id, sha256: client.proofOfAddress!.file.sha256 }, 'not_found');
    await refusedUnchanged('clients:kyc:documentFile', { clientId: client.id, sha256: 'f'.repeat(64) }, 'not_found');
    await refusedUnchanged('clients:kyc:documentFile', { clientId: client.id, sha256: '../../etc/passwd' }, 'validation');
    const approver = await checker(t, 'approver');
    const refused = await t.engine.api.call('clients:kyc:documentFile', { clientId: client.id, sha256: client.proofOfAddress!.file.sha256 }, approver.context);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets an auditor find a swapped file', async () => {
    expect((await ok<Array<{ state: string }>>('clients:kyc:verifyFiles', {})).every((f) => f.state === 'intact')).toBe(true);
    const client = (await ok<{ items: ClientView[] }>('clients:list', { kycStatus: 'verified' })).items[0]!;
    const sha = client.proofOfAddress!.file.sha256;
    const sealed = readFileSync(join(t.home, 'kyc', sha));
    writeFileSync(join(t.home, 'kyc', sha), Buffer.from('%PDF-1.7 a different bill'));
    expect(await ok<Array<{ sha256: string; state: string }>>('clients:kyc:verifyFiles', {})).toContainEqual({ sha256: sha, state: 'altered' });
    writeFileSync(join(t.home, 'kyc', sha), sealed);
  });
});

describe('bank accounts', () => {
  let client: ClientView;
  beforeAll(async () => {
    client = (await ok<{ items: ClientView[] }>('clients:list', { search: '20123456786' })).items[0]!;
  });

  it.each([
    ['SEPA', { rail: 'sepa', holderName: 'GARCIA PEREZ JUAN CARLOS', iban: 'DE89 3704 0044 0532 0130 00' }, 'DE89370400440532013000'],
    ['SPEI', { rail: 'spei', holderName: LEGAL_NAME, clabe: '002010077777777771' }, '002010077777777771'],
    ['ACH', { rail: 'ach', holderName: LEGAL_NAME, routingNumber: '021000021', accountNumber: '0001234', accountType: 'checking' }, '021000021/0001234'],
    ['PIX', { rail: 'pix', holderName: LEGAL_NAME, keyType: 'cpf', key: '529.982.247-25' }, 'cpf:52998224725'],
    ['AR transfer', { rail: 'ar_transfer', holderName: LEGAL_NAME, cbu: '2850590940090418135201' }, '2850590940090418135201'],
  ])('adds a %s account unverified, normalized', async (_name, account, identifier) => {
    const added = await ok<BankAccountView>('clients:bankAccounts:add', { clientId: client.id, account });
    expect(added).toMatchObject({ clientId: client.id, status: 'unverified', identifier, verifiedBy: null });
  });

  it.each([
    ['a bad IBAN', { rail: 'sepa', holderName: LEGAL_NAME, iban: 'DE89370400440532013001' }, 'invalid_iban'],
    ['a non-SEPA IBAN', { rail: 'sepa', holderName: LEGAL_NAME, iban: 'BR1800360305000010009795493C1' }, 'iban_not_sepa'],
    ['a bad CLABE', { rail: 'spei', holderName: LEGAL_NAME, clabe: '002010077777777772' }, 'invalid_clabe'],
    ['a bad routing number', { rail: 'ach', holderName: LEGAL_NAME, routingNumber: '021000022', accountNumber: '0001234', accountType: 'checking' }, 'invalid_routing_number'],
    ['a PIX key with a bad CPF', { rail: 'pix', holderName: LEGAL_NAME, keyType: 'cpf', key: '529.982.247-24' }, 'invalid_pix_key'],
    ['a bad CBU', { rail: 'ar_transfer', holderName: LEGAL_NAME, cbu: '2850590940090418135202' }, 'invalid_cbu'],
    ["someone else's account", { rail: 'sepa', holderName: 'Pedro Gómez', iban: 'GB82WEST12345698765432' }, 'holder_name_mismatch'],
  ])('refuses %s with a named error and stores nothing', async (_name, account, code) => {
    await refusedUnchanged('clients:bankAccounts:add', { clientId: client.id, account }, code);
  });

  it('refuses the same account twice', async () => {
    await refusedUnchanged('clients:bankAccounts:add', { clientId: client.id, account: { rail: 'spei', holderName: LEGAL_NAME, clabe: '002 010 07777777777 1' } }, 'conflict');
  });

  it('is verified by an officer with a note of the evidence, then disabled for good', async () => {
    const [sepa] = await ok<BankAccountView[]>('clients:bankAccounts:list', { clientId: client.id });
    const verified = await callOk<BankAccountView>(
      t.engine,
      'clients:bankAccounts:verify',
      { bankAccountId: sepa!.id, evidence: 'bank statement of 2026-11 shows the IBAN and name' },
      await checker(t),
    );
    expect(verified).toMatchObject({ status: 'verified', verifiedBy: 'checker-officer', verificationNote: 'bank statement of 2026-11 shows the IBAN and name' });
    const disabled = await ok<BankAccountView>('clients:bankAccounts:disable', { bankAccountId: sepa!.id, reason: 'client closed the account' });
    expect(disabled.status).toBe('disabled');
    await refusedUnchanged('clients:bankAccounts:verify', { bankAccountId: sepa!.id, evidence: 'again' }, 'conflict');
    expect(await auditActions('bank_account', sepa!.id)).toEqual(['bank_account.added', 'bank_account.verified', 'bank_account.disabled']);
  });
});

describe('wallet association', () => {
  it('gives a client many wallets across chains, each to one client only, active ones only', async () => {
    const alice = await verifiedClient({ legalName: 'Alice Martin', taxId: { country: 'ES', kind: 'nif', value: '12345678Z' }, email: 'alice@example.com' });
    const bob = await ok<ClientView>('clients:create', { legalName: 'Bob Stone' });
    const polygon = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'alice polygon' });
    const tron = await ok<WalletView>('wallets:create', { chain: 'tron', label: 'alice tron' });
    expect((await ok<WalletView>('clients:wallets:associate', { clientId: alice.id, walletId: polygon.id })).clientId).toBe(alice.id);
    await ok('clients:wallets:associate', { clientId: alice.id, walletId: tron.id });
    // asking again is a no-op, not a second record
    const before = snapshotDatabase(t.engine);
    await ok('clients:wallets:associate', { clientId: alice.id, walletId: tron.id });
    expect(snapshotDatabase(t.engine)).toBe(before);
    expect((await ok<WalletView[]>('clients:wallets:list', { clientId: alice.id })).map((w) => w.id)).toEqual([polygon.id, tron.id]);

    await refusedUnchanged('clients:wallets:associate', { clientId: bob.id, walletId: polygon.id }, 'conflict');
    const suspended = await ok<WalletView>('wallets:create', { chain: 'bsc', label: 'suspended' });
    await ok('wallets:setStatus', { walletId: suspended.id, status: 'suspended' });
    await refusedUnchanged('clients:wallets:associate', { clientId: bob.id, walletId: suspended.id }, 'inactive_wallet');
    await refusedUnchanged('clients:wallets:associate', { clientId: 'no-such-client', walletId: tron.id }, 'not_found');

    expect(await auditActions('wallet', polygon.id)).toEqual(['wallet.created', 'wallet.associated']);
  });
});

function readdir(path: string): string[] {
  return readdirSync(path).sort();
}
