import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrityReport } from '@shared/domain/audit';
import type { ClientView } from '@shared/domain/clients';
import { BACKENDS } from '@test/backends';
import { callOk, startSecondWorkstation, startUnlockedEngine, type TestEngine } from '@test/engine';
import { CLIENT, IDENTITY, PNG, PROOF } from './kyc-fixtures';

const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');

// KYC scans uploaded at one workstation, read at another on the same database.
describe.each(BACKENDS)('KYC files across workstations (%s)', (backend) => {
  let first: TestEngine;
  let second: TestEngine;

  beforeAll(async () => {
    first = await startUnlockedEngine({ backend });
    const client = await callOk<ClientView>(first.engine, 'clients:create', CLIENT);
    await callOk(first.engine, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
    await callOk(first.engine, 'clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
    second = await startSecondWorkstation(first);
  });
  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  it('keeps the bytes in the database only when workstations share it', async () => {
    const rows = await first.engine.database.db.selectFrom('kyc_file_contents').select('sha256').execute();
    expect(rows.length).toBe(backend === 'postgres' ? 3 : 0);
  });

  it.runIf(backend === 'postgres')('the other workstation checks and has every document the first one uploaded', async () => {
    const report = await callOk<IntegrityReport>(second.engine, 'audit:integrity', {});
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, counts: { documents: 3 } });
    const copy = join(second.home, 'kyc', sha(PNG));
    expect(existsSync(copy)).toBe(true);
    // Sealed in the database and in both folders; the seed opens it (the second workstation here has none).
    expect(readFileSync(copy).includes(PNG.subarray(8))).toBe(false);
    const stored = await first.engine.database.db.selectFrom('kyc_file_contents').select('content').where('sha256', '=', sha(PNG)).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.content).includes(PNG.subarray(8))).toBe(false);
    expect((await first.engine.services.clients.files.read(sha(PNG)))!.equals(PNG)).toBe(true);
  });

  it('the database refuses to change a stored file', async () => {
    const db = first.engine.database.db;
    await db.insertInto('kyc_files').values({ sha256: 'f'.repeat(64), size: 1, media_type: 'image/png', stored_at: new Date().toISOString() }).execute();
    await db.insertInto('kyc_file_contents').values({ sha256: 'f'.repeat(64), content: Buffer.from('x') }).execute();
    await expect(sql`update kyc_file_contents set content = ${Buffer.from('y')}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(db.deleteFrom('kyc_file_contents').execute()).rejects.toThrow(/cannot be deleted/);
  });
});
