import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from '../db/sqlite-binding';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kysely, SqliteDialect } from 'kysely';
import type { AuditMode, BundleVerification, ChainReconciliation, LiabilityProofView } from '@shared/domain/audit';
import { CHAINS, NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import type { SessionState } from '@shared/domain/operators';
import type { SystemStatus } from '@shared/domain/system';
import { allChannels } from '@shared/ipc/contract';
import { DomainError, fail, ok, type Result } from '@shared/result';
import type { z } from 'zod';
import { AssetRegistry } from '../chains/asset-registry';
import { ChainService } from '../chains/chain-service';
import { ConfigurationService } from '../configuration/configuration-service';
import { CustodyService } from '../custody/custody-service';
import type { Database, WalletRow } from '../db/schema';
import { EventBus } from '../events';
import { Ledger } from '../ledger/ledger';
import { KyselyLedgerStatements } from '../ledger/ledger-statements';
import { reconcile } from '../ledger/reconciliation';
import { WalletService } from '../wallets/wallet-service';
import { StatementBuilder } from '../statements/statement-builder';
import { StatementService } from '../statements/statement-service';
import { PriceBookStore } from '../valuation/price-book';
import { ValuationService } from '../valuation/valuation-service';
import type { ValuationCurrency } from '@shared/domain/valuation';
import { AuditLog } from './audit-log';
import { liabilityOwner } from './bundle-export';
import { BUNDLE } from './bundle-format';
import { verifyAuditBundle } from './bundle-verify';
import type { LiabilityProof } from './liability-proof';
import { checkLiabilityProof } from './liability-proof';
import { auditRecordView } from './record-view';
import { listTarEntries, readEntryLines, readEntryText, type TarEntry } from './tar-archive';
import { Traceability } from './traceability';

/** What the doors (headless host, Electron main) need from an engine: the same shape as a live one's. */
export interface AuditSnapshot {
  api: {
    readonly channels: readonly string[];
    call(channel: string, payload: unknown, context: unknown): Promise<Result<unknown>>;
  };
  events: EventBus;
  mode: Extract<AuditMode, { mode: 'snapshot' }>;
  verification: BundleVerification;
  close(): Promise<void>;
}

type Handler = (request: never) => Promise<unknown>;

/**
 * Offline review: opens an audit bundle read-only and answers the read channels from it. The bundle is
 * verified first (manifest, chain, ledger against journal); its tables are loaded into an in-memory
 * database that is then switched to query-only, so nothing can write, there is no seed to unlock, and no
 * chain endpoint is ever called. Every other channel is refused, naming the snapshot.
 */
export async function openAuditSnapshot(file: string, options: { anchor?: { seq: number; hash: string } } = {}): Promise<AuditSnapshot> {
  const verification = await verifyAuditBundle(file, options);
  const manifest = verification.manifest;
  if (!manifest) throw new DomainError('validation', `${file} is not a readable audit bundle: ${verification.findings[0]?.message ?? 'no manifest'}`);
  const entries = new Map(listTarEntries(file).map((e) => [e.name, e]));

  const sqlite = new BetterSqlite3(':memory:', sqliteOptions());
  await loadTables(file, entries, manifest.parts.map((p) => p.name), sqlite);
  sqlite.pragma('query_only = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });

  const events = new EventBus();
  const profile: NetworkProfile = (NETWORK_PROFILES as readonly string[]).includes(manifest.profile) ? (manifest.profile as NetworkProfile) : 'devnet';
  const audit = new AuditLog(db);
  const ledger = new Ledger(db, new KyselyLedgerStatements());
  const configuration = new ConfigurationService(db, events, profile, audit);
  const assets = new AssetRegistry(db, configuration, new ChainService(configuration), audit);
  // A custody over an empty folder that is never created: no seed, no keys, nothing to unlock.
  const wallets = new WalletService(db, new CustodyService(join(tmpdir(), `treasury-snapshot-${randomUUID()}`)), ledger, audit);
  const traceability = new Traceability(db, () => configuration.get());
  // Statements and valuation as the books stood when the bundle was made (values at the prices recorded by then).
  const at = () => new Date(manifest.createdAt);
  const statements = new StatementService({ home: tmpdir(), db, audit, assets, builder: new StatementBuilder(db, assets, traceability, async () => profile, async (id) => (await db.selectFrom('clients').select('legal_name').where('id', '=', id).executeTakeFirstOrThrow()).legal_name), now: at });
  const prices = new PriceBookStore(db, assets, audit, at);
  const valuation = new ValuationService({ db, ledger, assets, prices }, { now: at });
  const reconciliationEntry = entries.get(BUNDLE.reconciliation);
  const reconciliation = reconciliationEntry ? (JSON.parse(await readEntryText(file, reconciliationEntry)) as ChainReconciliation | null) : null;
  const proofs: LiabilityProof[] = [];
  const proofsEntry = entries.get(BUNDLE.liabilityProofs);
  if (proofsEntry) for await (const line of readEntryLines(file, proofsEntry)) if (line) proofs.push(JSON.parse(line) as LiabilityProof);

  const mode: AuditSnapshot['mode'] = {
    mode: 'snapshot',
    file,
    createdAt: manifest.createdAt,
    profile: manifest.profile,
    auditHead: manifest.auditHead,
    manifestSha256: verification.manifestSha256,
    verification: { ok: verification.ok, findingsTotal: verification.findingsTotal, findings: verification.findings },
  };
  const refusal = `This is an offline review of the audit bundle of ${manifest.createdAt}: a read-only snapshot, nothing can be changed or sent.`;

  const routes: Record<string, Handler> = {
    'system:status': async (): Promise<SystemStatus> => ({
      version: '0.1.0-snapshot',
      profile,
      host: 'headless',
      database: { dialect: 'sqlite', location: file, migrations: [], healthy: verification.ok },
      chains: CHAINS.map((chain) => ({ chain, endpoint: 'offline', reachable: false, error: 'offline review of an audit bundle' })),
      // No seed exists here, so nothing is locked: the renderer's custody gate lets the reader in.
      custody: { initialized: false, unlocked: true, fingerprint: null },
      startedAt: manifest.createdAt,
      now: manifest.createdAt,
    }),
    // Whoever opens the bundle reads it as an auditor: there are no operators, no sign-in and nothing to change.
    'system:session': async (): Promise<SessionState> => ({
      setupRequired: false,
      session: { operator: { id: 'offline-review', name: 'offline review', role: 'auditor' }, idleTimeoutSeconds: 0, startedAt: manifest.createdAt },
    }),
    // The bundle's own network, shown on every screen of the review like a workspace's.
    'system:workspaces': async () => ({ network: profile, workspaces: [{ network: profile, exists: true, current: true }], notice: null }),
    'configuration:get': () => configuration.get(),
    'configuration:assets': async ({ chain }: { chain?: (typeof CHAINS)[number] }) => assets.list(chain),
    'wallets:list': (request: Parameters<WalletService['list']>[0]) => wallets.list(request),
    'wallets:get': ({ walletId }: { walletId: string }) => wallets.get(walletId),
    'transfers:history': ({ walletId, assetId, cursor, limit }: { walletId: string; assetId: string; cursor?: string; limit: number }) =>
      ledger.history({ kind: 'client_wallet', assetId, walletId }, cursor, limit),
    'audit:mode': async () => mode,
    'audit:list': async (filter: Parameters<AuditLog['list']>[0]) => (await audit.list(filter)).map(auditRecordView),
    'audit:verify': () => audit.verify(),
    'audit:reconcile': () => reconcile(ledger),
    'audit:integrity': async () => verification,
    'audit:reconciliation': async () => {
      if (!reconciliation) throw new DomainError('not_found', 'This bundle was exported without a chain reconciliation.');
      return reconciliation;
    },
    'audit:explainBalance': ({ walletId, assetId, cursor, limit }: { walletId: string; assetId: string; cursor?: string; limit: number }) =>
      traceability.explainBalance(walletId, assetId, cursor, limit),
    'audit:trace': ({ transferId }: { transferId: string }) => traceability.trace(Number(transferId)),
    'audit:liabilityProof': async ({ assetId, walletId, clientId }: { assetId: string; walletId?: string; clientId?: string }): Promise<LiabilityProofView> => {
      let owner = `client:${clientId}`;
      if (walletId) {
        const wallet = await db.selectFrom('wallets').selectAll().where('id', '=', walletId).executeTakeFirst();
        owner = liabilityOwner(wallet as WalletRow | undefined, walletId);
      }
      const proof = proofs.find((p) => p.assetId === assetId && p.leaf.clientId === owner);
      const root = manifest.liabilities.find((r) => r.assetId === assetId);
      if (!proof || !root) throw new DomainError('not_found', `The bundle holds no ${assetId} proof for ${owner}.`);
      return { ...proof, root, valid: checkLiabilityProof(proof, root).ok };
    },
    'statements:get': ({ clientId, from, to }: { clientId: string; from: string; to: string }) => statements.get(clientId, from, to),
    'statements:verify': ({ sha256 }: { sha256: string }) => statements.verify(sha256),
    'valuation:prices': () => prices.book(),
    'valuation:totals': ({ currency }: { currency: ValuationCurrency }) => valuation.totals(currency),
    'valuation:series': ({ currency, days }: { currency: ValuationCurrency; days: number }) => valuation.series(currency, days),
    'audit:verifyBundle': ({ file: other, anchor }: { file: string; anchor?: { seq: number; hash: string } }) => verifyAuditBundle(other, { anchor }),
  };

  const schemas = new Map(allChannels().map((c) => [c.name, c.request]));
  return {
    events,
    mode,
    verification,
    api: {
      channels: [...schemas.keys()],
      async call(channel, payload) {
        const schema = typeof channel === 'string' ? schemas.get(channel) : undefined;
        if (!schema) return fail('not_found', 'Unknown channel.');
        const route = routes[channel];
        if (!route) return fail('forbidden', refusal, { snapshot: true });
        let parsed: ReturnType<z.ZodType['safeParse']>;
        try {
          parsed = schema.safeParse(payload ?? {});
        } catch {
          return fail('validation', 'The request is not valid.');
        }
        if (!parsed.success) {
          return fail('validation', 'The request is not valid.', {
            issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
          });
        }
        try {
          return ok(await route(parsed.data as never));
        } catch (error) {
          if (error instanceof DomainError) return fail(error.code, error.message, error.details);
          return fail('internal', 'The snapshot could not answer this request.');
        }
      },
    },
    close: () => db.destroy(),
  };
}

/** Rebuilds the bundle's tables from its schema and rows. Foreign keys are off: the rows are taken as they are. */
async function loadTables(file: string, entries: Map<string, TarEntry>, listed: string[], sqlite: BetterSqlite3.Database): Promise<void> {
  const schemaEntry = entries.get(BUNDLE.schema);
  if (!schemaEntry) throw new DomainError('validation', 'The bundle has no schema.sql.');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.exec(await readEntryText(file, schemaEntry));
  const known = new Set((sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
  for (const name of listed) {
    const match = /^tables\/([A-Za-z0-9_]+)\.jsonl$/.exec(name);
    const entry = entries.get(name);
    if (!match || !entry || !known.has(match[1]!)) continue;
    const table = match[1]!;
    const columns = new Set((sqlite.prepare('select name from pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name));
    let insert: BetterSqlite3.Statement | null = null;
    let keys: string[] = [];
    let batch: Array<Record<string, unknown>> = [];
    const flush = sqlite.transaction((rows: Array<Record<string, unknown>>) => {
      for (const row of rows) insert!.run(keys.map((k) => sqliteValue(row[k])));
    });
    for await (const line of readEntryLines(file, entry)) {
      if (!line) continue;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (!insert) {
        keys = Object.keys(row).filter((k) => columns.has(k));
        insert = sqlite.prepare(`insert or ignore into "${table}" (${keys.map((k) => `"${k}"`).join(', ')}) values (${keys.map(() => '?').join(', ')})`);
      }
      batch.push(row);
      if (batch.length >= 10_000) {
        flush(batch);
        batch = [];
      }
    }
    if (insert && batch.length > 0) flush(batch);
  }
}

function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null) {
    const v = value as { type?: string; data?: number[] };
    if (v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
