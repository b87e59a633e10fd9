import { sql, type Kysely } from 'kysely';
import type { SearchResults } from '@shared/domain/activity';
import type { Chain } from '@shared/domain/chains';
import type { Database } from '../db/schema';
import type { ClientService } from '../clients/client-service';

type Db = Kysely<Database>;

/** LIKE text with its wildcards taken literally (paired with `escape '\'`). */
const literal = (text: string) => text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

/** A hash typed with or without its 0x: EVM hashes carry it, Tron's do not. */
function hashPrefixes(text: string): string[] {
  const t = text.toLowerCase();
  return t.startsWith('0x') ? [t, t.slice(2)] : [t, `0x${t}`];
}

/**
 * Ctrl+K in the engine: clients by name (through the client service, names are sealed at rest), wallets by
 * alias or address, deposits, withdrawals and sweeps by a transaction hash's prefix or their id; `limit` of each.
 */
export class GlobalSearch {
  constructor(
    private readonly db: Db,
    private readonly clients: ClientService,
  ) {}

  async search(text: string, limit: number, options: { clients: boolean }): Promise<SearchResults> {
    const q = text.trim();
    const [clients, wallets, transactions] = await Promise.all([
      options.clients ? this.clients.findByName(q, limit) : Promise.resolve([]),
      this.wallets(q, limit),
      this.transactions(q, limit),
    ]);
    return {
      clients: clients.map((c) => ({ kind: 'client', clientId: c.id, name: c.legalName, kycStatus: c.kycStatus })),
      wallets: await Promise.all(
        wallets.map(async (w) => ({
          kind: 'wallet' as const,
          walletId: w.id,
          label: w.label,
          chain: w.chain as Chain,
          address: w.address,
          clientName: options.clients && w.client_id ? await this.clients.row(w.client_id).then((c) => c.legal_name || null, () => null) : null,
          matched: w.label.toLowerCase().includes(q.toLowerCase()) ? ('alias' as const) : ('address' as const),
        })),
      ),
      transactions,
    };
  }

  private async wallets(q: string, limit: number) {
    const like = `%${literal(q)}%`;
    return this.db
      .selectFrom('wallets')
      .select(['id', 'label', 'chain', 'address', 'client_id'])
      .where((eb) => eb.or([sql<boolean>`lower(label) like ${like} escape '\\'`, sql<boolean>`lower(address) like ${like} escape '\\'`]))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  private async transactions(q: string, limit: number): Promise<SearchResults['transactions']> {
    // A hash is matched from four hex digits on: fewer would match nearly every transaction.
    const prefixes = /^(0x)?[0-9a-f]{4,}$/i.test(q) ? hashPrefixes(q).map((p) => `${literal(p)}%`) : [];
    const byHash = (column: string) =>
      prefixes.length === 0 ? sql`1 = 0` : sql.join(prefixes.map((p) => sql`lower(${sql.ref(column)}) like ${p} escape '\\'`), sql` or `);
    const [deposits, withdrawals, sweeps] = await Promise.all([
      this.db
        .selectFrom('deposits')
        .leftJoin('wallets', 'wallets.id', 'deposits.wallet_id')
        .select(['deposits.id', 'deposits.tx_hash', 'deposits.wallet_id', 'wallets.label', 'deposits.asset_id', 'deposits.amount', 'deposits.state', 'deposits.seen_at as at'])
        .where((eb) => eb.or([eb('deposits.id', '=', q), sql<boolean>`(${byHash('deposits.tx_hash')})`]))
        .orderBy('deposits.seen_at', 'desc')
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('withdrawals')
        .leftJoin('wallets', 'wallets.id', 'withdrawals.wallet_id')
        .select(['withdrawals.id', 'withdrawals.tx_hash', 'withdrawals.wallet_id', 'wallets.label', 'withdrawals.asset_id', 'withdrawals.amount', 'withdrawals.state', 'withdrawals.created_at as at'])
        .where((eb) =>
          eb.or([
            eb('withdrawals.id', '=', q),
            // Every transaction it broadcast (a replaced one too) is recorded before broadcast.
            eb('withdrawals.id', 'in', eb.selectFrom('withdrawal_txs').select('withdrawal_id').where(sql<boolean>`(${byHash('withdrawal_txs.tx_hash')})`)),
          ]),
        )
        .orderBy('withdrawals.created_at', 'desc')
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('sweeps')
        .leftJoin('wallets', 'wallets.id', 'sweeps.wallet_id')
        .select(['sweeps.id', 'sweeps.wallet_id', 'wallets.label', 'sweeps.asset_id', 'sweeps.amount', 'sweeps.state', 'sweeps.created_at as at'])
        .select((eb) =>
          eb
            .selectFrom('sweep_txs')
            .select('sweep_txs.tx_hash')
            .whereRef('sweep_txs.sweep_id', '=', 'sweeps.id')
            .where('sweep_txs.purpose', '=', 'sweep')
            .orderBy('sweep_txs.created_at', 'desc')
            .limit(1)
            .as('tx_hash'),
        )
        .where((eb) => eb.or([eb('sweeps.id', '=', q), eb('sweeps.id', 'in', eb.selectFrom('sweep_txs').select('sweep_id').where(sql<boolean>`(${byHash('sweep_txs.tx_hash')})`))]))
        .orderBy('sweeps.created_at', 'desc')
        .limit(limit)
        .execute(),
    ]);
    const hits: SearchResults['transactions'] = [
      ...deposits.map((d) => ({ kind: 'transaction' as const, type: 'deposit' as const, id: d.id, txHash: d.tx_hash, walletId: d.wallet_id, walletLabel: d.label, assetId: d.asset_id, amount: d.amount, status: d.state, at: d.at })),
      ...withdrawals.map((w) => ({ kind: 'transaction' as const, type: 'withdrawal' as const, id: w.id, txHash: w.tx_hash, walletId: w.wallet_id, walletLabel: w.label, assetId: w.asset_id, amount: w.amount, status: w.state, at: w.at })),
      ...sweeps.map((s) => ({ kind: 'transaction' as const, type: 'sweep' as const, id: s.id, txHash: s.tx_hash ?? null, walletId: s.wallet_id, walletLabel: s.label, assetId: s.asset_id, amount: s.amount, status: s.state, at: s.at })),
    ];
    return hits.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }
}
