import { createHash, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { BundleManifest, BundleVerification } from '@shared/domain/audit';
import type { AuditRecordRow, LedgerAccountRow, LedgerTransferRow, WalletRow } from '../db/schema';
import { BUNDLE, isManifest, type DocumentLine } from './bundle-format';
import { liabilityOwner } from './bundle-export';
import { checkLedgerAndAudit, clientBalances, Findings, reportOf } from './integrity-check';
import { buildLiabilityTree, type LiabilityProof } from './liability-proof';
import { hashPartsInWorker } from './part-hasher';
import { listTarEntries, readEntryChunks, readEntryLineBatches, readEntryLines, readEntryText, TarFormatError, type TarEntry } from './tar-archive';

export interface BundleVerifyOptions {
  /** A head the auditor wrote down from an earlier bundle or report: that record must be in this chain unchanged. */
  anchor?: { seq: number; hash: string };
}

/**
 * Verifies a bundle without trusting the workstation that wrote it: every part against the manifest,
 * the audit chain from genesis against the manifest's head (and the auditor's anchor), every transfer
 * against its journal record, every balance against its entries, each liability root against balances
 * recomputed from the entries, and each included document against its recorded hash. Read-only.
 */
export async function verifyAuditBundle(file: string, options: BundleVerifyOptions = {}): Promise<BundleVerification> {
  const started = performance.now();
  const findings = new Findings();
  const fail = (manifest: BundleManifest | null = null, manifestSha256: string | null = null): BundleVerification => ({
    ...reportOf(findings, emptyResult(), 0, started),
    file,
    manifestSha256,
    manifest,
  });
  if (!existsSync(file)) {
    findings.add({ code: 'manifest_missing', message: `There is no bundle at ${file}.` });
    return fail();
  }
  let entries: TarEntry[];
  try {
    entries = listTarEntries(file);
  } catch (error) {
    findings.add({ code: 'manifest_invalid', message: error instanceof TarFormatError ? error.message : 'The file is not a readable tar archive.' });
    return fail();
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const manifestEntry = byName.get(BUNDLE.manifest);
  if (!manifestEntry) {
    findings.add({ code: 'manifest_missing', part: BUNDLE.manifest, message: 'The bundle has no manifest.json.' });
    return fail();
  }
  const manifestHash = createHash('sha256');
  const manifestText = await readEntryText(file, manifestEntry, manifestHash);
  const manifestSha256 = manifestHash.digest('hex');
  let manifest: BundleManifest;
  try {
    const parsed: unknown = JSON.parse(manifestText);
    if (!isManifest(parsed)) throw new Error('shape');
    manifest = parsed;
  } catch {
    findings.add({ code: 'manifest_invalid', part: BUNDLE.manifest, message: 'manifest.json is not a Treasury audit bundle manifest.' });
    return fail(null, manifestSha256);
  }

  // Parts: the listed ones must be there; nothing may be there unlisted.
  const listed = new Map(manifest.parts.map((p) => [p.name, p]));
  for (const entry of entries) {
    if (entry.name !== BUNDLE.manifest && !listed.has(entry.name)) {
      findings.add({ code: 'part_unlisted', part: entry.name, message: `${entry.name} is in the bundle but not in its manifest.` });
    }
  }
  const hashes = new Map<string, Hash>();
  const digested = new Map<string, string>();
  // The parts read below are hashed as they are parsed; the rest are hashed on a worker meanwhile.
  const parsed = new Set([BUNDLE.manifest, BUNDLE.table('wallets'), BUNDLE.table('audit_log'), BUNDLE.table('ledger_transfers'), BUNDLE.table('ledger_accounts'), BUNDLE.liabilityProofs, BUNDLE.documents]);
  const elsewhere = hashPartsInWorker(file, manifest.parts.filter((p) => !parsed.has(p.name) && byName.has(p.name)).map((p) => byName.get(p.name)!)).catch(
    () => new Map<string, string>(),
  );
  const partLines = <T>(name: string): AsyncGenerator<T> => {
    const entry = byName.get(name);
    const hash = createHash('sha256');
    hashes.set(name, hash);
    return parseLines<T>(entry ? readEntryLines(file, entry, hash) : emptyLines(), name, findings);
  };

  const partBatches = <T>(name: string): AsyncGenerator<T[]> => {
    const entry = byName.get(name);
    const hash = createHash('sha256');
    hashes.set(name, hash);
    return parseBatches<T>(entry ? readEntryLineBatches(file, entry, hash) : emptyBatches(), name, findings);
  };

  const wallets = new Map<string, WalletRow>();
  for await (const w of partLines<WalletRow>(BUNDLE.table('wallets'))) wallets.set(w.id, w);
  let anchorSeen = false;
  const anchor = options.anchor;
  async function* auditWithAnchor(): AsyncGenerator<AuditRecordRow[]> {
    for await (const batch of partBatches<AuditRecordRow>(BUNDLE.table('audit_log'))) {
      const record = anchor ? batch.find((r) => r.seq === anchor.seq) : undefined;
      if (anchor && record) {
        anchorSeen = true;
        if (record.hash !== anchor.hash) {
          findings.add({ code: 'anchor_mismatch', seq: anchor.seq, message: `Audit record ${anchor.seq} has hash ${record.hash}, not the ${anchor.hash} written down earlier.` });
        }
      }
      yield batch;
    }
  }
  const result = await checkLedgerAndAudit(
    {
      accounts: partLines<LedgerAccountRow>(BUNDLE.table('ledger_accounts')),
      audit: auditWithAnchor(),
      transfers: partBatches<LedgerTransferRow>(BUNDLE.table('ledger_transfers')),
    },
    findings,
  );
  if (anchor && !anchorSeen) {
    findings.add({ code: 'anchor_mismatch', seq: anchor.seq, message: `Audit record ${anchor.seq}, written down earlier, is not in this bundle.` });
  }
  const lastSeq = result.counts.auditRecords;
  if (result.chain.ok && (result.chain.head !== manifest.auditHead.hash || lastSeq !== manifest.auditHead.seq)) {
    findings.add({
      code: 'audit_head_mismatch',
      seq: lastSeq,
      message: `The manifest names head ${manifest.auditHead.seq}:${manifest.auditHead.hash.slice(0, 16)}…, the audit log ends at ${lastSeq}:${result.chain.head.slice(0, 16)}….`,
    });
  }

  // Liability roots, rebuilt from balances recomputed from the entries with the nonces of the proofs part.
  const nonces = new Map<string, LiabilityProof['leaf'][]>();
  for await (const proof of partLines<LiabilityProof>(BUNDLE.liabilityProofs)) {
    const list = nonces.get(proof.assetId) ?? [];
    list.push(proof.leaf);
    nonces.set(proof.assetId, list);
  }
  const balances = clientBalances(result.accounts, result.recomputed, (walletId) => liabilityOwner(wallets.get(walletId), walletId));
  for (const root of manifest.liabilities) {
    const owed = balances.get(root.assetId) ?? new Map<string, bigint>();
    const leaves = (nonces.get(root.assetId) ?? []).map((leaf) => ({ ...leaf, balance: (owed.get(leaf.clientId) ?? 0n).toString() }));
    const rebuilt = buildLiabilityTree(root.assetId, leaves).root;
    const missing = [...owed.entries()].filter(([client, balance]) => balance !== 0n && !leaves.some((l) => l.clientId === client));
    if (rebuilt.hash !== root.hash || rebuilt.total !== root.total || missing.length > 0) {
      findings.add({
        code: 'liability_root_mismatch',
        assetId: root.assetId,
        message: `The ${root.assetId} liability root does not match the client balances recomputed from the ledger entries.`,
      });
    }
  }

  // Documents: each included file must hash to what was recorded when it was stored.
  let documentCount = 0;
  for await (const doc of partLines<DocumentLine>(BUNDLE.documents)) {
    documentCount += 1;
    if (doc.fileSha256 !== null && doc.fileSha256 !== doc.sha256) {
      findings.add({ code: 'document_hash_mismatch', documentId: doc.id, message: `Document ${doc.id} (${doc.kind} of ${doc.owner}) no longer matched its recorded hash when exported.` });
    }
    if (!doc.included) continue;
    const entry = byName.get(BUNDLE.document(doc.id));
    if (!entry) {
      findings.add({ code: 'document_missing', documentId: doc.id, part: BUNDLE.document(doc.id), message: `Document ${doc.id} is listed as included but is not in the bundle.` });
      continue;
    }
    const digest = await digestOf(file, entry);
    digested.set(entry.name, digest);
    if (digest !== doc.sha256) {
      findings.add({ code: 'document_hash_mismatch', documentId: doc.id, part: entry.name, message: `Document ${doc.id} (${doc.kind} of ${doc.owner}) in the bundle does not match its recorded hash.` });
    }
  }

  // Every listed part against the manifest; the ones not read above were hashed on the worker (or are now).
  const workerDigests = await elsewhere;
  for (const part of manifest.parts) {
    const entry = byName.get(part.name);
    if (!entry) {
      findings.add({ code: 'part_missing', part: part.name, message: `${part.name} is in the manifest but not in the bundle.` });
      continue;
    }
    const actual = digested.get(part.name) ?? hashes.get(part.name)?.digest('hex') ?? workerDigests.get(part.name) ?? (await digestOf(file, entry));
    if (actual !== part.sha256 || entry.bytes !== part.bytes) {
      findings.add({ code: 'part_hash_mismatch', part: part.name, message: `${part.name} does not match the SHA-256 in the manifest: it was changed after export.` });
    }
  }
  // The part findings say where to look first.
  findings.list.sort((a, b) => rank(a.code) - rank(b.code));
  return { ...reportOf(findings, result, documentCount, started), file, manifestSha256, manifest };
}

const ORDER = ['manifest_missing', 'manifest_invalid', 'part_missing', 'part_unlisted', 'part_hash_mismatch', 'anchor_mismatch', 'audit_chain_broken', 'audit_head_mismatch'];
const rank = (code: string) => (ORDER.includes(code) ? ORDER.indexOf(code) : ORDER.length);

async function* parseLines<T>(lines: AsyncIterable<string>, part: string, findings: Findings): AsyncGenerator<T> {
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.length === 0) continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      findings.add({ code: 'manifest_invalid', part, message: `Line ${n} of ${part} is not JSON.` });
    }
  }
}

async function digestOf(file: string, entry: TarEntry): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readEntryChunks(file, entry, hash)) void chunk;
  return hash.digest('hex');
}

async function* emptyLines(): AsyncGenerator<string> {}

async function* emptyBatches(): AsyncGenerator<string[]> {}

async function* parseBatches<T>(batches: AsyncIterable<string[]>, part: string, findings: Findings): AsyncGenerator<T[]> {
  let n = 0;
  for await (const lines of batches) {
    const rows: T[] = [];
    for (const [i, line] of lines.entries()) {
      if (line.length === 0) continue;
      try {
        rows.push(JSON.parse(line) as T);
      } catch {
        findings.add({ code: 'manifest_invalid', part, message: `Line ${n + i + 1} of ${part} is not JSON.` });
      }
    }
    n += lines.length;
    yield rows;
  }
}

function emptyResult(): Parameters<typeof reportOf>[1] {
  return {
    chain: { ok: true, records: 0, head: '' },
    head: { seq: 0, hash: '' },
    counts: { auditRecords: 0, transfers: 0, accounts: 0 },
    recomputed: new Map(),
    accounts: new Map(),
  };
}
