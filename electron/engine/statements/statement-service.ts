import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { IssuedStatement, Statement, StatementFormat, StatementVerification } from '@shared/domain/statements';
import type { AssetRegistry } from '../chains/asset-registry';
import type { AuditLog } from '../audit/audit-log';
import { exportPath, writeExport } from '../audit/export-files';
import type { Database } from '../db/schema';
import { renderStatementCsv } from './statement-csv';
import { renderStatementPdf } from './statement-pdf';
import type { StatementBuilder } from './statement-builder';

const ISSUED = 'statement.issued';

/**
 * Client statements as files: each issued one is written to the data folder's exports and its SHA-256
 * recorded in the audit log (`statement.issued`), so whoever holds a copy can have it checked later.
 */
export class StatementService {
  constructor(
    private readonly deps: {
      home: string;
      db: Kysely<Database>;
      audit: AuditLog;
      assets: AssetRegistry;
      builder: StatementBuilder;
      now?: () => Date;
    },
  ) {}

  get(clientId: string, from: string, to: string): Promise<Statement> {
    return this.deps.builder.build(clientId, from, to, this.now().toISOString());
  }

  async issue(request: { clientId: string; from: string; to: string; format: StatementFormat }, operator: string): Promise<IssuedStatement> {
    const issuedAt = this.now();
    const statement = await this.deps.builder.build(request.clientId, request.from, request.to, issuedAt.toISOString());
    const assets = new Map((await this.deps.assets.list()).map((a) => [a.id, a]));
    const native = (assetId: string) => assets.get(assetId) ?? null;
    const content =
      request.format === 'pdf' ? Buffer.from(await renderStatementPdf(statement, native)) : Buffer.from(renderStatementCsv(statement, native), 'utf8');
    const stem = `statement-${slug(statement.client.name)}-${request.from}-to-${request.to}-${statement.network}`;
    const written = writeExport(exportPath(this.deps.home, stem, request.format, issuedAt), content);
    await this.deps.audit.record({
      operator,
      action: ISSUED,
      entity: { type: 'statement', id: written.sha256 },
      change: {
        clientId: request.clientId,
        clientName: statement.client.name,
        from: request.from,
        to: request.to,
        format: request.format,
        network: statement.network,
        bytes: written.bytes,
        file: basename(written.file),
        issuedAt: issuedAt.toISOString(),
        closing: Object.fromEntries(statement.assets.map((a) => [a.assetId, a.closing])),
      },
    });
    return {
      fileName: basename(written.file),
      format: request.format,
      bytes: written.bytes,
      sha256: written.sha256,
      issuedAt: issuedAt.toISOString(),
      content: content.toString('base64'),
      file: written.file,
    };
  }

  /** Whether the books issued a file with this hash: the audit log's record of it, if any. */
  async verify(sha256: string): Promise<StatementVerification> {
    const record = await this.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'statement')
      .where('entity_id', '=', sha256)
      .where('action', '=', ISSUED)
      .orderBy('seq')
      .executeTakeFirst();
    if (!record) return { sha256, issued: false };
    const change = JSON.parse(record.change) as { clientName: string; from: string; to: string; format: StatementFormat; issuedAt?: string };
    return {
      sha256,
      issued: true,
      issuedAt: change.issuedAt ?? record.at,
      issuedBy: record.operator,
      clientName: change.clientName,
      from: change.from,
      to: change.to,
      format: change.format,
      auditSeq: record.seq,
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** A client's name as a file-name part: ASCII letters and digits, dashes between. */
function slug(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return plain || 'client';
}
