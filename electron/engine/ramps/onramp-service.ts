import { randomBytes } from 'node:crypto';
import type { Kysely, Updateable } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import { minorUnits, RAIL_CURRENCIES, type FiatCurrency } from '@shared/domain/fiat';
import type { Page } from '@shared/domain/ledger';
import type { FiatAmountFlag, OnRampInstructions, OnRampState, OnRampView } from '@shared/domain/ramps';
import { formatAmount } from '@shared/money';
import { DomainError } from '@shared/result';
import type { BankRail } from '@shared/validation';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database, OnRampRow, OnRampsTable } from '../db/schema';
import { effectId } from '../idempotency/effect-ids';
import type { Ledger } from '../ledger/ledger';
import { convert, parseRate } from './conversion';
import type { RampEligibility } from './eligibility';
import type { RampHistory } from './ramp-history';
import type { RampSettings } from './ramp-settings';
import { keysetPage, olderThanCursor } from '../db/keyset-page';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import type { Quorum } from '../controls/quorum';
import { coverageMargin } from '../ledger/reconciliation';

type Db = Kysely<Database>;

/** States from which an on-ramp can still be cancelled: nothing has been credited yet. */
const CANCELLABLE: readonly OnRampState[] = ['requested', 'fiat_received', 'verified', 'quoted'];

/** An on-ramp credit's approvals in item_approvals. */
const CREDIT_ITEM = 'onramp_credit';

/** Crockford's alphabet: no I, L, O, U, so a reference read over the phone is not misheard. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newReference(): string {
  const bytes = randomBytes(10);
  return `ONR${Array.from(bytes, (b) => REFERENCE_ALPHABET[b % 32]).join('')}`;
}

/**
 * Fiat in, crypto credited: requested (instructions with a unique reference) -> fiat received (the
 * officer records the bank's reference and amount; a different amount is flagged) -> verified ->
 * quoted (rate and fee; the crypto amount is shown) -> credited (ledger: on-ramp clearing to the
 * client's wallet; the coins stay in the holding wallet) -> completed. Each step is one transaction
 * with its history row and audit record, so a crash leaves the ramp at a step, never between.
 */
export class OnRampService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly assets: AssetRegistry,
    private readonly eligibility: RampEligibility,
    private readonly settings: RampSettings,
    private readonly history: RampHistory,
    private readonly controls: ControlsSettingsStore,
    private readonly quorum: Quorum,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(
    request: { clientId: string; walletId: string; assetId: string; currency: FiatCurrency; amount: bigint; rail: BankRail },
    operator = 'system',
  ): Promise<OnRampView> {
    if (!RAIL_CURRENCIES[request.rail].includes(request.currency)) {
      throw new DomainError('validation', `${request.rail} transfers do not carry ${request.currency}.`, { field: 'currency' });
    }
    if (request.amount <= 0n) throw new DomainError('invalid_amount', 'The fiat amount must be greater than zero.');
    const asset = await this.assets.get(request.assetId);
    const id = effectId();
    // A repeat of a request cut short by a crash meets the on-ramp its first run made.
    if (await this.db.selectFrom('onramps').select('id').where('id', '=', id).executeTakeFirst()) return this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await this.eligibility.client(request.clientId, trx);
      const wallet = await this.eligibility.wallet(request.clientId, request.walletId, trx);
      if (wallet.chain !== (asset.chain as Chain)) {
        throw new DomainError('asset_mismatch', `${asset.id} cannot be credited to a ${wallet.chain} wallet.`, { assetId: asset.id });
      }
      const receiving = await this.settings.receivingAccount(request.rail, trx);
      const { onRampTtlHours } = await this.settings.get(trx);
      const created = this.now();
      const expiresAt = new Date(created.getTime() + onRampTtlHours * 3_600_000).toISOString();
      const reference = newReference();
      const instructions: OnRampInstructions = {
        rail: request.rail,
        beneficiary: receiving.beneficiary,
        account: receiving.account,
        currency: request.currency,
        amount: request.amount.toString(),
        reference,
        expiresAt,
      };
      await trx
        .insertInto('onramps')
        .values({
          id,
          client_id: request.clientId,
          wallet_id: request.walletId,
          asset_id: asset.id,
          rail: request.rail,
          currency: request.currency,
          requested_amount: request.amount.toString(),
          reference,
          instructions: JSON.stringify(instructions),
          state: 'requested',
          received_amount: null,
          bank_reference: null,
          amount_flag: null,
          rate: null,
          fee: null,
          crypto_amount: null,
          ledger_transfer_id: null,
          expires_at: expiresAt,
          reason: null,
          credit_requested_by: null,
          created_by: operator,
          created_at: created.toISOString(),
          updated_at: created.toISOString(),
        })
        .execute();
      await this.history.step(trx, 'onramp', id, null, 'requested', operator, {
        clientId: request.clientId,
        walletId: request.walletId,
        assetId: asset.id,
        currency: request.currency,
        amount: request.amount.toString(),
        rail: request.rail,
        reference,
      });
    });
    this.history.announce('onramp', id, 'requested');
    return this.get(id);
  }

  /** The officer saw the transfer on the company's statement: its bank reference and the amount that arrived. */
  async recordFiat(request: { onRampId: string; bankReference: string; amount: bigint }, operator = 'system'): Promise<OnRampView> {
    if (request.amount <= 0n) throw new DomainError('invalid_amount', 'The received amount must be greater than zero.');
    return this.advance(request.onRampId, ['requested'], 'fiat_received', operator, async (row, trx) => {
      const bankReference = request.bankReference.trim();
      const used = await trx.selectFrom('onramps').select('id').where('rail', '=', row.rail).where('bank_reference', '=', bankReference).executeTakeFirst();
      if (used) throw new DomainError('conflict', `Bank reference ${bankReference} was already recorded for on-ramp ${used.id}.`, { onRampId: used.id });
      const requested = BigInt(row.requested_amount);
      const flag: FiatAmountFlag = request.amount === requested ? 'exact' : request.amount < requested ? 'partial' : 'excess';
      return {
        set: { received_amount: request.amount.toString(), bank_reference: bankReference, amount_flag: flag },
        detail: { bankReference, amount: request.amount.toString(), requested: row.requested_amount, flag },
      };
    });
  }

  /**
   * The officer confirms the funds are cleared. A partial or excess amount is never settled silently:
   * it needs `acceptReceivedAmount`, and then the received amount is what gets converted.
   */
  async verify(request: { onRampId: string; acceptReceivedAmount?: boolean }, operator = 'system'): Promise<OnRampView> {
    return this.advance(request.onRampId, ['fiat_received'], 'verified', operator, async (row) => {
      if (row.amount_flag !== 'exact' && !request.acceptReceivedAmount) {
        throw new DomainError('conflict', `The received amount (${row.received_amount}) is ${row.amount_flag} against the ${row.requested_amount} requested; accept it explicitly or cancel.`, {
          flag: row.amount_flag,
          requested: row.requested_amount,
          received: row.received_amount,
        });
      }
      return { set: {}, detail: { amount: row.received_amount, acceptedMismatch: row.amount_flag !== 'exact' } };
    });
  }

  /** Rate (crypto per whole fiat unit) and fee (fiat minor units); the crypto amount is computed here, shown, and only then credited. */
  async quote(request: { onRampId: string; rate: string; fee: bigint }, operator = 'system'): Promise<OnRampView> {
    const rate = parseRate(request.rate);
    if (request.fee < 0n) throw new DomainError('invalid_amount', 'The fee cannot be negative.');
    return this.advance(request.onRampId, ['verified', 'quoted'], 'quoted', operator, async (row, trx) => {
      const asset = await this.assets.get(row.asset_id);
      const net = BigInt(row.received_amount!) - request.fee;
      if (net <= 0n) throw new DomainError('invalid_amount', 'The fee takes the whole amount received.', { fee: request.fee.toString() });
      const crypto = convert(net, minorUnits(row.currency as FiatCurrency), rate, asset.decimals);
      if (crypto <= 0n) throw new DomainError('invalid_amount', 'At this rate the amount converts to nothing.');
      // Approvals were given to the old figure: a new quote asks again.
      if (row.credit_requested_by) await trx.deleteFrom('item_approvals').where('item_type', '=', CREDIT_ITEM).where('item_id', '=', row.id).execute();
      return {
        set: { rate: rate.text, fee: request.fee.toString(), crypto_amount: crypto.toString(), credit_requested_by: null },
        detail: { rate: rate.text, fee: request.fee.toString(), net: net.toString(), cryptoAmount: crypto.toString(), assetId: asset.id },
      };
    });
  }

  /**
   * Credits the quoted amount, which the officer confirms by sending it back: a quote changed in the
   * meantime is refused rather than credited. One ledger transfer, keyed by the on-ramp, so a retry
   * after a crash finds it instead of crediting twice. A credit the holdings do not cover (or a covered
   * one above the asset's threshold) only asks: it waits at `quoted` for approvers other than the asker
   * (the on-ramp credit quorum), and the approval that reaches the quorum books it.
   */
  async credit(request: { onRampId: string; cryptoAmount: bigint }, operator = 'system'): Promise<OnRampView> {
    return this.advance(request.onRampId, ['quoted'], 'credited', operator, async (row, trx) => {
      if (BigInt(row.crypto_amount!) !== request.cryptoAmount) {
        const asset = await this.assets.get(row.asset_id);
        const say = (units: bigint) => `${formatAmount(units, asset.decimals)} ${asset.symbol}`;
        throw new DomainError('conflict', `The quote is for ${say(BigInt(row.crypto_amount!))}, not ${say(request.cryptoAmount)}: type the quoted amount.`, {
          quoted: row.crypto_amount,
          field: 'cryptoAmount',
        });
      }
      if (row.credit_requested_by) {
        throw new DomainError('conflict', 'This credit already waits for approval; another operator approves it.', { onRampId: row.id, requestedBy: row.credit_requested_by });
      }
      await this.eligibility.client(row.client_id, trx);
      await this.eligibility.wallet(row.client_id, row.wallet_id, trx);
      const why = await this.approvalReason(row, trx);
      if (why) {
        return { to: 'quoted', set: { credit_requested_by: operator }, detail: { creditRequested: true, why, cryptoAmount: row.crypto_amount, assetId: row.asset_id } };
      }
      return this.book(row, trx, operator);
    });
  }

  /** An approver other than who asked for the credit approves it; the approval that reaches the quorum books it. */
  async approveCredit(onRampId: string, operator = 'system'): Promise<OnRampView> {
    return this.advance(onRampId, ['quoted'], 'credited', operator, async (row, trx) => {
      if (!row.credit_requested_by) throw new DomainError('conflict', 'No credit of this on-ramp waits for approval.', { onRampId });
      const progress = await this.quorum.approve(
        trx,
        'onrampCredit',
        { type: CREDIT_ITEM, id: row.id, maker: row.credit_requested_by, madeWhat: 'asked for this on-ramp credit', details: { onRampId } },
        operator,
      );
      if (!progress.reached) return { to: 'quoted', set: {}, detail: { creditApproval: progress.approvals, needed: progress.needed } };
      await this.eligibility.client(row.client_id, trx);
      await this.eligibility.wallet(row.client_id, row.wallet_id, trx);
      const booked = await this.book(row, trx, operator);
      return { ...booked, detail: { ...booked.detail, requestedBy: row.credit_requested_by, approvals: progress.approvals } };
    });
  }

  /** Why this credit needs approvers, in words for the record, or null when the maker's word books it. */
  private async approvalReason(row: OnRampRow, trx: Db): Promise<string | null> {
    const amount = BigInt(row.crypto_amount!);
    const margin = await coverageMargin(this.ledger, row.asset_id, trx);
    if (margin < amount) return 'uncovered';
    const above = (await this.controls.get(trx)).onrampCreditApprovalAbove[row.asset_id];
    return above !== undefined && amount > BigInt(above) ? 'above_threshold' : null;
  }

  private async book(row: OnRampRow, trx: Db, operator: string): Promise<{ set: Omit<Updateable<OnRampsTable>, 'state' | 'updated_at'>; detail: Record<string, unknown> }> {
    const { transfer } = await this.ledger.transfer(
      {
        idempotencyKey: `onramp:${row.id}:credit`,
        debit: { kind: 'onramp_clearing', assetId: row.asset_id },
        credit: { kind: 'client_wallet', assetId: row.asset_id, walletId: row.wallet_id },
        amount: BigInt(row.crypto_amount!),
        code: 'onramp',
        cause: { type: 'onramp', id: row.id },
        memo: `On-ramp ${row.reference}: ${row.received_amount} ${row.currency} minor units at ${row.rate}`,
        operator,
      },
      trx,
    );
    return { set: { ledger_transfer_id: transfer.id }, detail: { transferId: transfer.id, cryptoAmount: row.crypto_amount, assetId: row.asset_id } };
  }

  async complete(onRampId: string, operator = 'system'): Promise<OnRampView> {
    return this.advance(onRampId, ['credited'], 'completed', operator, async () => ({ set: {}, detail: {} }));
  }

  async cancel(request: { onRampId: string; reason: string }, operator = 'system'): Promise<OnRampView> {
    return this.advance(request.onRampId, CANCELLABLE, 'cancelled', operator, async (row) => ({
      set: { reason: request.reason },
      // Fiat that already arrived goes back to the client through the bank; the record says so.
      detail: { reason: request.reason, fiatToReturn: row.received_amount },
    }));
  }

  /** Requests whose fiat never came within the time limit; run by the engine's timer or an officer. */
  async expireStale(operator = 'system', asOf: Date = this.now()): Promise<string[]> {
    const now = asOf.toISOString();
    const stale = await this.db.selectFrom('onramps').select('id').where('state', '=', 'requested').where('expires_at', '<=', now).execute();
    const expired: string[] = [];
    for (const { id } of stale) {
      try {
        await this.advance(id, ['requested'], 'expired', operator, async (row) => {
          if (row.expires_at > now) throw new DomainError('conflict', 'Not expired.');
          return { set: { reason: 'No fiat arrived before the instructions expired.' }, detail: { expiresAt: row.expires_at } };
        });
        expired.push(id);
      } catch (error) {
        // Fiat recorded in the meantime wins over expiry.
        if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      }
    }
    return expired;
  }

  async get(onRampId: string, ex: Db = this.db): Promise<OnRampView> {
    return this.view(await this.row(onRampId, ex), ex);
  }

  async list(filter: { clientId?: string; state?: OnRampState; cursor?: string; limit: number }): Promise<Page<OnRampView>> {
    let query = this.db.selectFrom('onramps').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, (row) => this.view(row, this.db));
  }

  private async row(onRampId: string, ex: Db): Promise<OnRampRow> {
    const row = await ex.selectFrom('onramps').selectAll().where('id', '=', onRampId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `On-ramp ${onRampId} does not exist.`, { onRampId });
    return row;
  }

  /** One step: check the state, do the work, write the new state, its history row and audit record together. */
  private async advance(
    onRampId: string,
    from: readonly OnRampState[],
    to: OnRampState,
    operator: string,
    work: (row: OnRampRow, trx: Db) => Promise<{ set: Omit<Updateable<OnRampsTable>, 'state' | 'updated_at'>; detail: Record<string, unknown>; to?: OnRampState }>,
  ): Promise<OnRampView> {
    let state: string = to;
    await this.db.transaction().execute(async (trx) => {
      const row = await this.row(onRampId, trx);
      if (!from.includes(row.state as OnRampState)) {
        throw new DomainError('conflict', `The on-ramp is ${row.state}; it cannot become ${to}.`, { state: row.state });
      }
      // A step may stay where it is (a credit waiting for approvers): it is still recorded.
      const { set, detail, to: reached = to } = await work(row, trx);
      const updated = await trx
        .updateTable('onramps')
        .set({ ...set, state: reached, updated_at: this.now().toISOString() })
        .where('id', '=', onRampId)
        .where('state', '=', row.state)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('conflict', 'The on-ramp just moved on; look at it again.', { onRampId });
      await this.history.step(trx, 'onramp', onRampId, row.state, reached, operator, detail);
      state = reached;
    });
    this.history.announce('onramp', onRampId, state);
    return this.get(onRampId);
  }

  private async view(row: OnRampRow, ex: Db): Promise<OnRampView> {
    return {
      id: row.id,
      clientId: row.client_id,
      walletId: row.wallet_id,
      assetId: row.asset_id,
      rail: row.rail as BankRail,
      currency: row.currency as FiatCurrency,
      requestedAmount: row.requested_amount,
      reference: row.reference,
      instructions: JSON.parse(row.instructions) as OnRampInstructions,
      state: row.state as OnRampState,
      receivedAmount: row.received_amount,
      bankReference: row.bank_reference,
      amountFlag: row.amount_flag as FiatAmountFlag | null,
      rate: row.rate,
      fee: row.fee,
      cryptoAmount: row.crypto_amount,
      ledgerTransferId: row.ledger_transfer_id === null ? null : String(row.ledger_transfer_id),
      expiresAt: row.expires_at,
      reason: row.reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      history: await this.history.of(ex, 'onramp', row.id),
      creditApproval:
        row.credit_requested_by && row.state === 'quoted'
          ? { requestedBy: row.credit_requested_by, approvals: await this.quorum.approvals(ex, CREDIT_ITEM, row.id), needed: await this.quorum.needed('onrampCredit', ex) }
          : null,
    };
  }
}
