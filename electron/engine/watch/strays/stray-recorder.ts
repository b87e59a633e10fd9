import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { ChainAdapter, ObservedStray, ObservedTransfer } from '@engine/chains/adapter';
import { tokenMetadataProblem } from '@engine/chains/asset-registry';
import type { AuditEntry, AuditLog } from '@engine/audit/audit-log';
import type { Database } from '@engine/db/schema';
import type { UnidentifiedFundKind } from '@shared/domain/unidentified-funds';

type Db = Kysely<Database>;

/** Deposit addresses of one chain family: this chain's wallets and (EVM) the other EVM chain's, by matching key. */
export interface StrayAddressBook {
  wallets: Map<string, string>;
  foreign: Map<string, string>;
}

type Kind = UnidentifiedFundKind;

/** One entry put into the "Unidentified funds" queue by a scan. */
export interface RecordedStray {
  id: string;
  kind: Kind;
  symbol: string | null;
  decimals: number | null;
  walletId: string;
  amount: bigint;
}

interface Candidate {
  kind: Kind;
  contract: string | null;
  symbol: string | null;
  decimals: number | null;
  walletId: string;
  /** The transaction's signer: where a return to the sender goes unless an officer says otherwise. */
  txSender: string | null;
  transfer: Pick<ObservedStray, 'txHash' | 'eventIndex' | 'blockNumber' | 'blockHash' | 'from' | 'to' | 'amount'>;
}

/**
 * Puts what reached our deposit addresses but is no creditable deposit into the "Unidentified funds" queue:
 * unknown tokens and internal native transfers (the adapter's strays) and registry assets paid to a wallet of
 * the other EVM chain. The holding address is not a deposit address: what reaches it stays with the company.
 * Token symbol and decimals are read from the contract once, before the recording transaction.
 */
export class StrayRecorder {
  private readonly metadata = new Map<string, { symbol: string; decimals: number } | null>();

  constructor(
    private readonly chain: Chain,
    private readonly audit: AuditLog,
  ) {}

  private key(address: string): string {
    return this.chain === 'tron' ? address : address.toLowerCase();
  }

  /** Reads symbol/decimals of the unknown contracts among `strays` (null when the contract does not answer as a token). */
  async prepare(adapter: ChainAdapter, strays: ObservedStray[], assets: Asset[], foreignFound: ObservedTransfer[], book: StrayAddressBook, closedFound: ObservedTransfer[] = []): Promise<Candidate[]> {
    const byId = new Map(assets.map((a) => [a.id, a]));
    const candidates: Candidate[] = [];
    for (const stray of strays) {
      const toKey = this.key(stray.to);
      const own = book.wallets.get(toKey);
      const foreign = book.foreign.get(toKey);
      const walletId = own ?? foreign;
      if (!walletId) continue;
      let meta: { symbol: string; decimals: number } | null = null;
      if (stray.contract) {
        if (!this.metadata.has(stray.contract)) {
          // A symbol that cannot be shown safely (spam puts URLs there) or absurd decimals are not kept: "unnamed token".
          const read = await adapter.tokenMetadata(stray.contract).catch(() => null);
          this.metadata.set(stray.contract, read && tokenMetadataProblem(read) === null ? read : null);
        }
        meta = this.metadata.get(stray.contract) ?? null;
      } else {
        const native = assets.find((a) => a.contract === null);
        meta = native ? { symbol: native.symbol, decimals: native.decimals } : null;
      }
      candidates.push({ kind: own ? stray.kind : 'other_chain', contract: stray.contract, symbol: meta?.symbol ?? null, decimals: meta?.decimals ?? null, walletId, txSender: null, transfer: stray });
    }
    // Registry assets that are no creditable deposit: paid on the other EVM chain, or to a closed wallet's address.
    const registryStrays = [...foreignFound.map((t) => ({ transfer: t, kind: 'other_chain' as const, walletId: book.foreign.get(this.key(t.to)) })), ...closedFound.map((t) => ({ transfer: t, kind: 'closed_wallet' as const, walletId: book.wallets.get(this.key(t.to)) }))];
    for (const { transfer, kind, walletId } of registryStrays) {
      const asset = byId.get(transfer.assetId);
      if (!walletId || !asset) continue;
      candidates.push({
        kind,
        contract: asset.contract,
        symbol: asset.symbol,
        decimals: asset.decimals,
        walletId,
        txSender: null,
        transfer: { ...transfer, eventIndex: transfer.logIndex },
      });
    }
    // One read per transaction; a node that cannot say leaves it to the proposal (it reads it again).
    const senders = new Map<string, string | null>();
    for (const c of candidates) {
      if (!senders.has(c.transfer.txHash)) senders.set(c.transfer.txHash, await adapter.transactionSender(c.transfer.txHash).catch(() => null));
      c.txSender = senders.get(c.transfer.txHash) ?? null;
    }
    return candidates;
  }

  /**
   * Strays an approved recovery adopted as deposits, as the transfers of those deposits: the watcher records them
   * like any deposit, so one a reorg orphaned (its credit reversed) is seen and booked again when it comes back.
   */
  async adoptedDeposits(db: Db, profile: string, strays: ObservedStray[]): Promise<ObservedTransfer[]> {
    if (strays.length === 0) return [];
    const rows = await db
      .selectFrom('unidentified_funds as u')
      .innerJoin('deposits as d', 'd.id', 'u.deposit_id')
      .select(['u.tx_hash', 'u.event_index', 'd.asset_id'])
      .where('u.profile', '=', profile)
      .where('u.chain', '=', this.chain)
      .where('u.tx_hash', 'in', [...new Set(strays.map((s) => s.txHash))])
      .execute();
    const assetOf = new Map(rows.map((r) => [`${r.tx_hash.toLowerCase()}:${r.event_index}`, r.asset_id]));
    return strays.flatMap((stray) => {
      const assetId = assetOf.get(`${stray.txHash.toLowerCase()}:${stray.eventIndex}`);
      return assetId ? [{ chain: stray.chain, assetId, txHash: stray.txHash, logIndex: stray.eventIndex, blockNumber: stray.blockNumber, blockHash: stray.blockHash, from: stray.from, to: stray.to, amount: stray.amount }] : [];
    });
  }

  /**
   * New rows as seen; a row a reorg orphaned is seen again when the chain includes its transaction again.
   * Returns what was recorded (for the officer's alert).
   */
  async record(trx: Db, profile: string, candidates: Candidate[], ownTxs: ReadonlySet<string>): Promise<RecordedStray[]> {
    const entries: AuditEntry[] = [];
    const recorded: RecordedStray[] = [];
    const at = new Date().toISOString();
    for (const c of candidates) {
      if (ownTxs.has(c.transfer.txHash.toLowerCase())) continue;
      const existing = await trx
        .selectFrom('unidentified_funds')
        .select(['id', 'state'])
        .where('profile', '=', profile)
        .where('chain', '=', this.chain)
        .where('tx_hash', '=', c.transfer.txHash)
        .where('event_index', '=', c.transfer.eventIndex)
        .executeTakeFirst();
      if (existing && existing.state !== 'orphaned') continue;
      const blockNumber = Number(c.transfer.blockNumber);
      let id: string;
      if (existing) {
        id = existing.id;
        await trx
          .updateTable('unidentified_funds')
          .set({ state: 'seen', block_number: blockNumber, block_hash: c.transfer.blockHash, updated_at: at })
          .where('id', '=', id)
          .execute();
      } else {
        id = randomUUID();
        await trx
          .insertInto('unidentified_funds')
          .values({
            id,
            profile,
            chain: this.chain,
            kind: c.kind,
            token_contract: c.contract,
            symbol: c.symbol,
            decimals: c.decimals,
            address: c.transfer.to,
            wallet_id: c.walletId,
            from_address: c.transfer.from,
            amount: c.transfer.amount.toString(),
            tx_hash: c.transfer.txHash,
            event_index: c.transfer.eventIndex,
            block_number: blockNumber,
            block_hash: c.transfer.blockHash,
            tx_sender: c.txSender,
            state: 'seen',
            seen_at: at,
            updated_at: at,
          })
          .execute();
      }
      recorded.push({ id, kind: c.kind, symbol: c.symbol, decimals: c.decimals, walletId: c.walletId, amount: c.transfer.amount });
      entries.push({
        operator: 'watcher',
        action: 'unidentified_funds.seen',
        entity: { type: 'unidentified_funds', id },
        change: {
          chain: this.chain,
          kind: c.kind,
          tokenContract: c.contract,
          walletId: c.walletId,
          address: c.transfer.to,
          from: c.transfer.from,
          amount: c.transfer.amount.toString(),
          txHash: c.transfer.txHash,
          eventIndex: c.transfer.eventIndex,
          blockNumber,
        },
      });
    }
    await this.audit.recordMany(entries, trx);
    return recorded;
  }
}

/** A reorg took these blocks away: what was seen in them waits for the chain to include it again. */
export async function orphanStraysAbove(trx: Db, profile: string, chain: Chain, forkPoint: number): Promise<void> {
  await trx
    .updateTable('unidentified_funds')
    .set({ state: 'orphaned', updated_at: new Date().toISOString() })
    .where('profile', '=', profile)
    .where('chain', '=', chain)
    .where('block_number', '>', forkPoint)
    .execute();
}
