import type { IntegrityFinding, IntegrityFindingCode } from '@shared/domain/audit';
import { assetNameFromId } from './names';

/**
 * The integrity checks' findings as an officer reads them: what does not hold and what to do. The engine's
 * code and its technical sentence (hashes, ids, paths) stay for support. Every code the engine emits has a line
 * here (the compiler enforces the union; test/unit/renderer/audit-finding-words.test.ts reads the engine).
 */
export const AUDIT_FINDING_WORDS: Record<IntegrityFindingCode, { title: string; advice: string }> = {
  manifest_missing: {
    title: 'The file is not an audit bundle, or has no table of contents.',
    advice: 'Check that you picked the bundle exported from Treasury, then export it again if needed.',
  },
  manifest_invalid: {
    title: 'Part of the bundle cannot be read.',
    advice: 'The file is damaged or not a Treasury audit bundle: export a new one and verify it before sending.',
  },
  part_missing: {
    title: 'A part listed in the bundle’s table of contents is not in the bundle.',
    advice: 'The bundle is incomplete: export a new one.',
  },
  part_unlisted: {
    title: 'The bundle holds a file it does not list.',
    advice: 'Something was added after export: do not rely on this bundle; export a new one.',
  },
  part_hash_mismatch: {
    title: 'A part of the bundle was changed after export.',
    advice: 'Do not rely on this bundle; export a new one and compare it with the copy you received.',
  },
  audit_chain_broken: {
    title: 'The audit trail’s chain of records is broken: a record was changed, removed or inserted.',
    advice: 'Stop and call your security contact before making any change; keep this screen’s reference.',
  },
  audit_head_mismatch: {
    title: 'The audit trail ends somewhere other than where the bundle says.',
    advice: 'Records were added or removed after export: export a new bundle and verify it.',
  },
  anchor_mismatch: {
    title: 'An audit record no longer matches the fingerprint written down earlier.',
    advice: 'The trail was rewritten since then: stop and call your security contact.',
  },
  transfer_unaudited: {
    title: 'A ledger transfer has no audit record.',
    advice: 'The ledger was changed outside Treasury: call support before booking anything else.',
  },
  transfer_audit_mismatch: {
    title: 'A ledger transfer differs from what its audit record says.',
    advice: 'The ledger was changed outside Treasury: call support before booking anything else.',
  },
  transfer_missing: {
    title: 'A ledger transfer named in the audit trail is missing from the ledger.',
    advice: 'It may have been deleted: call support before booking anything else.',
  },
  transfer_out_of_order: {
    title: 'Ledger transfers are out of order.',
    advice: 'The ledger was changed outside Treasury: call support.',
  },
  balance_mismatch: {
    title: 'An account’s balance does not add up to its entries.',
    advice: 'Do not pay out from this account until support has checked it.',
  },
  liability_root_mismatch: {
    title: 'The proof of client balances does not match the ledger.',
    advice: 'Do not publish this proof: export the bundle again and verify it.',
  },
  document_missing: {
    title: 'A KYC document is missing.',
    advice: 'Ask the client for the document again and store it on their file.',
  },
  document_hash_mismatch: {
    title: 'A KYC document was changed after it was stored.',
    advice: 'Do not rely on it: ask the client for the document again and tell your compliance officer.',
  },
};

/** The finding in words, with where to look in the officer's terms (numbers and names, never ids or paths). */
export function auditFindingWords(finding: IntegrityFinding): { title: string; advice: string; where: string[] } {
  const words = AUDIT_FINDING_WORDS[finding.code] ?? { title: 'A check did not hold.', advice: 'Call support with the reference below.' };
  const where: string[] = [];
  if (finding.seq !== undefined) where.push(`audit record no. ${finding.seq}`);
  if (finding.transferId !== undefined && /^\d+$/.test(finding.transferId)) where.push(`ledger transfer no. ${finding.transferId}`);
  if (finding.assetId) where.push(assetNameFromId(finding.assetId));
  return { ...words, where };
}

/** "1 finding", "3 findings", and when the engine sent only the first ones, how many are listed. */
export function findingCount(total: number, listed: number): string {
  const count = `${total} ${total === 1 ? 'finding' : 'findings'}`;
  return listed < total ? `${count} (the first ${listed} listed below)` : count;
}
