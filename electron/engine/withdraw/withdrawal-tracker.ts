import type { Kysely } from 'kysely';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { Asset } from '@shared/domain/assets';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainAdapter, TxReceipt } from '../chains/adapter';
import type { ChainService } from '../chains/chain-service';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database, WithdrawalRow } from '../db/schema';
import type { Ledger } from '../ledger/ledger';
import type { WithdrawalRecords } from './withdrawal-records';
import { parseUnsigned } from './withdrawal-records';
import type { WithdrawalService } from './withdrawal-service';
import { hasAttempts, signedBefore, type WithdrawalSigning } from './withdrawal-signing';
import type { EnginePresence } from '../system/presence';
import type { AlertCenter } from '../alerts/alert-center';
import type { AlertView } from '@shared/domain/alerts';
import type { WithdrawalDepth } from '@shared/domain/withdrawals';
import type { AccountSpec } from '../ledger/accounts';
import { bookingKey, outgoingReorgAlert, recheckReceipt, recheckWindow, reverseBookings } from '../outgoing/reorg-check';
import type { AccountKind } from '@shared/domain/ledger';
import { formatAmount } from '@shared/money';

type Db = Kysely<Database>;

export interface TrackOutcome {
  confirmed: string[];
  failed: string[];
  /** Tron transactions that expired unmined and went back to approved for a new signature. */
  expired: string[];
  /** Confirmed ones whose block a reorg took back: unbooked, back under a hold, tracked again. */
  reorged: string[];
}

/**
 * broadcast -> confirmed | failed. Looks every broadcast withdrawal up on chain by its hashes (a
 * replacement adds one); once a receipt has the profile's confirmation depth it settles the hold in
 * the same transaction as the state change, so a restart finds it settled or not, never half.
 */
export class WithdrawalTracker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TrackOutcome> | null = null;
  private resuming: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly records: WithdrawalRecords,
    private readonly configuration: ConfigurationService,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly ledger: Ledger,
    private readonly withdrawals: WithdrawalService,
    private readonly signing: WithdrawalSigning,
    private readonly presence: EnginePresence,
    private readonly log: (message: string, error?: unknown) => void,
    /** For the alerts: a withdrawal a reorg took back, one that failed or does not confirm. */
    private readonly alerts: AlertCenter,
  ) {}

  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.track().catch((error) => this.log('Withdrawal tracking failed', error));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.running?.catch(() => undefined), this.resuming?.catch(() => undefined)]);
  }

  /**
   * After a restart: signed withdrawals are broadcast again with their stored bytes (a node that
   * already has them answers as much), and nonces reserved by a signing the crash cut short go back.
   */
  resume(): Promise<void> {
    this.resuming ??= this.resumeOnce().finally(() => {
      this.resuming = null;
    });
    return this.resuming;
  }

  private async resumeOnce(): Promise<void> {
    const { profile } = await this.configuration.get();
    const signed = await this.db.selectFrom('withdrawals').selectAll().where('profile', '=', profile).where('state', '=', 'signed').execute();
    for (const row of signed) {
      await this.signing.broadcast(row, 'system').catch((error) => this.log(`Withdrawal ${row.id}: broadcast on resume failed`, error));
    }
    // On a shared database a nonce may be reserved by a signing another workstation has under way (its device
    // waiting for a person): only the nonces of engines that are gone are orphans.
    const reserved = await this.db.selectFrom('withdrawals').select('signing_engine').distinct().where('state', '=', 'approved').where('nonce', 'is not', null).execute();
    const gone = new Set<string | null>([null]);
    for (const { signing_engine: engine } of reserved) {
      if (engine !== null && !(await this.presence.isAlive(engine))) gone.add(engine);
    }
    await this.db.transaction().execute(async (trx) => {
      const orphaned = await trx.selectFrom('withdrawals').selectAll().where('profile', '=', profile).where('state', '=', 'approved').where('nonce', 'is not', null).execute();
      for (const row of orphaned) {
        // A nonce an earlier signature used stays with its withdrawal (see WithdrawalSigning).
        if (signedBefore(row)) continue;
        if (!gone.has(row.signing_engine)) {
          this.log(`Withdrawal ${row.id}: nonce ${row.nonce} stays reserved, engine ${row.signing_engine} is still signing it`);
          continue;
        }
        await this.records.transition(trx, row, ['approved'], { nonce: null }, { operator: 'system', action: 'withdrawal.nonce_released', change: { nonce: row.nonce, reason: 'signing interrupted' } });
      }
    });
  }

  /**
   * How deep the withdrawal's transaction is now, read from the chain on demand (the screens' confirmation
   * counter): null before anything was broadcast or while no node has mined it.
   */
  async depth(withdrawalId: string): Promise<WithdrawalDepth> {
    const row = await this.records.row(withdrawalId);
    const configuration = await this.configuration.get();
    const required = configuration.chains[row.chain as Chain].confirmations;
    const hashes = [...(JSON.parse(row.tx_hashes) as string[])].reverse();
    if (hashes.length === 0) return { confirmations: null, required, txHash: null };
    const adapter = await this.chains.adapter(row.chain as Chain);
    for (const hash of row.tx_hash ? [row.tx_hash, ...hashes.filter((h) => h !== row.tx_hash)] : hashes) {
      const receipt = await adapter.receipt(hash);
      if (receipt) return { confirmations: receipt.confirmations, required, txHash: receipt.txHash };
    }
    return { confirmations: null, required, txHash: row.tx_hash };
  }

  /** One pass over every broadcast withdrawal; concurrent callers share the pass. */
  track(): Promise<TrackOutcome> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async pass(): Promise<TrackOutcome> {
    const outcome: TrackOutcome = { confirmed: [], failed: [], expired: [], reorged: [] };
    const configuration = await this.configuration.get();
    // First the confirmed ones near the head: one a reorg took back is tracked again in this same pass.
    outcome.reorged = await this.recheckConfirmed(configuration.profile, configuration.chains);
    // Approved ones with an earlier signature too, on every chain: a node that refused a retry may still mine
    // the first, and a Tron transaction sent before a refusal stays valid until it expires.
    const rows = (
      await this.db.selectFrom('withdrawals').selectAll().where('profile', '=', configuration.profile).where('state', 'in', ['broadcast', 'approved']).execute()
    ).filter((row) => row.state === 'broadcast' || hasAttempts(row));
    for (const row of rows) {
      const chain = row.chain as Chain;
      try {
        const adapter = await this.chains.adapter(chain);
        let found: TxReceipt | null = null;
        for (const hash of [...(JSON.parse(row.tx_hashes) as string[])].reverse()) {
          const receipt = await adapter.receipt(hash);
          if (receipt) {
            found = receipt;
            break;
          }
        }
        if (!found) {
          if (row.state === 'broadcast' && chain === 'tron' && (await this.tronExpired(row))) {
            await this.expire(row);
            outcome.expired.push(row.id);
          }
          continue;
        }
        if (found.confirmations < configuration.chains[chain].confirmations) continue;
        const settled = await this.settle(row, found);
        if (settled) (found.status === 'success' ? outcome.confirmed : outcome.failed).push(row.id);
      } catch (error) {
        this.log(`Withdrawal ${row.id}: tracking failed`, error);
      }
    }
    return outcome;
  }

  /** Posts (or voids) the hold, books the network fee, and moves the state, all in one transaction. */
  private async settle(row: WithdrawalRow, receipt: TxReceipt): Promise<boolean> {
    const asset = await this.assets.get(row.asset_id);
    const native = (await this.assets.list(asset.chain)).find((a) => a.contract === null) as Asset;
    const success = receipt.status === 'success';
    let raised: AlertView | null = null;
    const settledRow = await this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(row.id, trx);
      if (current.state !== 'broadcast' && current.state !== 'approved') return null;
      // After a reorg undid a settlement, the amount is under a new hold and books under the next round's keys.
      const hold = current.rehold_transfer_id ?? current.hold_transfer_id;
      const key = (base: string) => bookingKey(base, current.booking_round);
      const settlement = success
        ? await this.ledger.post(hold, key(`withdrawal:${current.id}:post`), trx, 'system')
        : await this.ledger.void(hold, key(`withdrawal:${current.id}:void`), trx, 'system');
      if (receipt.feePaid > 0n) {
        // The holding wallet paid the network fee in the native coin, mined or reverted alike. The company pays it
        // from its own reserve: the coins that back clients' native balances are never spent on fees.
        await this.ledger.transfer(
          {
            idempotencyKey: key(`withdrawal:${current.id}:fee:${receipt.txHash}`),
            debit: { kind: 'company_reserve', assetId: native.id },
            credit: { kind: 'holding', assetId: native.id },
            memo: 'Network fee, paid by the company',
            amount: receipt.feePaid,
            code: 'gas',
            cause: { type: 'withdrawal', id: current.id },
            operator: 'system',
          },
          trx,
        );
      }
      const clientFee = BigInt(current.client_fee ?? '0');
      if (success && clientFee > 0n) {
        // The hold took amount + fee out of holding; the fee never left it: it is the company's revenue now.
        await this.ledger.transfer(
          {
            idempotencyKey: key(`withdrawal:${current.id}:client-fee`),
            debit: { kind: 'holding', assetId: asset.id },
            credit: { kind: 'fee_revenue', assetId: asset.id },
            amount: clientFee,
            code: 'withdrawal_fee',
            cause: { type: 'withdrawal', id: current.id },
            operator: 'system',
          },
          trx,
        );
      }
      if (!success) {
        raised = await this.alerts.raiseIn(trx, {
          profile: current.profile,
          kind: 'withdrawal_failed',
          chain: current.chain as Chain,
          subject: `withdrawal:${current.id}`,
          message: `The withdrawal of ${formatAmount(BigInt(current.amount), asset.decimals)} ${asset.symbol} to ${current.destination} failed on ${CHAIN_LABELS[current.chain as Chain]}: its transaction ${whyFailed(receipt)}, and the held amount was released to the wallet.${outOfEnergy(receipt) ? ' Request it again: the new request is quoted at the current price.' : ''}`,
          details: { withdrawalId: current.id, txHash: receipt.txHash, failure: receipt.failure ?? null },
        });
      }
      return this.records.transition(
        trx,
        current,
        ['broadcast', 'approved'],
        {
          state: success ? 'confirmed' : 'failed',
          tx_hash: receipt.txHash,
          settle_transfer_id: settlement.transfer.id,
          block_hash: receipt.blockHash.toLowerCase(),
          block_number: Number(receipt.blockNumber),
          fee_paid: receipt.feePaid.toString(),
          failure_reason: success ? null : failureReason(receipt),
          finished_at: new Date().toISOString(),
        },
        {
          operator: 'system',
          action: success ? 'withdrawal.confirmed' : 'withdrawal.failed',
          change: { txHash: receipt.txHash, blockNumber: receipt.blockNumber.toString(), blockHash: receipt.blockHash, feePaid: receipt.feePaid.toString(), ...(success ? {} : { failure: receipt.failure ?? 'reverted', reason: failureReason(receipt) }) },
        },
      );
    });
    if (!settledRow) return false;
    this.alerts.announce(raised);
    this.records.announce(settledRow);
    await this.withdrawals.announceBalance(settledRow);
    return true;
  }

  /**
   * Confirmed withdrawals mined within the re-check window of the head: one whose receipt is gone or in another
   * block is unbooked and tracked again (outgoing/reorg-check.ts). Returns their ids.
   */
  private async recheckConfirmed(profile: string, chains: Record<Chain, { confirmations: number }>): Promise<string[]> {
    const rows = await this.db.selectFrom('withdrawals').selectAll().where('profile', '=', profile).where('state', '=', 'confirmed').where('block_number', 'is not', null).execute();
    const reorged: string[] = [];
    const heads = new Map<Chain, number>();
    for (const row of rows) {
      const chain = row.chain as Chain;
      try {
        const adapter = await this.chains.adapter(chain);
        if (!heads.has(chain)) heads.set(chain, Number((await adapter.headBlock()).number));
        if (row.block_number! < heads.get(chain)! - recheckWindow(chains[chain].confirmations)) continue;
        const check = await recheckReceipt(adapter, row.tx_hash!, { blockNumber: row.block_number!, blockHash: row.block_hash });
        if (check.kind === 'same' || check.kind === 'behind') continue;
        await this.unbook(row, adapter, check.kind === 'gone');
        reorged.push(row.id);
      } catch (error) {
        this.log(`Withdrawal ${row.id}: re-checking its confirmation failed`, error);
      }
    }
    return reorged;
  }

  /**
   * The block that confirmed the withdrawal was orphaned (or the transaction now sits in another block): the
   * settlement and the fee are reversed, the amount goes back under a new hold (the client cannot spend what
   * is on its way out), and the withdrawal is broadcast again, tracked until mined anew, when it settles under
   * the next round's keys. One database transaction; an alert names it. A transaction the chain no longer has
   * is sent again from its stored bytes.
   */
  private async unbook(row: WithdrawalRow, adapter: ChainAdapter, resend: boolean): Promise<void> {
    const asset = await this.assets.get(row.asset_id);
    const round = row.booking_round;
    const txHash = row.tx_hash!;
    const cause = { type: 'withdrawal', id: row.id };
    let raised: AlertView | null = null;
    const back = await this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(row.id, trx);
      if (current.state !== 'confirmed' || current.booking_round !== round) return null;
      const memo = `Block ${current.block_number} with the withdrawal was orphaned by a reorg`;
      const keys = [`withdrawal:${row.id}:post`, `withdrawal:${row.id}:fee:${txHash}`, `withdrawal:${row.id}:client-fee`].map((k) => bookingKey(k, round));
      const reversals = await reverseBookings(trx, this.ledger, keys, cause, memo);
      const first = await trx.selectFrom('ledger_transfers').selectAll().where('id', '=', current.hold_transfer_id).executeTakeFirstOrThrow();
      const accounts = await trx.selectFrom('ledger_accounts').select(['id', 'kind', 'asset_id', 'wallet_id']).where('id', 'in', [first.debit_account_id, first.credit_account_id]).execute();
      const spec = (id: number): AccountSpec => {
        const account = accounts.find((a) => a.id === id)!;
        return { kind: account.kind as AccountKind, assetId: account.asset_id, ...(account.wallet_id ? { walletId: account.wallet_id } : {}) };
      };
      const hold = await this.ledger.transfer(
        {
          idempotencyKey: `withdrawal:${row.id}:hold:r${round + 1}`,
          kind: 'pending',
          debit: spec(first.debit_account_id),
          credit: spec(first.credit_account_id),
          amount: BigInt(first.amount),
          code: first.code as never,
          cause,
          memo: 'Held again: the block that confirmed the withdrawal was orphaned',
          operator: 'system',
        },
        trx,
      );
      const moved = await this.records.transition(
        trx,
        current,
        ['confirmed'],
        { state: 'broadcast', settle_transfer_id: null, finished_at: null, block_hash: null, block_number: null, fee_paid: null, booking_round: round + 1, rehold_transfer_id: hold.transfer.id },
        { operator: 'system', action: 'withdrawal.reorged', change: { txHash, block: current.block_number, blockHash: current.block_hash, reversalTransferIds: reversals, holdTransferId: hold.transfer.id, round } },
      );
      raised = await outgoingReorgAlert(trx, this.alerts, {
        subject: `withdrawal:${row.id}:${round}`,
        profile: row.profile,
        chain: row.chain as Chain,
        message: `The withdrawal of ${formatAmount(BigInt(row.amount), asset.decimals)} ${asset.symbol} to ${row.destination}, confirmed in block ${current.block_number}, was taken back by a reorg: its booking was undone, the amount is held again, and it is tracked until it is mined again.`,
        details: { withdrawalId: row.id, txHash, block: current.block_number, reversalTransferIds: reversals },
      });
      return moved;
    });
    if (!back) return;
    this.alerts.announce(raised);
    this.records.announce(back);
    await this.withdrawals.announceBalance(back);
    if (!resend) return;
    const sent = await this.db.selectFrom('withdrawal_txs').select('raw').where('chain', '=', row.chain).where('tx_hash', '=', txHash).executeTakeFirst();
    const raw = sent?.raw ?? row.signed_raw;
    if (!raw) return;
    await adapter.broadcast({ chain: row.chain as Chain, txHash, raw }).catch((error) => this.log(`Withdrawal ${row.id}: re-sending ${txHash} after a reorg failed`, error));
  }

  private async tronExpired(row: WithdrawalRow): Promise<boolean> {
    if (!row.unsigned_tx) return false;
    const body = parseUnsigned(row.unsigned_tx).body as { raw_data?: { expiration?: number } };
    const expiration = body.raw_data?.expiration;
    if (typeof expiration !== 'number') return false;
    const head = await this.chains.call('tron', (a) => a.headBlock());
    return head.timestamp * 1000 > expiration;
  }

  private async expire(row: WithdrawalRow): Promise<void> {
    const back = await this.db.transaction().execute((trx) =>
      this.records.transition(
        trx,
        row,
        ['broadcast'],
        { state: 'approved', unsigned_tx: null, signed_raw: null, tx_hash: null, failure_reason: 'The signed transaction expired before it was mined: sign it again.' },
        { operator: 'system', action: 'withdrawal.expired', change: { txHashes: JSON.parse(row.tx_hashes) as string[] } },
      ),
    );
    this.records.announce(back);
  }
}

/**
 * A Tron transaction mined as OUT_OF_ENERGY burned its whole fee limit: the network's energy price rose after the
 * quote. It is final (a new request is a new transaction quoted at the current price), so the officer is told so.
 */
const outOfEnergy = (receipt: TxReceipt): boolean => receipt.failure === 'OUT_OF_ENERGY';

function whyFailed(receipt: TxReceipt): string {
  return outOfEnergy(receipt) ? "ran out of energy: the network's energy price rose after it was quoted, and its fee was burned" : 'reverted';
}

function failureReason(receipt: TxReceipt): string {
  return outOfEnergy(receipt)
    ? `The transaction ${receipt.txHash} ran out of energy: the network's energy price rose after it was quoted. The fee it burned is the company's; the held amount is released. Request the withdrawal again.`
    : `The transaction ${receipt.txHash} reverted on chain; the held amount is released.`;
}
