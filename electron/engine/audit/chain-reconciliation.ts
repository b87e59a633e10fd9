import { sql, type Kysely, type RawBuilder } from 'kysely';
import { tableExists } from '../db/dialect';
import type { Asset } from '@shared/domain/assets';
import type { ChainReconciliation, ChainReconciliationLine, ReconciliationCause } from '@shared/domain/audit';
import { CHAINS, type Chain } from '@shared/domain/chains';
import type { AccountKind } from '@shared/domain/ledger';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';
import { balanceOf } from '../ledger/balance';
import { totalsOf } from './bundle-export';

/**
 * A movement the ledger and the chain see at different moments (a sweep broadcast but not confirmed, a
 * withdrawal paid on chain but not yet posted). `effect` is what it adds to (chain - ledger) while in flight.
 */
export interface InFlightMovement {
  assetId: string;
  kind: 'sweep' | 'withdrawal' | 'deposit' | 'gas' | 'credit_kept';
  id: string;
  effect: bigint;
}

/** Flows that know their in-flight movements (sweeps, withdrawals, deposits seen but not credited) register one. */
export interface InFlightSource {
  list(): Promise<InFlightMovement[]>;
}

const CHAIN_TIMEOUT_MS = 20_000;

interface LedgerSums {
  client: bigint;
  reserve: bigint;
  holding: bigint;
  inTransit: bigint;
  /** Company coins at deposit addresses for gas (the tank's funding, less the fees paid from it). */
  depositGas: bigint;
  uncovered: bigint;
  gas: bigint;
  clearing: bigint;
  /** Held for withdrawals: pending credits on the holding account. */
  pendingWithdrawals: bigint;
}

/**
 * Reconciliation with the chains: per chain and asset, what the holding wallet and the unswept deposit
 * addresses hold on chain against what the ledger owes (client liabilities plus the company reserve),
 * with each difference put down to its cause where the ledger or a flow knows it.
 */
export class ChainReconciler {
  private readonly inFlight: InFlightSource[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly configuration: ConfigurationService,
    private readonly assets: AssetRegistry,
    private readonly chains: ChainService,
    private readonly holding: HoldingWallets,
  ) {
    this.registerInFlight(depositsSeen(db, configuration));
    this.registerInFlight(creditsKept(db, configuration));
  }

  registerInFlight(source: InFlightSource): void {
    this.inFlight.push(source);
  }

  async reconcile(only?: readonly Chain[]): Promise<ChainReconciliation> {
    const { profile } = await this.configuration.get();
    const sums = await this.ledgerSums();
    const inFlight: InFlightMovement[] = [];
    for (const source of this.inFlight) inFlight.push(...(await source.list()));
    const lines: ChainReconciliationLine[] = [];
    for (const chain of CHAINS) {
      if (only && !only.includes(chain)) continue;
      const assets = await this.assets.list(chain);
      const onChain = await withTimeout(this.readChain(chain, assets), CHAIN_TIMEOUT_MS).catch((error: unknown) => error);
      for (const asset of assets) {
        const ledger = sums.get(asset.id) ?? emptySums();
        const read = onChain instanceof Map ? onChain.get(asset.id) : undefined;
        const error = onChain instanceof Map ? null : message(onChain);
        // An asset the ledger never touched and the chain shows nothing of (or could not be read for) is left out.
        if (!read && isZero(ledger)) continue;
        lines.push(lineFor(asset, ledger, read ?? null, error, inFlight.filter((m) => m.assetId === asset.id)));
      }
    }
    return { at: new Date().toISOString(), profile, lines };
  }

  private async ledgerSums(): Promise<Map<string, LedgerSums>> {
    const rows = await this.db.selectFrom('ledger_accounts').selectAll().execute();
    const byAsset = new Map<string, LedgerSums>();
    for (const row of rows) {
      const s = byAsset.get(row.asset_id) ?? emptySums();
      const totals = totalsOf(row);
      const posted = balanceOf(row.kind as AccountKind, totals).posted;
      switch (row.kind as AccountKind) {
        case 'client_wallet': s.client += posted; break;
        case 'company_reserve': s.reserve += posted; break;
        case 'fee_revenue': s.reserve += posted; break;
        case 'holding': s.holding += posted; s.pendingWithdrawals += totals.creditsPending; break;
        case 'deposit_in_transit': s.inTransit += posted; break;
        case 'deposit_gas': s.depositGas += posted; break;
        case 'uncovered_credit': s.uncovered += posted; break;
        case 'gas_expense': s.gas += posted; break;
        case 'onramp_clearing': s.clearing -= posted; break;
        case 'offramp_clearing': s.clearing += posted; break;
      }
      byAsset.set(row.asset_id, s);
    }
    return byAsset;
  }

  /** Holding balance and the sum over every deposit address on the chain, per asset. */
  private async readChain(chain: Chain, assets: Asset[]): Promise<Map<string, { holding: bigint; deposits: bigint }>> {
    const holding = await this.holding.find(chain);
    // Also the address of a wallet on the other EVM chain once a return of funds sent there ran on this chain: the
    // ledger may place this chain's gas at it (sweep-runner.ts).
    const wallets = await this.db
      .selectFrom('wallets')
      .select(['address'])
      .where((eb) => eb.or([eb('chain', '=', chain), eb('id', 'in', eb.selectFrom('sweeps').select('wallet_id').where('chain', '=', chain))]))
      .execute();
    const result = new Map<string, { holding: bigint; deposits: bigint }>();
    for (const asset of assets) {
      const holdingBalance = holding ? await this.chains.call(chain, (a) => a.balance(asset, holding.address)) : 0n;
      let deposits = 0n;
      // A few at a time: a public endpoint rate-limits a burst of thousands.
      for (let i = 0; i < wallets.length; i += 8) {
        const batch = wallets.slice(i, i + 8);
        const balances = await Promise.all(batch.map((w) => this.chains.call(chain, (a) => a.balance(asset, w.address))));
        for (const b of balances) deposits += b;
      }
      if (holdingBalance !== 0n || deposits !== 0n) result.set(asset.id, { holding: holdingBalance, deposits });
    }
    return result;
  }
}

/**
 * Deposits where the chain and the ledger disagree by design, read through plain SQL so the audit needs no more of
 * that area: seen on chain but not yet credited (waiting for confirmations; the chain is ahead by their amount),
 * and credits a reorg could not reverse because the client had spent them (the ledger still carries them at the
 * deposit address, the chain does not; named so the exposure is neither hidden nor "unexplained").
 */
function depositsSeen(db: Kysely<Database>, configuration: ConfigurationService): InFlightSource {
  return depositsWhere(db, configuration, 'deposit', sql`state = 'seen' and credit_transfer_id is null`, 1n);
}

function creditsKept(db: Kysely<Database>, configuration: ConfigurationService): InFlightSource {
  return depositsWhere(db, configuration, 'credit_kept', sql`state = 'orphaned' and credit_transfer_id is not null and reversal_transfer_id is null`, -1n);
}

function depositsWhere(db: Kysely<Database>, configuration: ConfigurationService, kind: 'deposit' | 'credit_kept', condition: RawBuilder<unknown>, sign: bigint): InFlightSource {
  return {
    async list() {
      if (!(await tableExists(db, 'deposits'))) return [];
      const { profile } = await configuration.get();
      const rows = await sql<{ id: string; asset_id: string; amount: string }>`
        select id, asset_id, amount from deposits where ${condition} and profile = ${profile} order by seen_at`.execute(db);
      return rows.rows.map((r) => ({ assetId: r.asset_id, kind, id: r.id, effect: sign * BigInt(r.amount) }));
    },
  };
}

function lineFor(
  asset: Asset,
  s: LedgerSums,
  read: { holding: bigint; deposits: bigint } | null,
  error: string | null,
  inFlight: InFlightMovement[],
): ChainReconciliationLine {
  const obligations = s.client + s.reserve;
  const total = error ? null : (read?.holding ?? 0n) + (read?.deposits ?? 0n);
  const causes: ReconciliationCause[] = [];
  let unexplained = 0n;
  if (total !== null) {
    // The ledger's own gap between what it says the company holds and what it owes.
    if (s.uncovered !== 0n) causes.push({ kind: 'uncovered_credit', amount: (-s.uncovered).toString(), note: 'credited to clients with no coins behind it' });
    if (s.gas !== 0n) causes.push({ kind: 'gas_expense', amount: (-s.gas).toString(), note: 'network fees paid, booked as gas expense' });
    if (s.clearing !== 0n) causes.push({ kind: 'clearing', amount: s.clearing.toString(), note: 'on-ramp and off-ramp clearing not yet settled' });
    // The chain against the ledger's holdings: flows in flight explain what they can, the rest is named as unexplained.
    let residual = total - (s.holding + s.inTransit + s.depositGas);
    for (const m of inFlight) {
      if (residual === 0n) break;
      if (m.kind === 'credit_kept') {
        causes.push({ kind: 'reorg_credit_kept', amount: m.effect.toString(), note: `deposit ${m.id} was removed by a reorg after the client spent its credit; the credit was kept` });
      } else {
        const note = m.kind === 'deposit' ? `deposit ${m.id} seen on chain, waiting for confirmations before it is credited` : `${m.kind} ${m.id} in flight`;
        causes.push({ kind: 'in_flight', amount: m.effect.toString(), note });
      }
      residual -= m.effect;
    }
    if (residual < 0n && s.pendingWithdrawals > 0n) {
      const part = -residual > s.pendingWithdrawals ? -s.pendingWithdrawals : residual;
      causes.push({ kind: 'pending_withdrawal', amount: part.toString(), note: 'withdrawals held in the ledger that have already left the holding wallet' });
      residual -= part;
    }
    if (residual !== 0n) {
      unexplained = residual;
      causes.push({
        kind: 'unexplained',
        amount: residual.toString(),
        note: residual > 0n ? 'more on chain than the ledger knows (a deposit not yet credited?)' : 'less on chain than the ledger holds',
      });
    }
  }
  const difference = total === null ? null : total - obligations;
  return {
    chain: asset.chain,
    assetId: asset.id,
    symbol: asset.symbol,
    decimals: asset.decimals,
    onChain: {
      holding: read && !error ? read.holding.toString() : error ? null : '0',
      depositAddresses: read && !error ? read.deposits.toString() : error ? null : '0',
      total: total === null ? null : total.toString(),
      error,
    },
    ledger: {
      clientLiabilities: s.client.toString(),
      companyReserve: s.reserve.toString(),
      obligations: obligations.toString(),
      holding: s.holding.toString(),
      inTransit: s.inTransit.toString(),
    },
    difference: difference === null ? null : difference.toString(),
    causes,
    status: total === null ? 'unreadable' : difference === 0n && causes.length === 0 ? 'balanced' : unexplained === 0n ? 'explained' : 'unexplained',
  };
}

function emptySums(): LedgerSums {
  return { client: 0n, reserve: 0n, holding: 0n, inTransit: 0n, depositGas: 0n, uncovered: 0n, gas: 0n, clearing: 0n, pendingWithdrawals: 0n };
}

function isZero(s: LedgerSums): boolean {
  return Object.values(s).every((v) => v === 0n);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
