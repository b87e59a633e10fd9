import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { Page } from '@shared/domain/ledger';
import type { WithdrawalKind, WithdrawalQuote, WithdrawalState, WithdrawalView } from '@shared/domain/withdrawals';
import { formatAmountGrouped } from '@shared/money';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database, WithdrawalRow } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';
import type { AccountSpec } from '../ledger/accounts';
import type { Ledger } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import type { WalletService } from '../wallets/wallet-service';
import type { DestinationRules } from './destination-rules';
import type { WithdrawalPolicyService } from './withdrawal-policy';
import { withdrawalView, type WithdrawalRecords } from './withdrawal-records';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import { assertNotMaker } from '../operators/maker-checker';
import type { ClientFeeSchedules } from './client-fee-schedule';
import { companyFunds } from '../ledger/company-funds';
import { assertCompanyCoversFee } from './company-fee-cover';
import type { Quorum } from '../controls/quorum';

type Db = Kysely<Database>;

interface FeeCover {
  onChain: bigint;
  fee: bigint | null;
  native: { asset: Asset; onChain: bigint } | null;
}

interface Shortfall {
  assetId: string;
  amount: bigint;
  /** Short of the native coin for the fee (a token transfer), not of the asset itself. */
  forFee: boolean;
  pending: number;
  message: string;
  details: Record<string, unknown>;
}

/** Who acts; maker-checker needs to know. */
export interface Operator {
  operator?: string;
}

interface OpenRequest {
  kind: WithdrawalKind;
  idempotencyKey: string;
  asset: Asset;
  /** What leaves the holding wallet on chain (the net amount when a client fee is deducted). */
  amount: bigint;
  /** What the officer asked for, to recognise a retry; the amount itself when there is no client fee. */
  requested: bigint;
  /** The client's fee to the company (0n for company and off-ramp payouts). */
  clientFee?: { fee: bigint; mode: 'on_top' | 'deducted' };
  destination: string;
  walletId: string | null;
  memo: string | null;
  cause: { type: string; id: string } | null;
  operator: string;
  /** Makes the hold inside the request's transaction. */
  hold: (trx: Db, withdrawalId: string) => Promise<number>;
}

/**
 * Withdrawals from the holding wallet up to "approved": request (with the hold, the policy and the
 * holding coverage check in one transaction), maker-checker approval, cancel. Signing, broadcast and
 * tracking are WithdrawalSigning and WithdrawalTracker.
 */
export class WithdrawalService {
  constructor(
    private readonly db: Db,
    private readonly records: WithdrawalRecords,
    private readonly policy: WithdrawalPolicyService,
    private readonly configuration: ConfigurationService,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly holding: HoldingWallets,
    private readonly wallets: WalletService,
    private readonly ledger: Ledger,
    private readonly transfers: TransferService,
    private readonly destinations: DestinationRules,
    private readonly clientFees: ClientFeeSchedules,
    private readonly quorum: Quorum,
  ) {}

  /** The canonical form of a destination for another flow (the off-ramp liquidity address), or its refusal. */
  checkDestination(chain: Chain, address: string): Promise<string> {
    return this.destinations.check(chain, address);
  }

  /** A client's virtual balance to an external address. The balance is held before this returns. */
  async request(
    request: { idempotencyKey: string; walletId: string; assetId: string; amount: bigint; destination: string; memo?: string },
    actor: Operator,
  ): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'request a withdrawal');
    const { asset, wallet } = await this.clientAsset(request.walletId, request.assetId);
    // The client's fee: on top (the balance pays it besides) or deducted (the destination gets the net amount).
    const terms = await this.clientFees.terms({ walletId: wallet.id, assetId: asset.id, requested: request.amount });
    const view = await this.open({
      kind: 'client',
      idempotencyKey: request.idempotencyKey,
      asset,
      amount: terms.netAmount,
      requested: request.amount,
      clientFee: terms.fee > 0n ? { fee: terms.fee, mode: terms.mode } : undefined,
      destination: request.destination,
      walletId: wallet.id,
      memo: request.memo ?? null,
      cause: null,
      operator,
      hold: async (trx, id) => {
        await this.wallets.activeRow(wallet.id, trx);
        const { transfer } = await this.transfers.hold(
          // One hold for what leaves the balance; on confirmation the fee part goes to fee revenue.
          { idempotencyKey: `withdrawal:${id}:hold`, walletId: wallet.id, assetId: asset.id, amount: terms.debited, purpose: 'withdrawal', causeId: id },
          trx,
          { operator },
        );
        return transfer.id;
      },
    });
    return view;
  }

  /**
   * What `request` would cost, reckoned as `request` reckons it (the client's fee terms, the chain's fee for
   * this transfer from holding, the holding wallet's cover), without holding or writing anything.
   */
  async quote(request: { walletId: string; assetId: string; amount: bigint; destination: string }): Promise<Omit<WithdrawalQuote, 'network'> & { network: Omit<WithdrawalQuote['network'], 'values'> }> {
    const { asset, wallet } = await this.clientAsset(request.walletId, request.assetId);
    const client = await this.clientFees.quote({ walletId: wallet.id, assetId: asset.id, requested: request.amount });
    const amount = BigInt(client.netAmount);
    const { profile } = await this.configuration.get();
    const destination = await this.destinations.check(asset.chain, request.destination);
    const holding = await this.holding.require(asset.chain);
    const since = new Date().toISOString();
    const cover = await this.feeCover(asset, holding.address, destination, amount);
    const short = (await this.shortfall(this.db, profile, asset, amount, cover, since, holding.address)) ?? (await this.companyFeeShortfall(profile, asset, cover, holding.address));
    const native = cover.native?.asset ?? (await this.nativeOf(asset.chain));
    return {
      client,
      network: { assetId: native.id, maxFee: cover.fee === null ? null : cover.fee.toString(), quotedAt: new Date().toISOString() },
      shortfall: short && { assetId: short.assetId, amount: short.amount.toString(), address: holding.address, forFee: short.forFee, pendingWithdrawals: short.pending },
    };
  }

  /** The client wallet and the asset it pays, or why that asset cannot leave that wallet. */
  private async clientAsset(walletId: string, assetId: string) {
    const asset = await this.assets.get(assetId);
    const wallet = await this.wallets.row(walletId);
    if (wallet.chain !== asset.chain) {
      throw new DomainError('asset_mismatch', `${asset.id} cannot be withdrawn from wallet "${wallet.label}" on ${wallet.chain}.`, { assetId: asset.id });
    }
    return { asset, wallet };
  }

  /**
   * For other flows that pay out of the holding wallet through this pipeline. `offramp`: the crypto leg
   * of an off-ramp, held from the off-ramp clearing account (the ramp put the client's funds there);
   * it then goes through the same policy, approval, Ledger signature and tracking as any withdrawal,
   * and its 'withdrawal.status' events carry `withdrawalId` for the ramp to follow.
   */
  async requestPayout(
    request: { purpose: 'offramp'; idempotencyKey: string; assetId: string; amount: bigint; destination: string; causeId: string; memo?: string },
    actor: Operator,
  ): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'request a payout');
    const asset = await this.assets.get(request.assetId);
    return this.open({
      kind: 'offramp',
      idempotencyKey: request.idempotencyKey,
      asset,
      amount: request.amount,
      requested: request.amount,
      destination: request.destination,
      walletId: null,
      memo: request.memo ?? null,
      cause: { type: 'offramp', id: request.causeId },
      operator,
      hold: (trx, id) =>
        this.pendingFromAccount(trx, id, { kind: 'offramp_clearing', assetId: asset.id }, asset, request.amount, 'offramp', operator, request.memo),
    });
  }

  /** The company's own funds from holding to one of its external addresses; always needs a second operator. */
  async companyWithdraw(
    request: { idempotencyKey: string; assetId: string; amount: bigint; destination: string; reason: string },
    actor: Operator,
  ): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'request a company withdrawal');
    const asset = await this.assets.get(request.assetId);
    // The company pays this transaction's fee out of its own native coins too (booked from its reserve).
    const holding = await this.holding.require(asset.chain);
    const fee = await this.companyFeeQuote(asset, holding.address, request.destination, request.amount);
    return this.open({
      kind: 'company',
      idempotencyKey: request.idempotencyKey,
      asset,
      amount: request.amount,
      requested: request.amount,
      destination: request.destination,
      walletId: null,
      memo: request.reason,
      cause: null,
      operator,
      hold: async (trx, id) => {
        // The holding wallet carries clients' backing too: the company takes out only its own coins (companyFunds:
        // reserve and fee revenue less the fees already paid), and a native withdrawal leaves its fee besides.
        const own = await companyFunds(this.ledger, asset.id, trx);
        const need = request.amount + (asset.contract === null ? fee : 0n);
        if (need > own) {
          const held = own > 0n ? own : 0n;
          const feeNote = asset.contract === null && fee > 0n ? `, and this withdrawal's network fee is paid from it too` : '';
          throw new DomainError(
            'insufficient_funds',
            `The company reserve holds ${formatAmountGrouped(held, asset.decimals)} ${asset.symbol} on ${CHAIN_LABELS[asset.chain]}${feeNote}; the rest of the holding wallet backs clients' balances.`,
            { account: 'company_reserve', assetId: asset.id, available: held.toString(), shortBy: (need - held).toString(), fee: fee.toString() },
          );
        }
        return this.pendingFromAccount(trx, id, { kind: 'company_reserve', assetId: asset.id }, asset, request.amount, 'withdrawal', operator, request.reason);
      },
    });
  }

  async approve(withdrawalId: string, actor: Operator): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'approve a withdrawal');
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(withdrawalId, trx);
      if (current.state !== 'requested') {
        throw new DomainError('conflict', `The withdrawal is ${current.state}; it cannot be approved now.`, { withdrawalId, state: current.state });
      }
      // n of m: each approver is a row; the one that reaches the quorum approves it.
      const progress = await this.quorum.approve(trx, 'withdrawal', { type: 'withdrawal', id: current.id, maker: current.requested_by, madeWhat: 'requested this withdrawal', details: { withdrawalId } }, operator);
      if (!progress.reached) {
        await this.records.audit.record(
          { operator, action: 'withdrawal.approval_recorded', entity: { type: 'withdrawal', id: current.id }, change: { approvals: progress.approvals, needed: progress.needed } },
          trx,
        );
        return current;
      }
      return this.records.transition(trx, current, ['requested'], { state: 'approved', approved_by: progress.approvals.join(', ') }, {
        operator,
        action: 'withdrawal.approved',
        change: { approvals: progress.approvals, needed: progress.needed },
      });
    });
    this.records.announce(row);
    return withdrawalView(row);
  }

  /** Before signing only: once signed, the transaction may be on its way and only the chain decides. */
  async cancel(withdrawalId: string, reason: string, actor: Operator): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'cancel a withdrawal');
    const before = await this.records.row(withdrawalId);
    if (before.nonce !== null && (JSON.parse(before.tx_hashes) as string[]).length > 0) {
      // An earlier signature holds this nonce; it is dead only if the chain has nothing with that nonce yet.
      const chainNonce = await this.chains.call(before.chain as Chain, async (adapter) => adapter.nextNonce!(before.source));
      if (chainNonce > before.nonce) {
        throw new DomainError('conflict', `A signed transaction with nonce ${before.nonce} may still be mined: wait for it, or sign again to replace it.`, {
          withdrawalId,
          nonce: before.nonce,
        });
      }
    }
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(withdrawalId, trx);
      const cancelled = await this.records.transition(
        trx,
        current,
        ['requested', 'approved'],
        { state: 'cancelled', failure_reason: reason, finished_at: new Date().toISOString() },
        { operator, action: 'withdrawal.cancelled', change: { reason } },
      );
      await this.ledger.void(current.hold_transfer_id, `withdrawal:${current.id}:void`, trx, operator);
      return cancelled;
    });
    this.records.announce(row);
    await this.announceBalance(row);
    return withdrawalView(row);
  }

  async get(withdrawalId: string): Promise<WithdrawalView> {
    return withdrawalView(await this.records.row(withdrawalId));
  }

  async list(filter: { state?: WithdrawalState; kind?: WithdrawalKind; walletId?: string; cursor?: string; limit: number }): Promise<Page<WithdrawalView>> {
    const { profile } = await this.configuration.get();
    let query = this.db.selectFrom('withdrawals').selectAll().where('profile', '=', profile);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.walletId) query = query.where('wallet_id', '=', filter.walletId);
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
    return keysetPage(rows, filter.limit, withdrawalView);
  }

  /** A client wallet's balance changed inside our transaction: the ledger's own event does not fire there. */
  async announceBalance(row: WithdrawalRow): Promise<void> {
    if (!row.wallet_id) return;
    const balance = await this.ledger.balance({ kind: 'client_wallet', assetId: row.asset_id, walletId: row.wallet_id });
    this.records.events.publish({ type: 'balance.changed', walletId: row.wallet_id, ...balance });
  }

  // ---- the request itself ----

  private async open(request: OpenRequest): Promise<WithdrawalView> {
    const { asset, amount } = request;
    const chain = asset.chain;
    const { profile } = await this.configuration.get();
    const replay = await this.replayed(request);
    if (replay) return replay;

    // Zero and burn addresses, token contracts and our own addresses are refused with their reason (destination-rules.ts).
    const destination = await this.destinations.check(chain, request.destination);
    const holding = await this.holding.require(chain);

    // Read before the transaction: anything confirmed from here on is still counted as in flight.
    const since = new Date().toISOString();
    const cover = await this.feeCover(asset, holding.address, destination, amount);

    const id = randomUUID();
    let row: WithdrawalRow;
    try {
      row = await this.policy.screening.alertOnHit(() => this.db.transaction().execute(async (trx) => {
        const verdict = await this.policy.evaluate({ asset, amount, destination, profile, walletId: request.walletId, debited: amount + (request.clientFee?.fee ?? 0n) }, trx);
        const approvalReasons = request.kind === 'company' ? ['company funds always need a second operator', ...verdict.approvalReasons] : verdict.approvalReasons;
        // The coverage check and the hold commit together: SQLite runs one write transaction at a time,
        // so a second request for the same last funds sees this one in flight.
        const short = await this.shortfall(trx, profile, asset, amount, cover, since, holding.address);
        if (short) throw new DomainError('insufficient_holding', short.message, short.details);
        const holdId = await request.hold(trx, id);
        // Whoever's coins leave, the network fee is the company's: its own native coins must pay it (with the fees
        // of the withdrawals not yet mined on the chain), or the request is refused before anyone approves it.
        const fee = cover.fee ?? 0n;
        if (fee > 0n) {
          await assertCompanyCoversFee(
            this.ledger,
            { native: cover.native?.asset ?? asset, fee, othersPending: await this.records.liveCount(trx, profile, chain), address: holding.address, then: 'ask again' },
            trx,
          );
        }
        const now = new Date().toISOString();
        const needsApproval = approvalReasons.length > 0;
        await trx
          .insertInto('withdrawals')
          .values({
            id,
            idempotency_key: request.idempotencyKey,
            kind: request.kind,
            state: needsApproval ? 'requested' : 'approved',
            profile,
            chain,
            asset_id: asset.id,
            amount: amount.toString(),
            source: holding.address,
            destination,
            wallet_id: request.walletId,
            needs_approval: needsApproval ? 1 : 0,
            approval_reasons: JSON.stringify(approvalReasons),
            requested_by: request.operator,
            approved_by: needsApproval ? null : 'policy',
            signed_by: null,
            hold_transfer_id: holdId,
            settle_transfer_id: null,
            nonce: null,
            unsigned_tx: null,
            signed_raw: null,
            tx_hash: null,
            tx_hashes: '[]',
            failure_reason: null,
            memo: request.memo,
            cause_type: request.cause?.type ?? null,
            cause_id: request.cause?.id ?? null,
            created_at: now,
            updated_at: now,
            finished_at: null,
            client_fee: (request.clientFee?.fee ?? 0n).toString(),
            client_fee_mode: request.clientFee?.mode ?? null,
            requested_amount: request.requested.toString(),
            screening_list_version: verdict.listVersion,
            screened_at: now,
          })
          .execute();
        await this.records.audit.record(
          {
            operator: request.operator,
            action: 'withdrawal.requested',
            entity: { type: 'withdrawal', id },
            change: {
              kind: request.kind,
              chain,
              assetId: asset.id,
              amount: amount.toString(),
              ...(request.clientFee ? { clientFee: request.clientFee.fee.toString(), clientFeeMode: request.clientFee.mode, requested: request.requested.toString() } : {}),
              destination,
              source: holding.address,
              walletId: request.walletId,
              holdTransferId: holdId,
              approvalReasons,
              screening: { listVersion: verdict.listVersion },
              state: needsApproval ? 'requested' : 'approved',
              cause: request.cause,
            },
          },
          trx,
        );
        return this.records.row(id, trx);
      }), request.operator, 'send funds to');
    } catch (error) {
      // Two identical requests at once: the second meets the first's key.
      if (isUniqueViolation(error)) {
        const replay2 = await this.replayed(request);
        if (replay2) return replay2;
      }
      throw error;
    }
    this.records.announce(row);
    await this.announceBalance(row);
    return withdrawalView(row);
  }

  /**
   * The network fee of a company withdrawal, quoted before it is held. A quote the node cannot give (the holding
   * wallet lacks the amount, so the transfer would revert) counts as none: the coverage check refuses it anyway.
   */
  private async companyFeeQuote(asset: Asset, from: string, destination: string, amount: bigint): Promise<bigint> {
    try {
      const to = await this.destinations.check(asset.chain, destination);
      return (await this.chains.call(asset.chain, (adapter) => adapter.estimateFee({ asset, from, to, amount }))).maxFee;
    } catch {
      return 0n;
    }
  }

  private async nativeOf(chain: Chain): Promise<Asset> {
    return (await this.assets.list(chain)).find((a) => a.contract === null) as Asset;
  }

  /**
   * What holding has of the asset on chain, this transfer's network fee and the native coins that pay it. The
   * node quotes a transfer only when holding has the amount (it would revert otherwise): then the fee is null.
   */
  private async feeCover(asset: Asset, from: string, to: string, amount: bigint): Promise<FeeCover> {
    const onChain = await this.chains.call(asset.chain, (adapter) => adapter.balance(asset, from));
    if (onChain < amount) return { onChain, fee: null, native: null };
    const estimate = () => this.chains.call(asset.chain, (adapter) => adapter.estimateFee({ asset, from, to, amount }));
    // Paying out the native coin also pays the fee from it.
    if (asset.contract === null) return { onChain, fee: (await estimate()).maxFee, native: { asset, onChain } };
    // A token transfer pays its fee in the native coin: without it the withdrawal would be approved, then fail
    // at signing with the node's refusal. Asked here, before anyone approves.
    const native = await this.nativeOf(asset.chain);
    const [quote, nativeOnChain] = await Promise.all([estimate(), this.chains.call(asset.chain, (adapter) => adapter.balance(native, from))]);
    return { onChain, fee: quote.maxFee, native: { asset: native, onChain: nativeOnChain } };
  }

  /** What the holding wallet lacks for this transfer and its fee beside what is already in flight; null when covered. */
  private async shortfall(ex: Db, profile: string, asset: Asset, amount: bigint, cover: FeeCover, since: string, address: string): Promise<Shortfall | null> {
    const chain = asset.chain;
    const feeReserve = asset.contract === null ? (cover.fee ?? 0n) : 0n;
    const inFlight = await this.records.inFlight(ex, profile, chain, asset.id, since);
    const free = cover.onChain - inFlight;
    if (free < amount + feeReserve) {
      const shortBy = amount + feeReserve - (free > 0n ? free : 0n);
      const feeNote = feeReserve > 0n ? ', the network fee included' : '';
      return {
        assetId: asset.id,
        amount: shortBy,
        forFee: false,
        pending: 0,
        message: `The holding wallet on ${CHAIN_LABELS[chain]} is short by ${formatAmountGrouped(shortBy, asset.decimals)} ${asset.symbol}${feeNote}.`,
        details: { chain, assetId: asset.id, shortfall: shortBy.toString(), onChain: cover.onChain.toString(), inFlight: inFlight.toString(), fee: feeReserve.toString() },
      };
    }
    if (asset.contract === null || cover.fee === null || !cover.native) return null;
    // Every withdrawal on this chain not yet mined pays a fee from the same coins: each is counted at this
    // quote (they are transfers of the same kind), so several approved at once cannot share one fee's cover.
    const native = cover.native.asset;
    const pending = await this.records.liveCount(ex, profile, chain);
    const needed = cover.fee * BigInt(pending + 1);
    const nativeFree = cover.native.onChain - (await this.records.inFlight(ex, profile, chain, native.id, since));
    if (nativeFree >= needed) return null;
    const topUp = needed - (nativeFree > 0n ? nativeFree : 0n);
    const others = pending > 0 ? ` (and the ${pending} other withdrawal${pending === 1 ? '' : 's'} not yet mined on it)` : '';
    return {
      assetId: native.id,
      amount: topUp,
      forFee: true,
      pending,
      message: `The holding wallet on ${CHAIN_LABELS[chain]} needs ${formatAmountGrouped(topUp, native.decimals)} ${native.symbol} more for the network fee of this ${asset.symbol} transfer${others}; send it to ${address}.`,
      details: { chain, assetId: native.id, shortfall: topUp.toString(), fee: cover.fee.toString(), onChain: cover.native.onChain.toString(), address, pendingWithdrawals: pending },
    };
  }

  /** The quote's view of the request's company fee-cover refusal: what the company's own coins lack, or null. */
  private async companyFeeShortfall(profile: string, asset: Asset, cover: FeeCover, address: string): Promise<Shortfall | null> {
    if (cover.fee === null || cover.fee <= 0n) return null;
    const native = cover.native?.asset ?? asset;
    const pending = await this.records.liveCount(this.db, profile, asset.chain);
    try {
      await assertCompanyCoversFee(this.ledger, { native, fee: cover.fee, othersPending: pending, address, then: 'ask again' }, this.db);
      return null;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'fee_not_covered') throw error;
      const details = (error.details ?? {}) as { shortfall?: string };
      return { assetId: native.id, amount: BigInt(details.shortfall ?? '0'), forFee: true, pending, message: error.message, details: error.details ?? {} };
    }
  }

  private async replayed(request: OpenRequest): Promise<WithdrawalView | null> {
    const existing = await this.db.selectFrom('withdrawals').selectAll().where('idempotency_key', '=', request.idempotencyKey).executeTakeFirst();
    if (!existing) return null;
    const same =
      existing.kind === request.kind &&
      existing.asset_id === request.asset.id &&
      (existing.requested_amount ?? existing.amount) === request.requested.toString() &&
      existing.wallet_id === request.walletId &&
      sameAddress(request.asset.chain, existing.destination, request.destination.trim());
    if (!same) {
      throw new DomainError('idempotency_conflict', 'This idempotency key was used for a different withdrawal.', { withdrawalId: existing.id });
    }
    return withdrawalView(existing);
  }

  private async pendingFromAccount(
    trx: Db,
    withdrawalId: string,
    from: AccountSpec,
    asset: Asset,
    amount: bigint,
    code: 'withdrawal' | 'offramp',
    operator: string,
    memo?: string,
  ): Promise<number> {
    const { transfer } = await this.ledger.transfer(
      {
        idempotencyKey: `withdrawal:${withdrawalId}:hold`,
        kind: 'pending',
        debit: from,
        credit: { kind: 'holding', assetId: asset.id },
        amount,
        code,
        cause: { type: 'withdrawal', id: withdrawalId },
        memo,
        operator,
      },
      trx,
    );
    return transfer.id;
  }
}

export function requireOperator(actor: Operator, what: string): string {
  if (!actor.operator) throw new DomainError('unauthenticated', `Sign in to ${what}: every step names its operator.`);
  return actor.operator;
}

function sameAddress(chain: string, a: string, b: string): boolean {
  return chain === 'tron' ? a === b : a.toLowerCase() === b.toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: withdrawals\.idempotency_key/.test(error.message);
}
