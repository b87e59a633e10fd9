import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, sep } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { BundleExport, BundleVerification, ExportDownload, ChainReconciliation, ExportedFile, IntegrityReport, LiabilityProofView } from '@shared/domain/audit';
import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { OpenDatabase } from '../db/open';
import type { AuditRecordRow, Database, LedgerTransferRow } from '../db/schema';
import { tableExists } from '../db/dialect';
import { GENESIS_HASH, type AuditLog } from './audit-log';
import type { AuditDocument, AuditDocumentSource, PersonalDataSource } from './bundle-format';
import { coverageOf, exportAuditBundle, liabilityLeaves, liabilityOwner, sha256File } from './bundle-export';
import { verifyAuditBundle, type BundleVerifyOptions } from './bundle-verify';
import type { ChainReconciler } from './chain-reconciliation';
import { ChainVerifier } from './chain-verifier';
import { exportPath, writeExport } from './export-files';
import { TransferCsv, writeBalancesCsv } from './csv-export';
import { checkLedgerAndAudit, Findings, reportOf } from './integrity-check';
import { buildLiabilityTree, checkLiabilityProof } from './liability-proof';
import { renderAuditReport } from './pdf-report';
import { withReadSnapshot, type SnapshotReader } from './read-snapshot';
import { Traceability } from './traceability';


/** A download travels as base64 in one answer: beyond this the officer opens the folder instead. */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
const EXPORT_TYPES: Record<string, string> = { '.csv': 'text/csv', '.pdf': 'application/pdf', '.tar': 'application/x-tar' };

/**
 * The audit area of the live engine: integrity checks of the database, the chain reconciliation,
 * traceability, and the exports an auditor takes away (bundle, CSV, PDF). Everything here reads;
 * the exports write new files into the data folder's exports/ and nothing else.
 */
export class AuditTrail {
  private readonly documents: AuditDocumentSource[] = [];
  private personalData: PersonalDataSource | null = null;
  readonly traceability: Traceability;

  constructor(
    private readonly deps: {
      home: string;
      database: OpenDatabase;
      db: Kysely<Database>;
      audit: AuditLog;
      configuration: ConfigurationService;
      assets: AssetRegistry;
      reconciler: ChainReconciler;
    },
  ) {
    this.traceability = new Traceability(deps.db, () => deps.configuration.get());
  }

  /** The clients area registers its KYC documents here; the audit hashes every file listed. */
  registerDocuments(source: AuditDocumentSource): void {
    this.documents.push(source);
  }

  /** The clients area registers how its sealed personal columns and scans go into a bundle. */
  registerPersonalData(source: PersonalDataSource): void {
    this.personalData = source;
  }

  async listDocuments(): Promise<AuditDocument[]> {
    const all: AuditDocument[] = [];
    for (const source of this.documents) all.push(...(await source.list()));
    return all;
  }

  reconciliation(chains?: readonly Chain[]): Promise<ChainReconciliation> {
    return this.deps.reconciler.reconcile(chains);
  }

  /** The full check of the live database: chain, transfers against journal, balances against entries, documents. */
  async integrity(): Promise<IntegrityReport> {
    const started = performance.now();
    const findings = new Findings();
    const result = await this.withSnapshot(async (reader) =>
      checkLedgerAndAudit(
        {
          accounts: await reader.accounts(),
          audit: reader.paged<AuditRecordRow>('audit_log'),
          transfers: reader.paged<LedgerTransferRow>('ledger_transfers'),
        },
        findings,
      ),
    );
    const documents = await this.listDocuments();
    for (const doc of documents) {
      let actual: string | null = null;
      try {
        if (statSync(doc.path).isFile()) actual = await sha256File(doc.path);
      } catch {
        actual = null;
      }
      if (actual === null) findings.add({ code: 'document_missing', documentId: doc.id, message: `Document ${doc.id} (${doc.kind} of ${doc.owner}) is missing from ${doc.path}.` });
      else if (actual !== doc.sha256) {
        findings.add({ code: 'document_hash_mismatch', documentId: doc.id, message: `Document ${doc.id} (${doc.kind} of ${doc.owner}) does not match the hash recorded when it was stored.` });
      }
    }
    return reportOf(findings, result, documents.length, started);
  }

  async exportBundle(request: { includeDocuments: boolean; includePersonalData?: boolean; operator: string; reconcile?: boolean }): Promise<BundleExport> {
    this.refuseInMemory();
    const personalData = { mode: request.includePersonalData ? ('included' as const) : ('pseudonymized' as const), source: this.personalData };
    personalData.source?.prepare(personalData.mode);
    const { profile } = await this.deps.configuration.get();
    const file = this.exportPath(`treasury-audit-${profile}`, 'tar');
    const reconciliation = request.reconcile === false ? null : await this.reconciliation();
    const assets = await this.deps.assets.list();
    const documents = await this.listDocuments();
    const result = await this.withSnapshot((snapshot) =>
      exportAuditBundle({ snapshot, file, createdBy: request.operator, profile, assets, reconciliation, documents, includeDocuments: request.includeDocuments, personalData }),
    );
    await this.deps.audit.record({
      operator: request.operator,
      action: 'audit.bundle_exported',
      entity: { type: 'audit_bundle', id: result.manifestSha256 },
      change: { file: result.file, bytes: result.bytes, head: result.auditHead, includeDocuments: request.includeDocuments, personalData: personalData.mode },
    });
    return result;
  }

  async exportCsv(kind: 'transfers' | 'balances', operator: string): Promise<ExportedFile> {
    const { profile } = await this.deps.configuration.get();
    const file = this.exportPath(`treasury-${kind}-${profile}`, 'csv');
    const chunks: string[] = [];
    const sink = { write: (text: string) => void chunks.push(text) };
    await this.withSnapshot(async (reader) => {
      const accounts = await reader.accounts();
      if (kind === 'balances') {
        const wallets = new Map((await reader.wallets()).map((w) => [w.id, w.client_id]));
        writeBalancesCsv(sink, accounts, (id) => wallets.get(id) ?? null, profile);
      } else {
        const codes = new Map(accounts.map((a) => [a.id, a.code]));
        const csv = new TransferCsv(sink, (id) => codes.get(id) ?? `#${id}`, profile);
        for await (const page of reader.paged<LedgerTransferRow>('ledger_transfers')) for (const t of page) csv.add(t);
      }
    });
    return this.written(file, chunks.join(''), operator, `audit.${kind}_csv_exported`);
  }

  async exportReport(operator: string, reconcile = true): Promise<ExportedFile> {
    const { profile } = await this.deps.configuration.get();
    const reconciliation = reconcile ? await this.reconciliation() : null;
    const registry = await this.deps.assets.list();
    const assets = new Map(registry.map((a) => [a.id, a.decimals]));
    const pdf = await this.withSnapshot(async (reader) => {
      const accounts = await reader.accounts();
      const wallets = new Map((await reader.wallets()).map((w) => [w.id, w]));
      // The chain and its head from the same snapshot as the balances (and no second connection while it is held).
      const chain = new ChainVerifier();
      let head = { seq: 0, hash: GENESIS_HASH };
      for await (const page of reader.paged<AuditRecordRow>('audit_log')) {
        for (const record of page) chain.push(record);
        const last = page[page.length - 1]!;
        head = { seq: last.seq, hash: last.hash };
      }
      return renderAuditReport({
        createdAt: new Date().toISOString(),
        profile,
        auditHead: head,
        auditChain: chain.verdict(),
        coverage: coverageOf(accounts, (id) => assets.get(id) ?? null),
        reconciliation,
        liabilities: [...liabilityLeaves(accounts, wallets)].map(([assetId, leaves]) => buildLiabilityTree(assetId, leaves).root),
        assets: registry,
      });
    });
    return this.written(this.exportPath(`treasury-audit-report-${profile}`, 'pdf'), Buffer.from(pdf), operator, 'audit.report_exported');
  }

  verifyBundle(file: string, options: BundleVerifyOptions = {}): Promise<BundleVerification> {
    return verifyAuditBundle(file, options);
  }

  /**
   * A proof against a tree built now from the live balances (fresh nonces, so the root is new each time);
   * the proof an auditor keeps is the one in a bundle, against the root its manifest published.
   */
  async liabilityProof(request: { walletId?: string; clientId?: string; assetId: string }): Promise<LiabilityProofView> {
    return this.withSnapshot(async (reader) => {
      const accounts = await reader.accounts(request.assetId);
      const wallets = new Map((await reader.wallets()).map((w) => [w.id, w]));
      const owner = request.clientId ? `client:${request.clientId}` : liabilityOwner(wallets.get(request.walletId ?? ''), request.walletId ?? '');
      const leaves = liabilityLeaves(accounts, wallets).get(request.assetId) ?? [];
      const { root, proofs } = buildLiabilityTree(request.assetId, leaves);
      const proof = proofs.find((p) => p.leaf.clientId === owner);
      if (!proof) throw new DomainError('not_found', `No ${request.assetId} balance is owed to ${owner}.`);
      return { ...proof, root, valid: checkLiabilityProof(proof, root).ok };
    });
  }

  /**
   * An export handed out for download (or located for "show in folder"): only a file this workspace wrote
   * into its exports folder, never any other path; each download is audited (it carries client data).
   */
  async readExport(file: string, content: boolean, operator: string): Promise<ExportDownload> {
    const folder = join(this.deps.home, 'exports');
    const real = existsSync(file) && existsSync(folder) ? realpathSync(file) : null;
    if (!real || !real.startsWith(realpathSync(folder) + sep) || !statSync(real).isFile()) {
      throw new DomainError('not_found', 'This export is not in the workspace’s exports folder any more.');
    }
    const bytes = statSync(real).size;
    if (content && bytes > MAX_DOWNLOAD_BYTES) {
      throw new DomainError('file_too_large', `This export is ${Math.round(bytes / 1048576)} MiB: open it from the exports folder instead.`);
    }
    const name = basename(real);
    if (content) await this.deps.audit.record({ operator, action: 'audit.export_downloaded', entity: { type: 'audit_export', id: name }, change: { file: real, bytes } });
    return { file: real, name, bytes, mimeType: EXPORT_TYPES[extname(name)] ?? 'application/octet-stream', base64: content ? readFileSync(real).toString('base64') : null };
  }

  private exportPath(stem: string, extension: string): string {
    return exportPath(this.deps.home, stem, extension);
  }

  private async written(file: string, content: string | Buffer, operator: string, action: string): Promise<ExportedFile> {
    const { bytes, sha256 } = writeExport(file, content);
    await this.deps.audit.record({ operator, action, entity: { type: 'audit_export', id: sha256 }, change: { file, bytes } });
    return { file, bytes, sha256 };
  }

  /**
   * A bundle reads on while the app keeps writing, so it needs a snapshot apart from the live connection:
   * a SQLite file or the PostgreSQL server gives one; a throwaway in-memory database does not.
   */
  private refuseInMemory(): void {
    if (this.deps.database.sqlite && this.deps.database.location === ':memory:') {
      throw new DomainError('conflict', 'An in-memory database cannot be exported as a bundle.');
    }
  }

  /** One consistent read of the live database, on SQLite or on the shared PostgreSQL server alike. */
  private withSnapshot<T>(work: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    return withReadSnapshot(this.deps.database, work);
  }
}

/**
 * The clients area's KYC files: each document's front and back scans, stored in <home>/kyc/<sha256>
 * with the hash recorded when uploaded. Read through plain SQL so the audit needs no more of that area.
 */
export function kycDocumentSource(db: Kysely<Database>, home: string, fetchShared: () => Promise<unknown> = async () => {}): AuditDocumentSource {
  return {
    async list() {
      if (!(await tableExists(db, 'kyc_documents'))) return [];
      // On a shared database, files uploaded at other workstations come into this folder first.
      await fetchShared();
      // A sealed file is checked against its sealed bytes' hash (no key needed); a file no client can open any more
      // (every client naming it erased) is gone by design.
      const sealing = await tableExists(db, 'kyc_file_seals');
      const rows = await sql<{ id: string; client_id: string; kind: string; front_sha256: string; back_sha256: string | null; front_sealed: string | null; back_sealed: string | null }>`
        select d.id, d.client_id, d.kind, d.front_sha256, d.back_sha256,
          ${sealing ? sql`(select sealed_sha256 from kyc_file_seals s where s.sha256 = d.front_sha256)` : sql`null`} as front_sealed,
          ${sealing ? sql`(select sealed_sha256 from kyc_file_seals s where s.sha256 = d.back_sha256)` : sql`null`} as back_sealed
        from kyc_documents d order by d.uploaded_at, d.id`.execute(db);
      const readable = new Set(
        sealing
          ? (await sql<{ sha256: string }>`select distinct k.sha256 from kyc_file_keys k join client_keys c on c.client_id = k.client_id where c.wrapped is not null`.execute(db)).rows.map((r) => r.sha256)
          : [],
      );
      const documents: AuditDocument[] = [];
      for (const row of rows.rows) {
        for (const [side, sha256, sealed] of [['front', row.front_sha256, row.front_sealed], ['back', row.back_sha256, row.back_sealed]] as const) {
          if (!sha256 || (sealed && !readable.has(sha256))) continue;
          documents.push({ id: `${row.id}.${side}`, owner: row.client_id, kind: `${row.kind} (${side})`, sha256: sealed ?? sha256, path: join(home, 'kyc', sha256), ...(sealed ? { scanSha256: sha256 } : {}) });
        }
      }
      return documents;
    },
  };
}
