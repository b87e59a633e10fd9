import type { BundleManifest } from '@shared/domain/audit';

/** Names inside an audit bundle (a POSIX tar: `tar tf` lists them, `sha256sum` checks them). */
export const BUNDLE = {
  manifest: 'manifest.json',
  readme: 'README.txt',
  schema: 'schema.sql',
  table: (name: string) => `tables/${name}.jsonl`,
  reconciliation: 'reconciliation.json',
  liabilities: 'liabilities.json',
  liabilityProofs: 'liability-proofs.jsonl',
  documents: 'documents.jsonl',
  document: (id: string) => `documents/${id}`,
  transfersCsv: 'transfers.csv',
  balancesCsv: 'balances.csv',
  report: 'report.pdf',
} as const;

/**
 * Tables never exported: sessions and secrets are no auditor's business and would leak access; the bytes of
 * KYC files a shared database keeps travel as the bundle's document files, not as table rows.
 */
// Client data keys (wrapped) and their keyed search hashes never leave: the bundle carries personal columns sealed.
export const WITHHELD_TABLE = /(session|secret|^kyc_file_contents$|^client_keys$|^client_search$)/i;
/** Columns exported as "[withheld]" (the row stays, so counts and references still check). */
export const WITHHELD_COLUMN = /(password|passphrase|secret|salt|private_?key|session|otp|totp|token_hash|mnemonic|seed)/i;
export const WITHHELD = '[withheld]';

/** A KYC document (or any file the audit covers) as the area that stores it reports it. */
export interface AuditDocument {
  id: string;
  /** The client (or other entity) it belongs to. */
  owner: string;
  kind: string;
  /** sha256 recorded when the file was stored. */
  sha256: string;
  /** Absolute path of the stored file. */
  path: string;
  /** The scan's own hash when the stored file is its sealed form (clients/kyc-files.ts). */
  scanSha256?: string;
}

/** How a bundle carries client personal data: as keyed pseudonyms (the default) or in clear, when the exporter asks. */
export type PersonalDataMode = 'pseudonymized' | 'included';

/**
 * The clients area registers one: it rewrites the rows of the tables holding sealed personal columns, each value
 * as its keyed pseudonym (the same keyed hash the audit records carry) or opened, and opens scans when asked.
 */
export interface PersonalDataSource {
  tables: ReadonlySet<string>;
  /** Throws (a typed refusal) when the mode cannot be served, e.g. personal data in clear while the seed is locked. */
  prepare(mode: PersonalDataMode): void;
  row(table: string, row: Record<string, unknown>, mode: PersonalDataMode): Promise<Record<string, unknown>>;
  openScan(scanSha256: string): Promise<Buffer | null>;
}

/** Areas that store files (clients' KYC documents) register one; the audit hashes what they list. */
export interface AuditDocumentSource {
  list(): Promise<AuditDocument[]>;
}

export interface DocumentLine {
  id: string;
  owner: string;
  kind: string;
  sha256: string;
  /** What the file hashed to at export time (null when it was missing). */
  fileSha256: string | null;
  included: boolean;
}

export function isManifest(value: unknown): value is BundleManifest {
  const m = value as BundleManifest;
  return (
    typeof m === 'object' && m !== null && m.format === 'treasury-audit-bundle' && m.version === 1 &&
    typeof m.createdAt === 'string' && typeof m.auditHead?.hash === 'string' && Number.isInteger(m.auditHead?.seq) &&
    Array.isArray(m.parts) && m.parts.every((p) => typeof p?.name === 'string' && typeof p.sha256 === 'string' && Number.isInteger(p.bytes)) &&
    Array.isArray(m.liabilities)
  );
}

export const README = `Treasury audit bundle
=====================

A POSIX tar archive. Every part is listed in manifest.json with its size and SHA-256; check them with
\`tar xf <bundle> && sha256sum <part>\`. manifest.json also carries the audit chain's head: the hash of the
last audit record. Write it down (the PDF report prints it): a later bundle must contain that record
unchanged at the same sequence number.

tables/<name>.jsonl   every row of every table, one JSON object per line (secrets withheld)
tables/audit_log.jsonl  the hash-chained audit log: hash = sha256(prev_hash || payload), where payload is
                      the canonical JSON (keys sorted, no spaces) of {action, at, change, entity:{id,type},
                      operator, seq} and change is the stored canonical JSON text; prev_hash of record 1 is
                      64 zeros
schema.sql            the database schema these rows belong to
reconciliation.json   chain balances against the ledger at export time
liabilities.json      Merkle sum tree roots over client balances, per asset
liability-proofs.jsonl one inclusion proof per client and asset:
                      leaf = sha256("leaf|" + assetId + "|" + clientId + "|" + balance + "|" + nonce)
                      node = sha256("node|" + left.hash + "|" + right.hash + "|" + (left.sum + right.sum))
                      an unpaired node moves up unchanged; the root's sum is the total owed
documents.jsonl       KYC document hashes (documents/<id> holds the files when they were included)
personal data         manifest.json personalData says how client data travels. "pseudonymized" (the default):
                      clients are known by id, each personal value (name, birth date, address, email, phone,
                      tax id, document number, bank account) is "keyed:" + HMAC-SHA256 under the workspace's
                      key, the same pseudonym the audit records carry, and KYC files are included sealed
                      (listed by the hash of their sealed bytes); "[erased]" marks a value whose client was
                      erased. "included": the exporter asked for personal data in clear, scans opened and
                      listed by their own hash.
transfers.csv, balances.csv, report.pdf   the same figures for spreadsheets and paper
`;
