import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import type { Asset } from '@shared/domain/assets';
import type { BundleExport, BundleManifest, BundlePart, ChainReconciliation, LiabilityRootView } from '@shared/domain/audit';
import type { AccountKind } from '@shared/domain/ledger';
import type { AuditRecordRow, LedgerAccountRow, LedgerTransferRow, WalletRow } from '../db/schema';
import { balanceOf } from '../ledger/balance';
import { BUNDLE, README, WITHHELD, WITHHELD_COLUMN, type AuditDocument, type DocumentLine, type PersonalDataMode, type PersonalDataSource } from './bundle-format';
import { GENESIS_HASH } from './audit-log';
import { ChainVerifier } from './chain-verifier';
import { TransferCsv, writeBalancesCsv } from './csv-export';
import { buildLiabilityTree, type LiabilityLeaf } from './liability-proof';
import { renderAuditReport, type CoverageLine } from './pdf-report';
import type { SnapshotReader } from './read-snapshot';
import { TarWriter } from './tar-archive';

export interface BundleExportRequest {
  /** One consistent read of the live database (SQLite or PostgreSQL): every part describes its moment. */
  snapshot: SnapshotReader;
  file: string;
  createdBy: string;
  profile: string;
  assets: Asset[];
  reconciliation: ChainReconciliation | null;
  documents: AuditDocument[];
  includeDocuments: boolean;
  /** Client personal data: pseudonymized unless the exporter asked for it in clear. */
  personalData: { mode: PersonalDataMode; source: PersonalDataSource | null };
}

const YIELD_EVERY = 50_000;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Owner of a wallet's balances in the liability tree: its client, or the wallet itself until it has one. */
export function liabilityOwner(wallet: Pick<WalletRow, 'id' | 'client_id'> | undefined, walletId: string): string {
  return wallet?.client_id ? `client:${wallet.client_id}` : `wallet:${walletId}`;
}

export function coverageOf(accounts: Iterable<LedgerAccountRow>, decimalsOf: (assetId: string) => number | null): CoverageLine[] {
  const byAsset = new Map<string, CoverageLine>();
  for (const a of accounts) {
    const line = byAsset.get(a.asset_id) ?? {
      assetId: a.asset_id, decimals: decimalsOf(a.asset_id), clientLiabilities: 0n, companyReserve: 0n, holdings: 0n, uncoveredCredit: 0n,
    };
    const posted = balanceOf(a.kind as AccountKind, totalsOf(a)).posted;
    if (a.kind === 'client_wallet') line.clientLiabilities += posted;
    else if (a.kind === 'company_reserve' || a.kind === 'fee_revenue') line.companyReserve += posted;
    else if (a.kind === 'holding' || a.kind === 'deposit_in_transit' || a.kind === 'deposit_gas') line.holdings += posted;
    else if (a.kind === 'uncovered_credit') line.uncoveredCredit += posted;
    byAsset.set(a.asset_id, line);
  }
  return [...byAsset.values()].sort((x, y) => x.assetId.localeCompare(y.assetId));
}

export function totalsOf(a: LedgerAccountRow) {
  return {
    debitsPosted: BigInt(a.debits_posted),
    creditsPosted: BigInt(a.credits_posted),
    debitsPending: BigInt(a.debits_pending),
    creditsPending: BigInt(a.credits_pending),
  };
}

/** Liability leaves per asset from posted client balances, each with a fresh random nonce. */
export function liabilityLeaves(accounts: Iterable<LedgerAccountRow>, wallets: Map<string, WalletRow>): Map<string, LiabilityLeaf[]> {
  const byAsset = new Map<string, Map<string, bigint>>();
  for (const a of accounts) {
    if (a.kind !== 'client_wallet' || !a.wallet_id) continue;
    const owner = liabilityOwner(wallets.get(a.wallet_id), a.wallet_id);
    const owners = byAsset.get(a.asset_id) ?? new Map<string, bigint>();
    owners.set(owner, (owners.get(owner) ?? 0n) + balanceOf('client_wallet', totalsOf(a)).posted);
    byAsset.set(a.asset_id, owners);
  }
  const leaves = new Map<string, LiabilityLeaf[]>();
  for (const [assetId, owners] of [...byAsset.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    leaves.set(
      assetId,
      [...owners.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([clientId, balance]) => ({ clientId, balance: balance.toString(), nonce: randomBytes(32).toString('hex') })),
    );
  }
  return leaves;
}

/**
 * Writes the audit bundle: one tar with every table, the reconciliation snapshot, the liability tree and
 * its proofs, document hashes, CSV and PDF renderings, and last the manifest of every part's SHA-256 and
 * the audit chain's head.
 */
export async function exportAuditBundle(request: BundleExportRequest): Promise<BundleExport> {
  const started = performance.now();
  const reader = request.snapshot;
  const tar = new TarWriter(request.file);
  try {
    const parts: BundlePart[] = [];
    const add = (part: { name: string; bytes: number; sha256: string }, rows?: number) => parts.push(rows === undefined ? part : { ...part, rows });
    add(tar.add(BUNDLE.readme, README));

    const tables = await reader.tables();
    add(tar.add(BUNDLE.schema, (await reader.schema(tables)).map((statement) => `${statement};\n`).join('')));

    const accounts = await reader.accounts();
    const wallets = new Map((await reader.wallets()).map((w) => [w.id, w]));
    const codes = new Map(accounts.map((a) => [a.id, a.code]));

    const chain = new ChainVerifier();
    let auditHead = { seq: 0, hash: GENESIS_HASH };
    let transferCount = 0;
    for (const table of tables) {
      const withheld = (await reader.columns(table)).filter((c) => WITHHELD_COLUMN.test(c));
      tar.begin(BUNDLE.table(table));
      let rows = 0;
      let buffer = '';
      const personal = request.personalData.source?.tables.has(table) ? request.personalData.source : null;
      for await (const batch of reader.rows(table)) {
        for (const original of batch) {
          const row = personal ? await personal.row(table, original, request.personalData.mode) : original;
          for (const column of withheld) if (row[column] !== null) row[column] = WITHHELD;
          if (table === 'audit_log') {
            chain.push(row as unknown as AuditRecordRow);
            auditHead = { seq: row.seq as number, hash: row.hash as string };
          }
          buffer += `${JSON.stringify(row)}\n`;
          rows += 1;
          if (buffer.length > 1 << 20) {
            tar.write(buffer);
            buffer = '';
          }
          if (rows % YIELD_EVERY === 0) await pause();
        }
      }
      tar.write(buffer);
      if (table === 'ledger_transfers') transferCount = rows;
      add(tar.end(), rows);
    }
    const verdict = chain.verdict();

    // Documents: hashes always, files when asked. A file that no longer hashes to its record is exported as it is.
    // With personal data in clear, sealed scans travel opened and are listed by the scan's own hash.
    const documentLines: DocumentLine[] = [];
    const opened = new Map<number, Buffer>();
    const openScans = request.includeDocuments && request.personalData.mode === 'included' ? request.personalData.source : null;
    for (const [i, doc] of request.documents.entries()) {
      const scan = openScans && doc.scanSha256 ? await openScans.openScan(doc.scanSha256) : null;
      if (scan) opened.set(i, scan);
      const fileSha256 = scan ? createHash('sha256').update(scan).digest('hex') : existsSync(doc.path) ? await sha256File(doc.path) : null;
      const sha256 = scan ? doc.scanSha256! : doc.sha256;
      documentLines.push({ id: doc.id, owner: doc.owner, kind: doc.kind, sha256, fileSha256, included: request.includeDocuments && fileSha256 !== null });
    }
    add(tar.add(BUNDLE.documents, documentLines.map((d) => `${JSON.stringify(d)}\n`).join('')), documentLines.length);
    if (request.includeDocuments) {
      for (const [i, doc] of request.documents.entries()) {
        if (!documentLines[i]!.included) continue;
        tar.begin(BUNDLE.document(doc.id));
        const scan = opened.get(i);
        if (scan) tar.write(scan);
        else for await (const chunk of createReadStream(doc.path)) tar.write(chunk as Buffer);
        add(tar.end());
      }
    }

    const liabilities: LiabilityRootView[] = [];
    tar.begin(BUNDLE.liabilityProofs);
    for (const [assetId, leaves] of liabilityLeaves(accounts, wallets)) {
      const { root, proofs } = buildLiabilityTree(assetId, leaves);
      liabilities.push(root);
      for (const proof of proofs) tar.write(`${JSON.stringify(proof)}\n`);
    }
    add(tar.end());
    add(tar.add(BUNDLE.liabilities, `${JSON.stringify(liabilities, null, 2)}\n`));
    add(tar.add(BUNDLE.reconciliation, `${JSON.stringify(request.reconciliation, null, 2)}\n`));

    tar.begin(BUNDLE.transfersCsv);
    const csv = new TransferCsv(tar, (id) => codes.get(id) ?? `#${id}`, request.profile);
    let n = 0;
    for await (const page of reader.paged<LedgerTransferRow>('ledger_transfers')) {
      for (const t of page) csv.add(t);
      n += page.length;
    }
    add(tar.end(), n);
    tar.begin(BUNDLE.balancesCsv);
    writeBalancesCsv(tar, accounts, (walletId) => wallets.get(walletId)?.client_id ?? null, request.profile);
    add(tar.end(), accounts.length);

    const decimals = new Map(request.assets.map((a) => [a.id, a.decimals]));
    const createdAt = new Date().toISOString();
    const pdf = await renderAuditReport({
      createdAt,
      profile: request.profile,
      auditHead,
      auditChain: verdict,
      coverage: coverageOf(accounts, (id) => decimals.get(id) ?? null),
      reconciliation: request.reconciliation,
      liabilities,
      assets: request.assets,
    });
    add(tar.add(BUNDLE.report, Buffer.from(pdf)));

    const manifest: BundleManifest = {
      format: 'treasury-audit-bundle',
      version: 1,
      createdAt,
      createdBy: request.createdBy,
      profile: request.profile,
      auditHead,
      ledger: { transfers: transferCount, accounts: accounts.length },
      liabilities,
      documents: { count: documentLines.length, included: request.includeDocuments },
      personalData: request.personalData.mode,
      parts,
    };
    const manifestPart = tar.add(BUNDLE.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    const bytes = tar.close();
    return { file: request.file, bytes, manifestSha256: manifestPart.sha256, auditHead, parts, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    tar.abort();
    rmSync(request.file, { force: true });
    throw error;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
