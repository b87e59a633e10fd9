import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { MovementKind, Statement, StatementAsset, StatementMovement } from '@shared/domain/statements';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Traceability } from '../audit/traceability';
import type { Database, LedgerTransferRow } from '../db/schema';

const PAGE = 2000;

/** The first instant of a UTC calendar day, and of the day after: a period is [from 00:00, to+1 00:00). */
export function periodBounds(from: string, to: string): { start: string; end: string } {
  const next = new Date(`${to}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { start: `${from}T00:00:00.000Z`, end: next.toISOString() };
}

interface Side {
  row: LedgerTransferRow;
  walletId: string;
  direction: 'in' | 'out';
}

/**
 * A client's statement, read from the ledger: for every client-wallet account of the client's wallets, the
 * settled (posted) balance before the period, each transfer that changed it in the period, and the balance
 * after. Holds change nothing until posted; the amount still held at the end is shown beside the closing.
 * An internal transfer between two of the client's own wallets shows on both sides and nets to zero.
 */
export class StatementBuilder {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly assets: AssetRegistry,
    private readonly traceability: Traceability,
    private readonly network: () => Promise<string>,
    /** The client's name opened from its sealed column (names are encrypted at rest). */
    private readonly clientName: (clientId: string) => Promise<string>,
  ) {}

  async build(clientId: string, from: string, to: string, generatedAt = new Date().toISOString()): Promise<Statement> {
    const client = await this.db.selectFrom('clients').select(['id']).where('id', '=', clientId).executeTakeFirst();
    if (!client) throw new DomainError('not_found', 'This client does not exist.');
    const { start, end } = periodBounds(from, to);
    const wallets = await this.db.selectFrom('wallets').select(['id', 'label']).where('client_id', '=', clientId).execute();
    const labels = new Map(wallets.map((w) => [w.id, w.label]));
    const accounts =
      wallets.length === 0
        ? []
        : await this.db
            .selectFrom('ledger_accounts')
            .select(['id', 'asset_id', 'wallet_id'])
            .where('kind', '=', 'client_wallet')
            .where('wallet_id', 'in', [...labels.keys()])
            .orderBy('asset_id')
            .orderBy('id')
            .execute();
    const byAsset = new Map<string, Map<number, string>>();
    for (const a of accounts) {
      const mine = byAsset.get(a.asset_id) ?? new Map<number, string>();
      mine.set(a.id, a.wallet_id!);
      byAsset.set(a.asset_id, mine);
    }
    const registry = new Map((await this.assets.list()).map((a) => [a.id, a]));
    const result: StatementAsset[] = [];
    for (const [assetId, mine] of byAsset) {
      const asset = registry.get(assetId) ?? (await this.assets.get(assetId));
      result.push(await this.assetSection(asset, mine, labels, start, end));
    }
    return { client: { id: client.id, name: await this.clientName(client.id) }, network: await this.network(), from, to, generatedAt, assets: result };
  }

  private async assetSection(asset: Asset, mine: Map<number, string>, labels: Map<string, string>, start: string, end: string): Promise<StatementAsset> {
    const ids = [...mine.keys()];
    let opening = 0n;
    let held = 0n;
    const sides: Side[] = [];
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('ledger_transfers')
        .selectAll()
        .where((eb) => eb.or([eb('debit_account_id', 'in', ids), eb('credit_account_id', 'in', ids)]))
        .where('id', '>', after)
        .where('created_at', '<', end)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        for (const [accountId, direction] of [[row.debit_account_id, 'out'], [row.credit_account_id, 'in']] as const) {
          const walletId = mine.get(accountId);
          if (walletId === undefined) continue;
          const amount = BigInt(row.amount);
          // Holds out of the client's balance: counted as held until their one post or void.
          if (direction === 'out' && row.kind === 'pending') held += amount;
          if (direction === 'out' && row.kind !== 'pending' && row.kind !== 'posted') held -= amount;
          if (row.kind !== 'posted' && row.kind !== 'post_pending') continue;
          if (row.created_at < start) opening += direction === 'in' ? amount : -amount;
          else sides.push({ row, walletId, direction });
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    const movements = await this.describe(asset, sides, mine, labels, opening);
    let totalIn = 0n;
    let totalOut = 0n;
    for (const m of movements) {
      if (m.direction === 'in') totalIn += BigInt(m.amount);
      else totalOut += BigInt(m.amount);
    }
    return {
      assetId: asset.id,
      chain: asset.chain,
      symbol: asset.symbol,
      decimals: asset.decimals,
      opening: opening.toString(),
      totalIn: totalIn.toString(),
      totalOut: totalOut.toString(),
      closing: (opening + totalIn - totalOut).toString(),
      heldAtClose: held.toString(),
      movements,
    };
  }

  /** Each side in words, with its chain transaction, fee, counterparty and reference where the flow has one. */
  private async describe(asset: Asset, sides: Side[], mine: Map<number, string>, labels: Map<string, string>, opening: bigint): Promise<StatementMovement[]> {
    if (sides.length === 0) return [];
    const rows = [...new Map(sides.map((s) => [s.row.id, s.row])).values()];
    const links = await this.traceability.chainLinks(rows);
    const others = new Set<number>();
    const reversed = new Set<number>();
    for (const { row } of sides) {
      if (row.code === 'internal_transfer') for (const id of [row.debit_account_id, row.credit_account_id]) if (!mine.has(id)) others.add(id);
      if (row.reverses_id !== null) reversed.add(row.reverses_id);
    }
    const otherLabels = new Map<number, string>();
    if (others.size > 0) {
      const found = await this.db
        .selectFrom('ledger_accounts as a')
        .leftJoin('wallets as w', 'w.id', 'a.wallet_id')
        .select(['a.id', 'w.label'])
        .where('a.id', 'in', [...others])
        .execute();
      for (const f of found) otherLabels.set(f.id, f.label ?? 'a company account');
    }
    const originals = new Map<number, { code: string; created_at: string }>();
    if (reversed.size > 0) {
      for (const o of await this.db.selectFrom('ledger_transfers').select(['id', 'code', 'created_at']).where('id', 'in', [...reversed]).execute()) originals.set(o.id, o);
    }
    const withdrawals = await this.causeRows(sides, 'withdrawal', (ids) =>
      this.db.selectFrom('withdrawals').select(['id', 'destination', 'fee_paid', 'tx_hash', 'chain']).where('id', 'in', ids).execute(),
    );
    const onramps = await this.causeRows(sides, 'onramp', (ids) => this.db.selectFrom('onramps').select(['id', 'reference']).where('id', 'in', ids).execute());
    const offramps = await this.causeRows(sides, 'offramp', (ids) =>
      this.db.selectFrom('offramps').select(['id', 'payout_reference', 'tx_hash']).where('id', 'in', ids).execute(),
    );
    const native = (await this.assets.list(asset.chain)).find((a) => a.contract === null);

    let balance = opening;
    return sides.map(({ row, walletId, direction }) => {
      const amount = BigInt(row.amount);
      balance += direction === 'in' ? amount : -amount;
      const link = links.get(row.id) ?? null;
      const counterpartyId = direction === 'in' ? row.debit_account_id : row.credit_account_id;
      const counterparty = row.code === 'internal_transfer' ? (mine.has(counterpartyId) ? labels.get(mine.get(counterpartyId)!)! : (otherLabels.get(counterpartyId) ?? null)) : null;
      const withdrawal = row.cause_type === 'withdrawal' ? withdrawals.get(row.cause_id ?? '') : undefined;
      const original = row.reverses_id !== null ? originals.get(row.reverses_id) : undefined;
      const kind = movementKind(row);
      let description = DESCRIPTIONS[kind];
      let reference: string | null = null;
      let txHash = link?.txHash ?? null;
      if (kind === 'internal_transfer') description = direction === 'in' ? `Transfer from ${counterparty}` : `Transfer to ${counterparty}`;
      if (kind === 'withdrawal' && withdrawal) {
        description = `Withdrawal to ${withdrawal.destination}`;
        txHash ??= withdrawal.tx_hash;
      }
      if (kind === 'credit') reference = row.memo;
      if (row.cause_type === 'onramp') reference = onramps.get(row.cause_id ?? '')?.reference ?? null;
      if (row.cause_type === 'offramp') {
        const ramp = offramps.get(row.cause_id ?? '');
        reference = ramp?.payout_reference ?? null;
        txHash ??= ramp?.tx_hash ?? null;
      }
      if (kind === 'reversal') {
        description =
          row.code === 'deposit_reversal'
            ? 'Deposit reversed: the chain dropped the block that held it'
            : `Reversal of the ${original ? `${DESCRIPTIONS[codeKind(original.code)].toLowerCase()} of ${original.created_at.slice(0, 10)}` : 'earlier movement'}`;
        if (row.code !== 'deposit_reversal') reference = row.memo;
      }
      return {
        transferId: String(row.id),
        at: row.created_at,
        kind,
        description,
        direction,
        amount: amount.toString(),
        balanceAfter: balance.toString(),
        walletLabel: labels.get(walletId) ?? walletId,
        txHash,
        explorerUrl: link?.explorerUrl ?? null,
        counterparty,
        fee: withdrawal?.fee_paid && native ? { amount: withdrawal.fee_paid, assetId: native.id } : null,
        reference,
      };
    });
  }

  private async causeRows<R extends { id: string }>(sides: Side[], type: string, read: (ids: string[]) => Promise<R[]>): Promise<Map<string, R>> {
    const ids = [...new Set(sides.filter((s) => s.row.cause_type === type && s.row.cause_id).map((s) => s.row.cause_id!))];
    return new Map(ids.length === 0 ? [] : (await read(ids)).map((r) => [r.id, r]));
  }
}

const DESCRIPTIONS: Record<MovementKind, string> = {
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  internal_transfer: 'Transfer',
  onramp: 'On-ramp: fiat converted to crypto',
  offramp: 'Off-ramp: crypto converted to fiat',
  credit: 'Credit from the company',
  reversal: 'Reversal',
  correction: 'Correction',
};

function codeKind(code: string): MovementKind {
  switch (code) {
    case 'deposit':
    case 'withdrawal':
    case 'internal_transfer':
    case 'onramp':
    case 'offramp':
      return code;
    case 'company_credit':
      return 'credit';
    case 'deposit_reversal':
      return 'reversal';
    default:
      return 'correction';
  }
}

function movementKind(row: LedgerTransferRow): MovementKind {
  return row.reverses_id !== null ? 'reversal' : codeKind(row.code);
}
