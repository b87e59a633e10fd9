import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRITY_FINDING_CODES, type IntegrityFinding } from '@shared/domain/audit';
import { AUDIT_FINDING_WORDS, auditFindingWords, findingCount } from '../../../renderer/src/words/audit-findings';

/** Every finding code the audit engine emits, read from its source: a new one without officer words fails here. */
const AUDIT = join(__dirname, '../../../electron/engine/audit');
const emitted = new Set<string>();
for (const name of readdirSync(AUDIT).filter((n) => n.endsWith('.ts'))) {
  const text = readFileSync(join(AUDIT, name), 'utf8');
  // `findings.add({ code: '…'` on one line or spread over the next ones.
  for (const m of text.matchAll(/findings\.add\(\{\s*code: '([a-z_]+)'/g)) emitted.add(m[1]!);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('audit findings in officer words', () => {
  it('reads the findings the engine emits', () => {
    expect(emitted.size).toBeGreaterThanOrEqual(14);
    expect([...emitted]).toContain('audit_chain_broken');
    expect([...emitted]).toContain('balance_mismatch');
  });

  it('has words for every code the engine emits and every code the shared type lists', () => {
    const codes = [...new Set([...emitted, ...INTEGRITY_FINDING_CODES])];
    expect(codes.filter((c) => !(c in AUDIT_FINDING_WORDS))).toEqual([]);
  });

  it.each(Object.entries(AUDIT_FINDING_WORDS))('%s reads as sentences without the code', (code, words) => {
    expect(words.title).toMatch(/^[A-Z].*\.$/);
    expect(words.advice).toMatch(/^[A-Z].*\.$/);
    expect(`${words.title} ${words.advice}`).not.toContain(code);
  });

  it('says where in numbers and names, never an id or an asset id', () => {
    const finding: IntegrityFinding = {
      code: 'document_hash_mismatch',
      documentId: '2a05117e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      part: 'documents/2a05117e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      message: 'Document 2a05117e-1c2d-4e5f-8a9b-0c1d2e3f4a5b does not match',
    };
    expect(auditFindingWords(finding).where).toEqual([]);
    const balance = auditFindingWords({ code: 'liability_root_mismatch', assetId: 'polygon:USDT', seq: 12, transferId: '40', message: '' });
    expect(balance.where).toEqual(['audit record no. 12', 'ledger transfer no. 40', 'USDT on Polygon']);
    expect(JSON.stringify(balance)).not.toMatch(UUID);
    expect(JSON.stringify(balance)).not.toContain('polygon:USDT');
  });

  it.each([
    [1, 1, '1 finding'],
    [3, 3, '3 findings'],
    [250, 200, '250 findings (the first 200 listed below)'],
  ])('counts %i findings (%i listed) as "%s"', (total, listed, words) => {
    expect(findingCount(total, listed)).toBe(words);
  });
});
