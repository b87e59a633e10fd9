import type { Kysely, Updateable } from 'kysely';
import type { Chain } from '@shared/domain/chains';
import { minorUnits, RAIL_CURRENCIES, type FiatCurrency } from '@shared/domain/fiat';
import type { Page } from '@shared/domain/ledger';
import type { OffRampState, OffRampView } from '@shared/domain/ramps';
import { DomainError } from '@shared/result';
import type { BankRail } from '@shared/validation';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database, OffRampRow, OffRampsTable } from '../db/schema';
import { effectId } from '../idempotency/effect-ids';
import type { Ledger } from '../ledger/ledger';
import type { TransferService } from '../ledger/transfer-service';
import { convert, parseRate } from './conversion';
import type { CryptoLegPipeline } from './crypto-leg';
import type { RampEligibility } from './eligibility';
import type { RampHistory } from './ramp-history';
import type { RampSettings } from './ramp-settings';
import { keysetPage, olderThanCursor } from '../db/keyset-page';

type Db = Kysely<Database>;

/** Before the payout, a failure gives the client the crypto back. */
const REFUNDABLE: readonly OffRampState[] = ['held', 'crypto_pending', 'crypto_sent', 'converted'];

/**
 * Crypto out, fiat paid: held (the client's balance reserved into off-ramp clearing) -> crypto_pending
 * (a withdrawal from the holding wallet to the liquidity address, approved and signed on the Ledger)
 * -> crypto_sent (confirmed on chain; the hold is posted) -> converted (rate, fee, fiat amount) ->
 * fiat_paid (payout reference) -> completed; refunded from any step before the payout. Each step is one
 * transaction with its ledger entries, history row and audit record; ledger keys are per off-ramp, so a
 * step retried after a crash finds its work instead of repeating it.
 */
export class OffRampService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly transfers: TransferService,
    private readonly assets: AssetRegistry,
    private readonly eligibility: RampEligibility,
    private readonly settings: RampSettings,
    private readonly history: RampHistory,
    private readonly pipeline: CryptoLegPipeline | null,
  ) {}

  async request(request: { clientId: string; walletId: string; bankAccountId: string; assetId: string; amount: bigint }, operator = 'system'): Promise<OffRampView> {
    if (request.amount <= 0n) throw new DomainError('invalid_amount', 'The amount must be greater than zero.');
    const asset = await this.assets.get(request.assetId);
    const id = effectId();
    // A repeat of a request cut short by a crash meets the off-ramp its first run made (and held).
    if (await this.db.selectFrom('offramps').select('id').where('id', '=', id).executeTakeFirst()) return this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await this.eligibility.client(request.clientId, trx);
      const wallet = await this.eligibility.wallet(request.clientId, request.walletId, trx);
      await this.eligibility.bankAccount(request.clientId, request.bankAccountId, trx);
      if (wallet.chain !== (asset.chain as Chain)) {
        throw new DomainError('asset_mismatch', `${asset.id} is not held in a ${wallet.chain} wallet.`, { assetId: asset.id });
      }
      const destination = await this.settings.offRampDestination(asset.chain, trx);
      const { transfer } = await this.transfers.hold(
        { idempotencyKey: `offramp:${id}:hold`, walletId: wallet.id, assetId: asset.id, amount: request.amount, purpose: 'offramp', causeId: id },
        trx,
        { operator },
      );
      const now = new Date().toISOString();
      await trx
        .insertInto('offramps')
        .values({
          id,
          client_id: request.clientId,
          wallet_id: wallet.id,
          bank_account_id: request.bankAccountId,
          asset_id: asset.id,
          crypto_amount: request.amount.toString(),
          state: 'held',
          hold_transfer_id: transfer.id,
          destination_address: destination,
          payout_id: null,
          tx_hash: null,
          rate: null,
          fee: null,
          currency: null,
          fiat_amount: null,
          payout_reference: null,
          reason: null,
          created_by: operator,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.history.step(trx, 'offramp', id, null, 'held', operator, {
        clientId: request.clientId,
        walletId: wallet.id,
        bankAccountId: request.bankAccountId,
        assetId: asset.id,
        amount: request.amount.toString(),
        holdTransferId: transfer.id,
        destination,
      });
    });
    this.history.announce('offramp', id, 'held');
    return this.get(id);
  }

  /**
   * Hands the crypto leg to the withdrawals pipeline. The step is saved first (crypto_pending, no
   * withdrawal yet), then the pipeline is asked with a key made from the off-ramp, then its id saved:
   * after a crash anywhere in between, asking again with the same key finds the same withdrawal, so
   * the crypto is never sent twice and a refund never races a payment it does not know about.
   */
  async sendCrypto(offRampId: string, operator = 'system'): Promise<OffRampView> {
    this.requirePipeline();
    await this.advance(offRampId, ['held'], 'crypto_pending', operator, async (row, trx) => {
      await this.eligibility.client(row.client_id, trx);
      await this.eligibility.wallet(row.client_id, row.wallet_id, trx);
      return { set: { payout_id: null }, detail: { destination: row.destination_address } };
    });
    await this.requestLeg(offRampId, operator);
    return this.follow(offRampId, operator);
  }

  /** Asks the pipeline for the crypto leg of an off-ramp in crypto_pending without one; a refusal puts it back to held. */
  private async requestLeg(offRampId: string, operator: string): Promise<void> {
    const row = await this.row(offRampId, this.db);
    if (row.state !== 'crypto_pending' || row.payout_id) return;
    let legId: string;
    try {
      const leg = await this.requirePipeline().requestPayout(
        {
          purpose: 'offramp',
          idempotencyKey: `offramp:${row.id}:crypto`,
          assetId: row.asset_id,
          amount: BigInt(row.crypto_amount),
          destination: row.destination_address!,
          causeId: row.id,
          memo: `Off-ramp ${row.id}`,
        },
        { operator },
      );
      legId = leg.id;
    } catch (error) {
      // A refusal by the pipeline created nothing: the off-ramp goes back to held and the officer sees why.
      if (error instanceof DomainError) {
        await this.advance(offRampId, ['crypto_pending'], 'held', operator, async (current) => {
          if (current.payout_id) throw new DomainError('conflict', 'The crypto leg was requested meanwhile.');
          return { set: {}, detail: { refusedBy: 'withdrawals', code: error.code, message: error.message } };
        });
      }
      throw error;
    }
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('offramps')
        .set({ payout_id: legId, updated_at: new Date().toISOString() })
        .where('id', '=', offRampId)
        .where('state', '=', 'crypto_pending')
        .where('payout_id', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        await this.history.step(trx, 'offramp', offRampId, 'crypto_pending', 'crypto_pending', operator, { withdrawalId: legId });
      }
    });
    this.history.announce('offramp', offRampId, 'crypto_pending');
  }

  /**
   * Looks at the crypto leg and moves with it: confirmed on chain -> crypto_sent (the client's hold is
   * posted into clearing, which the pipeline's own posted hold empties into the holding wallet);
   * failed or cancelled -> refunded (the hold is voided). Called on 'withdrawal.status' events and on
   * start, and by an officer; anything else leaves the off-ramp waiting.
   */
  async follow(offRampId: string, operator = 'system'): Promise<OffRampView> {
    let row = await this.row(offRampId, this.db);
    if (row.state === 'crypto_pending' && !row.payout_id) {
      // Cut short between saving the step and the pipeline's answer: ask again with the same key.
      await this.requestLeg(offRampId, operator);
      row = await this.row(offRampId, this.db);
    }
    if (row.state !== 'crypto_pending' || !row.payout_id) return this.get(offRampId);
    const leg = await this.requirePipeline().get(row.payout_id);
    try {
      if (leg.state === 'confirmed') {
        return await this.advance(offRampId, ['crypto_pending'], 'crypto_sent', operator, async (current, trx) => {
          const { transfer } = await this.ledger.post(current.hold_transfer_id, `offramp:${current.id}:post`, trx, operator);
          return { set: { tx_hash: leg.txHash }, detail: { withdrawalId: leg.id, txHash: leg.txHash, postTransferId: transfer.id } };
        });
      }
      if (leg.state === 'failed' || leg.state === 'cancelled') {
        return await this.refundInside(['crypto_pending'], offRampId, `The crypto leg ${leg.state}: ${leg.failureReason ?? 'no reason given'}.`, operator, { withdrawalId: leg.id });
      }
    } catch (error) {
      // The status event and an officer (or the start-up pass) can follow at once: the first one moves it.
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    }
    return this.get(offRampId);
  }

  /** Every off-ramp waiting on its crypto leg, e.g. after a restart. */
  async followAll(operator = 'system'): Promise<void> {
    const waiting = await this.db.selectFrom('offramps').select('id').where('state', '=', 'crypto_pending').execute();
    for (const { id } of waiting) await this.follow(id, operator);
  }

  /** Called with a withdrawal's id from its status event. */
  async followWithdrawal(withdrawalId: string, operator = 'system'): Promise<void> {
    const row = await this.db.selectFrom('offramps').select('id').where('payout_id', '=', withdrawalId).executeTakeFirst();
    if (row) await this.follow(row.id, operator);
  }

  /** Rate: fiat per whole crypto unit; fee in the currency's minor units, kept from the proceeds. */
  async convert(request: { offRampId: string; rate: string; fee: bigint; currency: FiatCurrency }, operator = 'system'): Promise<OffRampView> {
    const rate = parseRate(request.rate);
    if (request.fee < 0n) throw new DomainError('invalid_amount', 'The fee cannot be negative.');
    return this.advance(request.offRampId, ['crypto_sent'], 'converted', operator, async (row, trx) => {
      const account = await trx.selectFrom('bank_accounts').select(['rail', 'status']).where('id', '=', row.bank_account_id).executeTakeFirstOrThrow();
      if (!RAIL_CURRENCIES[account.rail as BankRail].includes(request.currency)) {
        throw new DomainError('validation', `The client's ${account.rail} account cannot receive ${request.currency}.`, { field: 'currency' });
      }
      const asset = await this.assets.get(row.asset_id);
      const gross = convert(BigInt(row.crypto_amount), asset.decimals, rate, minorUnits(request.currency));
      const fiat = gross - request.fee;
      if (fiat <= 0n) throw new DomainError('invalid_amount', 'After the fee nothing is left to pay out.', { gross: gross.toString() });
      return {
        set: { rate: rate.text, fee: request.fee.toString(), currency: request.currency, fiat_amount: fiat.toString() },
        detail: { rate: rate.text, fee: request.fee.toString(), currency: request.currency, gross: gross.toString(), fiatAmount: fiat.toString() },
      };
    });
  }

  /** The fiat left the company's bank for the client's verified account. */
  async recordPayout(request: { offRampId: string; payoutReference: string }, operator = 'system'): Promise<OffRampView> {
    return this.advance(request.offRampId, ['converted'], 'fiat_paid', operator, async (row, trx) => {
      const account = await trx.selectFrom('bank_accounts').select(['status']).where('id', '=', row.bank_account_id).executeTakeFirstOrThrow();
      if (account.status !== 'verified') {
        throw new DomainError('no_verified_bank_account', `The client's bank account is now ${account.status}; refund or pick another route.`, { status: account.status });
      }
      const reference = request.payoutReference.trim();
      return {
        set: { payout_reference: reference },
        // The account by id: its number is sealed personal data and stays out of the history and the audit.
        detail: { payoutReference: reference, fiatAmount: row.fiat_amount, currency: row.currency, bankAccountId: row.bank_account_id },
      };
    });
  }

  async complete(offRampId: string, operator = 'system'): Promise<OffRampView> {
    return this.advance(offRampId, ['fiat_paid'], 'completed', operator, async () => ({ set: {}, detail: {} }));
  }

  /**
   * Gives the client the crypto back. Before the crypto leg left, the hold is voided; once it left, the
   * posted hold is reversed (the liquidity provider owes the coins back to clearing). A crypto leg still
   * in the pipeline must be cancelled or fail there first: refunding under it could pay twice.
   */
  async refund(request: { offRampId: string; reason: string }, operator = 'system'): Promise<OffRampView> {
    let row = await this.row(request.offRampId, this.db);
    if (row.state === 'crypto_pending' && !row.payout_id) {
      // Whether the pipeline already holds a withdrawal is learned by asking with the same key.
      await this.requestLeg(request.offRampId, operator).catch((error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
      });
      row = await this.row(request.offRampId, this.db);
    }
    if (row.state === 'crypto_pending') {
      const leg = await this.requirePipeline().get(row.payout_id!);
      if (leg.state !== 'failed' && leg.state !== 'cancelled') {
        throw new DomainError('conflict', `The crypto leg is ${leg.state}; cancel it in withdrawals (or let it fail) before refunding.`, { withdrawalId: leg.id });
      }
    }
    return this.refundInside(REFUNDABLE, request.offRampId, request.reason, operator, {});
  }

  private async refundInside(
    from: readonly OffRampState[],
    offRampId: string,
    reason: string,
    operator: string,
    extra: Record<string, unknown>,
  ): Promise<OffRampView> {
    return this.advance(offRampId, from, 'refunded', operator, async (row, trx) => {
      const sent = row.state === 'crypto_sent' || row.state === 'converted';
      const posted = await trx.selectFrom('ledger_transfers').select('id').where('pending_id', '=', row.hold_transfer_id).where('kind', '=', 'post_pending').executeTakeFirst();
      const { transfer } =
        sent && posted
          ? await this.ledger.reverse(posted.id, { idempotencyKey: `offramp:${row.id}:refund`, code: 'offramp', memo: `Off-ramp refund: ${reason}`, operator, cause: { type: 'offramp', id: row.id } }, trx)
          : await this.ledger.void(row.hold_transfer_id, `offramp:${row.id}:void`, trx, operator);
      return { set: { reason }, detail: { reason, refundTransferId: transfer.id, ...extra } };
    });
  }

  async get(offRampId: string, ex: Db = this.db): Promise<OffRampView> {
    return this.view(await this.row(offRampId, ex), ex);
  }

  async list(filter: { clientId?: string; state?: OffRampState; cursor?: string; limit: number }): Promise<Page<OffRampView>> {
    let query = this.db.selectFrom('offramps').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.cursor) query = query.where(olderThanCursor(filter.cursor));
    return keysetPage(await query.execute(), filter.limit, (row) => this.view(row, this.db));
  }

  private requirePipeline(): CryptoLegPipeline {
    if (!this.pipeline) throw new DomainError('ramp_not_configured', 'The withdrawals pipeline is not available to send the crypto leg.');
    return this.pipeline;
  }

  private async row(offRampId: string, ex: Db): Promise<OffRampRow> {
    const row = await ex.selectFrom('offramps').selectAll().where('id', '=', offRampId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `Off-ramp ${offRampId} does not exist.`, { offRampId });
    return row;
  }

  private async advance(
    offRampId: string,
    from: readonly OffRampState[],
    to: OffRampState,
    operator: string,
    work: (row: OffRampRow, trx: Db) => Promise<{ set: Omit<Updateable<OffRampsTable>, 'state' | 'updated_at'>; detail: Record<string, unknown> }>,
  ): Promise<OffRampView> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.row(offRampId, trx);
      if (!from.includes(row.state as OffRampState)) {
        throw new DomainError('conflict', `The off-ramp is ${row.state}; it cannot become ${to}.`, { state: row.state });
      }
      const { set, detail } = await work(row, trx);
      await trx.updateTable('offramps').set({ ...set, state: to, updated_at: new Date().toISOString() }).where('id', '=', offRampId).where('state', '=', row.state).execute();
      await this.history.step(trx, 'offramp', offRampId, row.state, to, operator, detail);
    });
    this.history.announce('offramp', offRampId, to);
    return this.get(offRampId);
  }

  private async view(row: OffRampRow, ex: Db): Promise<OffRampView> {
    return {
      id: row.id,
      clientId: row.client_id,
      walletId: row.wallet_id,
      bankAccountId: row.bank_account_id,
      assetId: row.asset_id,
      cryptoAmount: row.crypto_amount,
      state: row.state as OffRampState,
      holdTransferId: String(row.hold_transfer_id),
      destinationAddress: row.destination_address,
      payoutId: row.payout_id,
      txHash: row.tx_hash,
      rate: row.rate,
      fee: row.fee,
      currency: row.currency as FiatCurrency | null,
      fiatAmount: row.fiat_amount,
      payoutReference: row.payout_reference,
      reason: row.reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      history: await this.history.of(ex, 'offramp', row.id),
    };
  }
}
