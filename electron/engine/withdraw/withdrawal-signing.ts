import type { Ledger } from '../ledger/ledger';
import { assertCompanyCoversFee } from './company-fee-cover';
import { Transaction } from 'ethers';
import type { Kysely } from 'kysely';
import { CHAIN_LABELS, chainFamily, type Chain } from '@shared/domain/chains';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { DomainError } from '@shared/result';
import type { Asset } from '@shared/domain/assets';
import { formatAmountGrouped } from '@shared/money';
import type { ChainAdapter, EvmFeeFloor, SignedTransaction, UnsignedTransaction } from '../chains/adapter';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ChainService } from '../chains/chain-service';
import { REFUSALS, refusalOf } from '../outgoing/refusals';
import { higherFloor, replacementFloorOf } from '../outgoing/tx-lifecycle';
import type { Database, WithdrawalRow } from '../db/schema';
import type { HoldingWallets } from '../holding/holding-wallets';
import type { HoldingSigner } from './holding-signer';
import { parseUnsigned, serializeUnsigned, withdrawalView, type WithdrawalRecords } from './withdrawal-records';
import { requireOperator, type Operator } from './withdrawal-service';
import type { EnginePresence } from '../system/presence';
import { assertNotMaker } from '../operators/maker-checker';

type Db = Kysely<Database>;

/**
 * approved -> signed -> broadcast. The signed transaction is stored before it is broadcast, so a
 * crash at any point resumes by broadcasting the very same bytes (nodes accept a duplicate), never
 * by signing a second payment. EVM nonces of the holding address are reserved in the database.
 */
export class WithdrawalSigning {
  /** One signing at a time per chain: nonces are taken in the order transactions are signed. */
  private readonly chainLocks = new Map<Chain, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly records: WithdrawalRecords,
    private readonly chains: ChainService,
    private readonly assets: AssetRegistry,
    private readonly holding: HoldingWallets,
    private readonly signer: HoldingSigner,
    private readonly presence: EnginePresence,
    private readonly ledger: Ledger,
  ) {}

  /** Signs on the Ledger and broadcasts. A device failure leaves the withdrawal approved and unsigned. */
  async sign(withdrawalId: string, actor: Operator): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'sign a withdrawal');
    const first = await this.records.row(withdrawalId);
    // Four eyes: the requester never signs their own withdrawal, whatever their role.
    assertNotMaker(first.requested_by, operator, 'requested this withdrawal', { withdrawalId });
    if (first.state === 'signed') return this.broadcast(first, operator);
    if (first.state !== 'approved') {
      throw new DomainError('conflict', `The withdrawal is ${first.state}; only an approved withdrawal can be signed.`, { withdrawalId, state: first.state });
    }
    const signed = await this.withChainLock(first.chain as Chain, async () => {
      const row = await this.records.row(withdrawalId);
      if (row.state !== 'approved') throw new DomainError('conflict', `The withdrawal is ${row.state} now.`, { withdrawalId, state: row.state });
      const adapter = await this.chains.adapter(row.chain as Chain);
      const mined = await this.earlierSignatureMined(row, adapter, operator);
      if (mined) return mined;
      const nonce = chainFamily(row.chain as Chain) === 'evm' ? await this.reserveNonce(row, adapter, operator) : undefined;
      try {
        // A signature before this one with the same nonce may sit in a mempool: this one must be able to replace it.
        const floor = nonce !== undefined ? await this.replacementFloor(row.id, nonce) : undefined;
        const { unsigned, signedTx } = await this.signOnDevice(row, adapter, nonce, undefined, floor);
        return await this.db.transaction().execute(async (trx) => {
          await this.recordAttempt(trx, row, signedTx, nonce ?? null);
          return this.records.transition(
            trx,
            row,
            ['approved'],
            {
              state: 'signed',
              signed_by: operator,
              unsigned_tx: serializeUnsigned(unsigned),
              signed_raw: signedTx.raw,
              tx_hash: signedTx.txHash,
              // Every hash ever signed is watched: an earlier one with the same nonce may still be mined.
              tx_hashes: JSON.stringify(withHash(row.tx_hashes, signedTx.txHash)),
              failure_reason: null,
            },
            { operator, action: 'withdrawal.signed', change: { txHash: signedTx.txHash, nonce: nonce ?? null, fee: unsigned.fee.detail } },
          );
        });
      } catch (error) {
        // Nothing signed: the nonce goes back so no later transaction waits behind a gap; unless an earlier
        // signature with that nonce exists, which only this nonce keeps from paying a second time.
        if (nonce !== undefined && !signedBefore(row)) await this.releaseNonce(row, operator);
        throw error;
      }
    });
    this.records.announce(signed);
    return this.broadcast(signed, operator);
  }

  /** An earlier signature of this withdrawal that made it on chain after all: nothing to sign, it is broadcast. */
  private async earlierSignatureMined(row: WithdrawalRow, adapter: ChainAdapter, operator: string): Promise<WithdrawalRow | null> {
    if (!hasAttempts(row)) return null;
    for (const hash of JSON.parse(row.tx_hashes) as string[]) {
      if (await this.chains.call(row.chain as Chain, () => adapter.receipt(hash))) {
        return this.db.transaction().execute((trx) =>
          this.records.transition(trx, row, ['approved'], { state: 'broadcast', tx_hash: hash }, { operator, action: 'withdrawal.broadcast', change: { txHash: hash, earlier: true } }),
        );
      }
    }
    return null;
  }

  /**
   * A broadcast EVM transaction that is not mined: the same nonce again with a higher fee, signed
   * afresh on the device. Whichever of the two is mined settles the withdrawal.
   */
  async replace(withdrawalId: string, actor: Operator): Promise<WithdrawalView> {
    const operator = requireOperator(actor, 'replace a transaction');
    const first = await this.records.row(withdrawalId);
    assertNotMaker(first.requested_by, operator, 'requested this withdrawal', { withdrawalId });
    const chain = first.chain as Chain;
    if (chainFamily(chain) !== 'evm') {
      throw new DomainError('conflict', 'Tron transactions have no nonce to replace: an unconfirmed one expires and is signed again.', { withdrawalId });
    }
    const row = await this.withChainLock(chain, async () => {
      const current = await this.records.row(withdrawalId);
      if (current.state !== 'broadcast' || current.nonce === null) {
        throw new DomainError('conflict', `The withdrawal is ${current.state}; only a broadcast transaction can be replaced.`, { withdrawalId, state: current.state });
      }
      const adapter = await this.chains.adapter(chain);
      for (const hash of JSON.parse(current.tx_hashes) as string[]) {
        if (await adapter.receipt(hash)) throw new DomainError('conflict', `Transaction ${hash} is already mined; nothing to replace.`, { withdrawalId });
      }
      if (!current.unsigned_tx) throw new DomainError('conflict', 'The withdrawal has no transaction to replace.', { withdrawalId });
      const replacement = await this.replacementOf(parseUnsigned(current.unsigned_tx), adapter, (await this.replacementFloor(current.id, current.nonce)) ?? {});
      const { unsigned, signedTx } = await this.signOnDevice(current, adapter, current.nonce, replacement);
      const hashes = [...(JSON.parse(current.tx_hashes) as string[]), signedTx.txHash];
      // Stored before it is broadcast: the tracker watches every hash that might get mined.
      const updated = await this.db.transaction().execute(async (trx) => {
        await this.recordAttempt(trx, current, signedTx, current.nonce);
        return this.records.transition(
          trx,
          current,
          ['broadcast'],
          { signed_by: operator, unsigned_tx: serializeUnsigned(unsigned), signed_raw: signedTx.raw, tx_hash: signedTx.txHash, tx_hashes: JSON.stringify(hashes) },
          { operator, action: 'withdrawal.replaced', change: { replaces: current.tx_hash, txHash: signedTx.txHash, nonce: current.nonce, fee: unsigned.fee.detail } },
        );
      });
      await this.chains.call(chain, (a) => a.broadcast(parseSigned(updated)));
      return updated;
    });
    this.records.announce(row);
    return withdrawalView(row);
  }

  /** Sends the stored signed transaction; a resumed flow calls it again with the same bytes. */
  async broadcast(row: WithdrawalRow, operator = 'system'): Promise<WithdrawalView> {
    if (row.state !== 'signed') return withdrawalView(row);
    const chain = row.chain as Chain;
    const adapter = await this.chains.adapter(chain);
    const signedTx = parseSigned(row);
    try {
      await adapter.broadcast(signedTx);
    } catch (error) {
      const kind = refusalOf(error);
      if (kind === null || REFUSALS[kind].next === 'retry_later') {
        if (error instanceof DomainError) throw error;
        const message = kind ? REFUSALS[kind].explanation : (error instanceof Error ? error.message : String(error)).slice(0, 300);
        // Stays signed: the next sign call or the tracker's resume broadcasts the same bytes again.
        throw new DomainError('chain_unavailable', `The ${CHAIN_LABELS[chain]} node did not take the transaction yet (${message}); it is sent again.`, { withdrawalId: row.id, state: 'signed' });
      }
      // The node said no. If one of this withdrawal's signatures is on chain after all, it is broadcast.
      for (const hash of JSON.parse(row.tx_hashes) as string[]) {
        if (await adapter.receipt(hash).catch(() => null)) {
          const mined = await this.db.transaction().execute((trx) =>
            this.records.transition(trx, row, ['signed'], { state: 'broadcast', tx_hash: hash }, { operator, action: 'withdrawal.broadcast', change: { txHash: hash, earlier: true } }),
          );
          this.records.announce(mined);
          return withdrawalView(mined);
        }
      }
      const explanation = REFUSALS[kind].explanation;
      const nodeText = (error as Error).message.slice(0, 300);
      // Back to approved, to be signed again. An EVM nonce stays reserved (a later signature with the same
      // nonce can only replace an earlier one) unless the node says it is used, and by none of ours.
      const nonceUsed = kind === 'nonce_too_low';
      const back = await this.db.transaction().execute((trx) =>
        this.records.transition(
          trx,
          row,
          ['signed'],
          { state: 'approved', unsigned_tx: null, signed_raw: null, tx_hash: null, ...(nonceUsed ? { nonce: null } : {}), failure_reason: `Refused by the node: ${explanation}.` },
          { operator, action: 'withdrawal.resign_needed', change: { txHash: signedTx.txHash, refusal: kind, reason: nodeText } },
        ),
      );
      this.records.announce(back);
      throw new DomainError('conflict', `The ${CHAIN_LABELS[chain]} node refused the signed transaction: ${explanation}. Fix the cause and sign it again, or cancel.`, {
        withdrawalId: row.id,
        state: 'approved',
        refusal: kind,
      });
    }
    const broadcast = await this.db.transaction().execute((trx) =>
      this.records.transition(
        trx,
        row,
        ['signed'],
        { state: 'broadcast', tx_hashes: JSON.stringify(withHash(row.tx_hashes, signedTx.txHash)) },
        { operator, action: 'withdrawal.broadcast', change: { txHash: signedTx.txHash } },
      ),
    );
    this.records.announce(broadcast);
    return withdrawalView(broadcast);
  }

  private async signOnDevice(
    row: WithdrawalRow,
    adapter: ChainAdapter,
    nonce: number | undefined,
    prepared?: UnsignedTransaction,
    minFees?: EvmFeeFloor,
  ): Promise<{ unsigned: UnsignedTransaction; signedTx: SignedTransaction }> {
    const chain = row.chain as Chain;
    const holding = await this.holding.require(chain);
    if (holding.address !== row.source) {
      throw new DomainError('conflict', `The holding wallet on ${chain} changed since this withdrawal was requested; cancel it and request it again.`, {
        withdrawalId: row.id,
      });
    }
    const asset = await this.assets.get(row.asset_id);
    const unsigned =
      prepared ??
      (await this.chains.call(chain, (a) => a.buildTransfer({ asset, from: row.source, to: row.destination, amount: BigInt(row.amount), nonce, ...(minFees ? { minFees } : {}) })));
    await assertFeeCovered(this.chains, this.assets, this.ledger, row, asset, unsigned.fee.maxFee);
    const signature = await this.signer.sign(unsigned, holding.derivationPath, asset);
    try {
      return { unsigned, signedTx: adapter.attachSignature(unsigned, signature) };
    } catch (error) {
      throw new DomainError(
        'device',
        `The Ledger signed with a key that is not the holding address ${row.source}: is the right device and account connected? (${(error as Error).message.slice(0, 200)})`,
        { state: 'ready', reason: 'wrong-key' },
      );
    }
  }

  /**
   * The same transaction (nonce, recipient, data, gas limit) paying at least the larger of the market's fee
   * now and every earlier signature of the nonce + 12.5% (outgoing/tx-lifecycle.ts). Rebuilding from scratch
   * would re-estimate gas against a pending state that already contains the replaced transfer, and come out too low.
   */
  private async replacementOf(previous: UnsignedTransaction, adapter: ChainAdapter, floor: EvmFeeFloor): Promise<UnsignedTransaction> {
    const tx = Transaction.from(previous.signingPayload);
    const market = (await this.chains.call(previous.chain, () => adapter.estimateFee(previous.intent))).detail;
    const marketFloor: EvmFeeFloor =
      tx.type === 2
        ? { maxFeePerGas: BigInt(market.maxFeePerGas ?? '0'), maxPriorityFeePerGas: BigInt(market.maxPriorityFeePerGas ?? '0') }
        : { gasPrice: BigInt(market.gasPrice ?? '0') };
    const pay = higherFloor(higherFloor(marketFloor, floor), replacementFloorOf([previous.signingPayload]));
    const detail: Record<string, string> = { gasLimit: tx.gasLimit.toString() };
    if (tx.type === 2) {
      tx.maxPriorityFeePerGas = pay.maxPriorityFeePerGas!;
      tx.maxFeePerGas = pay.maxFeePerGas! > pay.maxPriorityFeePerGas! ? pay.maxFeePerGas! : pay.maxPriorityFeePerGas!;
      detail.maxFeePerGas = tx.maxFeePerGas.toString();
      detail.maxPriorityFeePerGas = tx.maxPriorityFeePerGas.toString();
    } else {
      tx.gasPrice = pay.gasPrice!;
      detail.gasPrice = tx.gasPrice.toString();
    }
    const perGas = tx.type === 2 ? tx.maxFeePerGas! : tx.gasPrice!;
    return {
      ...previous,
      signingPayload: tx.unsignedSerialized,
      fee: { maxFee: tx.gasLimit * perGas, detail },
      body: { ...(previous.body as Record<string, unknown>), ...detail },
    };
  }

  /** What a new signature with `nonce` must pay at least: every earlier one of this withdrawal with that nonce + 12.5%. */
  private async replacementFloor(withdrawalId: string, nonce: number): Promise<EvmFeeFloor | undefined> {
    const earlier = await this.db.selectFrom('withdrawal_txs').select('raw').where('withdrawal_id', '=', withdrawalId).where('nonce', '=', nonce).execute();
    if (earlier.length === 0) return undefined;
    return replacementFloorOf(earlier.map((t) => t.raw));
  }

  /**
   * Every signed transaction is kept with its bytes, and a hash belongs to one withdrawal only: a build that
   * came out identical to another withdrawal's (same txID) is refused before it can be broadcast and booked twice.
   */
  private async recordAttempt(trx: Db, row: WithdrawalRow, signedTx: SignedTransaction, nonce: number | null): Promise<void> {
    await trx
      .insertInto('withdrawal_txs')
      .values({ chain: row.chain, tx_hash: signedTx.txHash, withdrawal_id: row.id, nonce, raw: signedTx.raw, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['chain', 'tx_hash']).doNothing())
      .execute();
    const owner = await trx.selectFrom('withdrawal_txs').select('withdrawal_id').where('chain', '=', row.chain).where('tx_hash', '=', signedTx.txHash).executeTakeFirstOrThrow();
    if (owner.withdrawal_id !== row.id) {
      throw new DomainError('conflict', 'This transaction came out identical to another withdrawal\'s; sign it again to get a transaction of its own.', { withdrawalId: row.id });
    }
  }

  /** The lowest nonce at or above the chain's that no live withdrawal of this address holds. */
  private async reserveNonce(row: WithdrawalRow, adapter: ChainAdapter, operator: string): Promise<number> {
    if (!adapter.nextNonce) throw new Error(`${row.chain} adapter has no nonces`);
    const chainNonce = await this.chains.call(row.chain as Chain, () => adapter.nextNonce!(row.source));
    return this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(row.id, trx);
      // Signed before: only that nonce keeps an earlier signature (maybe still in a mempool) from paying twice.
      // If something else used it, the broadcast hears "nonce too low" and gives it back then.
      if (current.nonce !== null && (current.nonce >= chainNonce || signedBefore(current))) {
        // This engine signs with it now: another one must not give it back while the device is asked.
        if (current.signing_engine !== this.presence.id) await trx.updateTable('withdrawals').set({ signing_engine: this.presence.id }).where('id', '=', current.id).execute();
        return current.nonce;
      }
      const taken = await trx
        .selectFrom('withdrawals')
        .select('nonce')
        .where('profile', '=', current.profile)
        .where('chain', '=', current.chain)
        .where('source', '=', current.source)
        .where('state', 'in', ['approved', 'signed', 'broadcast'])
        .where('nonce', '>=', chainNonce)
        .where('id', '!=', current.id)
        .orderBy('nonce')
        .execute();
      let nonce = chainNonce;
      for (const t of taken) if (t.nonce === nonce) nonce += 1;
      await this.records.transition(trx, current, ['approved'], { nonce, signing_engine: this.presence.id }, { operator, action: 'withdrawal.nonce_reserved', change: { nonce, chainNonce } });
      return nonce;
    });
  }

  private async releaseNonce(row: WithdrawalRow, operator: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const current = await this.records.row(row.id, trx);
      if (current.state !== 'approved' || current.nonce === null) return;
      await this.records.transition(trx, current, ['approved'], { nonce: null }, { operator, action: 'withdrawal.nonce_released', change: { nonce: current.nonce } });
    });
  }

  private withChainLock<T>(chain: Chain, work: () => Promise<T>): Promise<T> {
    const previous = this.chainLocks.get(chain) ?? Promise.resolve();
    const run = previous.then(work, work);
    this.chainLocks.set(chain, run.catch(() => undefined));
    return run;
  }
}

/**
 * Just before the device is asked: the company's own native coins still pay this transaction's fee (fees are
 * booked from its reserve, never from client backing), and the holding wallet has that coin on chain (and the
 * amount, for a native withdrawal). Otherwise the node would refuse the signed bytes with its raw text, or the
 * company reserve would go below zero; this names the top-up and the address instead, and leaves the
 * withdrawal approved.
 */
export async function assertFeeCovered(chains: ChainService, assets: AssetRegistry, ledger: Ledger, row: WithdrawalRow, asset: Asset, maxFee: bigint): Promise<void> {
  const chain = row.chain as Chain;
  const native = (await assets.list(chain)).find((a) => a.contract === null);
  if (!native) return;
  await assertCompanyCoversFee(ledger, { native, fee: maxFee, address: row.source, then: 'sign again', withdrawalId: row.id });
  const need = maxFee + (asset.contract === null ? BigInt(row.amount) : 0n);
  const has = await chains.call(chain, (a) => a.balance(native, row.source));
  if (has >= need) return;
  const what = asset.contract === null ? `this ${asset.symbol} withdrawal and its network fee` : `the network fee of this ${asset.symbol} transfer`;
  throw new DomainError(
    'fee_not_covered',
    `The holding wallet on ${CHAIN_LABELS[chain]} needs ${formatAmountGrouped(need - has, native.decimals)} ${native.symbol} more for ${what}; send it to ${row.source}, then sign again.`,
    { withdrawalId: row.id, chain, assetId: native.id, shortfall: (need - has).toString(), fee: maxFee.toString(), onChain: has.toString(), address: row.source },
  );
}

function withHash(hashesJson: string, hash: string): string[] {
  const hashes = JSON.parse(hashesJson) as string[];
  return hashes.includes(hash) ? hashes : [...hashes, hash];
}

/** Whether a withdrawal ever had a signed transaction (any chain): its hashes are then watched for receipts. */
export function hasAttempts(row: WithdrawalRow): boolean {
  return (JSON.parse(row.tx_hashes) as string[]).length > 0;
}

/** Whether an EVM withdrawal ever had a signed transaction (whose nonce must then stay its own). */
export function signedBefore(row: WithdrawalRow): boolean {
  return row.nonce !== null && (JSON.parse(row.tx_hashes) as string[]).length > 0;
}

export function parseSigned(row: WithdrawalRow): SignedTransaction {
  if (!row.signed_raw || !row.tx_hash) throw new DomainError('conflict', 'The withdrawal has no signed transaction.', { withdrawalId: row.id });
  return { chain: row.chain as Chain, txHash: row.tx_hash, raw: row.signed_raw };
}

