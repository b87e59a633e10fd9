import type { Kysely } from 'kysely';
import type { BalanceExplanation, ChainLink, ExplainedEntry, TransferTrace } from '@shared/domain/audit';
import { CHAINS, type Chain } from '@shared/domain/chains';
import type { Configuration } from '@shared/domain/configuration';
import { DomainError } from '@shared/result';
import type { AuditRecordRow, Database, LedgerTransferRow } from '../db/schema';
import { accountCode } from '../ledger/accounts';
import { auditRecordView } from './record-view';

/** The profile's explorer page for a transaction, or null where the profile has none (devnet). */
export function explorerTxUrl(configuration: { chains: Record<Chain, Pick<Configuration['chains'][Chain], 'explorerUrl'>> }, chain: Chain, txHash: string): string | null {
  const base = configuration.chains[chain]?.explorerUrl?.replace(/\/+$/, '');
  if (!base) return null;
  if (chain === 'tron') return `${base}/transaction/${txHash.replace(/^0x/i, '')}`;
  return `${base}/tx/${txHash}`;
}

const DEPOSIT_KEY = /^deposit:([a-z]+):((?:0x)?[0-9a-fA-F]{64}):(-?[0-9]+)$/;
const TX_HASH = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * Where a ledger entry meets the chain. The flows journal their steps (deposit seen, sweep broadcast,
 * withdrawal confirmed) with the transaction in the change; the entry's cause names that flow record, so
 * the link is read from the cause's own audit trail. A deposit credit's idempotency key is the chain's
 * identity of the movement, which stands in when the trail has none.
 */
export class Traceability {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: () => Promise<Configuration>,
  ) {}

  async chainLinks(transfers: LedgerTransferRow[]): Promise<Map<number, ChainLink>> {
    const configuration = await this.configuration();
    const links = new Map<number, ChainLink>();
    const trails = new Map<string, AuditRecordRow[]>();
    for (const t of transfers) {
      if (!t.cause_type || !t.cause_id) continue;
      const key = `${t.cause_type}\u0000${t.cause_id}`;
      if (!trails.has(key)) trails.set(key, await this.causeRecords(t.cause_type, t.cause_id));
    }
    for (const t of transfers) {
      const trail = t.cause_type && t.cause_id ? trails.get(`${t.cause_type}\u0000${t.cause_id}`) ?? [] : [];
      const link = linkFromTrail(trail, t.asset_id.split(':')[0]!) ?? linkFromKey(t.idempotency_key);
      if (link) links.set(t.id, { ...link, explorerUrl: explorerTxUrl(configuration, link.chain as Chain, link.txHash) });
    }
    return links;
  }

  async causeRecords(type: string, id: string, limit = 100): Promise<AuditRecordRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('entity_type', '=', type).where('entity_id', '=', id).orderBy('seq').limit(limit).execute();
  }

  async trace(transferId: number): Promise<TransferTrace> {
    const t = await this.db.selectFrom('ledger_transfers').selectAll().where('id', '=', transferId).executeTakeFirst();
    if (!t) throw new DomainError('not_found', `Transfer ${transferId} does not exist.`);
    const accounts = await this.db.selectFrom('ledger_accounts').select(['id', 'code']).where('id', 'in', [t.debit_account_id, t.credit_account_id]).execute();
    const code = (id: number) => accounts.find((a) => a.id === id)?.code ?? `#${id}`;
    const record = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'ledger_transfer')
      .where('entity_id', '=', String(t.id))
      .orderBy('seq')
      .executeTakeFirst();
    const causeRecords = t.cause_type && t.cause_id ? await this.causeRecords(t.cause_type, t.cause_id) : [];
    const links = await this.chainLinks([t]);
    return {
      transferId: String(t.id),
      idempotencyKey: t.idempotency_key,
      kind: t.kind,
      code: t.code,
      assetId: t.asset_id,
      amount: t.amount,
      debit: code(t.debit_account_id),
      credit: code(t.credit_account_id),
      createdAt: t.created_at,
      operator: t.operator,
      cause: t.cause_type && t.cause_id ? { type: t.cause_type, id: t.cause_id } : null,
      auditRecord: record ? auditRecordView(record) : null,
      causeRecords: causeRecords.map(auditRecordView),
      chainLink: links.get(t.id) ?? null,
    };
  }

  /**
   * A client balance explained entry by entry from zero: each transfer with the running balance after it,
   * its journal record and its chain transaction. The last page says whether the entries add up to the
   * balance the ledger keeps.
   */
  async explainBalance(walletId: string, assetId: string, cursor: string | undefined, limit: number): Promise<BalanceExplanation> {
    const wallet = await this.db.selectFrom('wallets').select('id').where('id', '=', walletId).executeTakeFirst();
    if (!wallet) throw new DomainError('not_found', `Wallet ${walletId} does not exist.`);
    const after = cursor === undefined ? 0 : Number.parseInt(cursor, 10);
    if (!Number.isSafeInteger(after) || after < 0) throw new DomainError('validation', 'The page cursor is not valid.');
    const account = await this.db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where('code', '=', accountCode({ kind: 'client_wallet', assetId, walletId }))
      .executeTakeFirst();
    const empty = { walletId, assetId, opening: { posted: '0', pending: '0' }, entries: [], materialized: { posted: '0', pending: '0' }, explained: true, nextCursor: null };
    if (!account) return empty;
    const rows = await this.db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id')
      .innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id')
      .selectAll('t')
      .select(['d.code as debit_code', 'c.code as credit_code'])
      .where((eb) => eb.or([eb('t.debit_account_id', '=', account.id), eb('t.credit_account_id', '=', account.id)]))
      .orderBy('t.id')
      .execute();
    let posted = 0n;
    let pending = 0n;
    let opening = { posted: '0', pending: '0' };
    const page: Array<{ row: (typeof rows)[number]; postedAfter: bigint; pendingAfter: bigint }> = [];
    let more = false;
    for (const row of rows) {
      // Client wallets are credit-normal: money in is a credit.
      const sign = row.credit_account_id === account.id ? 1n : -1n;
      const amount = BigInt(row.amount) * sign;
      if (row.kind === 'posted') posted += amount;
      else if (row.kind === 'pending') pending += amount;
      else {
        pending -= amount;
        if (row.kind === 'post_pending') posted += amount;
      }
      if (row.id <= after) {
        opening = { posted: posted.toString(), pending: pending.toString() };
        continue;
      }
      if (page.length === limit) {
        more = true;
        continue;
      }
      page.push({ row, postedAfter: posted, pendingAfter: pending });
    }
    const materialized = {
      posted: (BigInt(account.credits_posted) - BigInt(account.debits_posted)).toString(),
      pending: (BigInt(account.credits_pending) - BigInt(account.debits_pending)).toString(),
    };
    const ids = page.map((p) => String(p.row.id));
    const records = ids.length
      ? await this.db.selectFrom('audit_log').select(['seq', 'entity_id']).where('entity_type', '=', 'ledger_transfer').where('entity_id', 'in', ids).execute()
      : [];
    const seqOf = new Map(records.map((r) => [r.entity_id, r.seq]));
    const links = await this.chainLinks(page.map((p) => p.row));
    const entries: ExplainedEntry[] = page.map(({ row, postedAfter, pendingAfter }) => {
      const incoming = row.credit_account_id === account.id;
      return {
        transferId: String(row.id),
        at: row.created_at,
        kind: row.kind,
        code: row.code,
        direction: incoming ? 'in' : 'out',
        amount: row.amount,
        counterparty: incoming ? row.debit_code : row.credit_code,
        cause: row.cause_type && row.cause_id ? { type: row.cause_type, id: row.cause_id } : null,
        memo: row.memo,
        operator: row.operator,
        postedAfter: postedAfter.toString(),
        pendingAfter: pendingAfter.toString(),
        auditSeq: seqOf.get(String(row.id)) ?? null,
        chainLink: links.get(row.id) ?? null,
      };
    });
    return {
      walletId,
      assetId,
      opening,
      entries,
      materialized,
      explained: more ? null : posted.toString() === materialized.posted && pending.toString() === materialized.pending,
      nextCursor: more ? ids[ids.length - 1]! : null,
    };
  }
}

/** The last transaction a cause's records name; a record that names no chain is on the entry's asset's chain. */
function linkFromTrail(trail: AuditRecordRow[], assetChain: string): Omit<ChainLink, 'explorerUrl'> | null {
  const found: Array<Omit<ChainLink, 'explorerUrl'>> = [];
  for (const record of trail) {
    let change: Record<string, unknown>;
    try {
      change = JSON.parse(record.change) as Record<string, unknown>;
    } catch {
      continue;
    }
    const txHash = typeof change.txHash === 'string' && TX_HASH.test(change.txHash) ? change.txHash : null;
    const previous = found[found.length - 1];
    const chain: string | undefined =
      typeof change.chain === 'string' && (CHAINS as readonly string[]).includes(change.chain) ? change.chain : previous?.chain;
    if (!txHash && !previous) continue;
    found.push({
      chain: chain ?? ((CHAINS as readonly string[]).includes(assetChain) ? assetChain : ''),
      txHash: txHash ?? previous!.txHash,
      logIndex: typeof change.logIndex === 'number' ? change.logIndex : (previous?.logIndex ?? null),
      blockNumber:
        typeof change.blockNumber === 'string' || typeof change.blockNumber === 'number' ? String(change.blockNumber) : (previous?.blockNumber ?? null),
    });
  }
  const link = found[found.length - 1];
  return link && link.chain ? link : null;
}

function linkFromKey(key: string): Omit<ChainLink, 'explorerUrl'> | null {
  const match = DEPOSIT_KEY.exec(key);
  if (!match || !(CHAINS as readonly string[]).includes(match[1]!)) return null;
  return { chain: match[1]!, txHash: match[2]!, logIndex: Number(match[3]), blockNumber: null };
}
