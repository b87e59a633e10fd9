import type { Kysely } from 'kysely';
import type { Asset } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import type { TransferCode } from '@shared/domain/ledger';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ControlsSettingsStore } from '../controls/controls-settings';
import { assertMayReceive, assertMaySend } from '../controls/kyc-gate';
import type { Database, GuardedWalletRow, LedgerTransferRow } from '../db/schema';
import { requireActive, type WalletService } from '../wallets/wallet-service';
import type { Ledger, TransferOutcome, TransferRequest } from './ledger';

export interface Actor {
  operator?: string;
}

/**
 * The product's money movements on virtual balances: internal transfers, company credit, deposit
 * credits and holds. Each is one ledger transfer (or hold) whose idempotency key the caller makes.
 */
export class TransferService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ledger: Ledger,
    private readonly wallets: WalletService,
    private readonly assets: AssetRegistry,
    private readonly controls: ControlsSettingsStore,
  ) {}

  /** Between two active virtual wallets of one asset: ledger only, no chain transaction. */
  async internalTransfer(
    request: { idempotencyKey: string; fromWalletId: string; toWalletId: string; assetId: string; amount: bigint; memo?: string },
    actor: Actor = {},
  ): Promise<TransferOutcome> {
    if (request.fromWalletId === request.toWalletId) {
      throw new DomainError('validation', 'Source and destination are the same wallet.');
    }
    const asset = await this.assets.get(request.assetId);
    const { transfersToUnownedWallets } = await this.controls.get();
    // KYC gates: the sender's client verified, the recipient's too (or no client, where the policy allows).
    const gate = ([from, to]: GuardedWalletRow[]) => {
      assertMaySend(from!);
      assertMayReceive(to!, transfersToUnownedWallets);
    };
    return this.operatorTransfer(asset, [request.fromWalletId, request.toWalletId], actor, gate, undefined, {
      idempotencyKey: request.idempotencyKey,
      debit: { kind: 'client_wallet', assetId: asset.id, walletId: request.fromWalletId },
      credit: { kind: 'client_wallet', assetId: asset.id, walletId: request.toWalletId },
      amount: request.amount,
      code: 'internal_transfer',
      memo: request.memo,
    });
  }

  /**
   * The company credits a client even when the holding wallet cannot cover it: it raises the company's
   * debt, so it is booked against uncovered credit and needs a reason.
   */
  async companyCredit(
    request: { idempotencyKey: string; walletId: string; assetId: string; amount: bigint; reason: string },
    actor: Actor = {},
    ex?: Kysely<Database>,
  ): Promise<TransferOutcome> {
    const asset = await this.assets.get(request.assetId);
    // The company's own wallets may always take its credit; a client's only while verified.
    return this.operatorTransfer(asset, [request.walletId], actor, ([to]) => assertMayReceive(to!, true), ex, {
      idempotencyKey: request.idempotencyKey,
      debit: { kind: 'uncovered_credit', assetId: asset.id },
      credit: { kind: 'client_wallet', assetId: asset.id, walletId: request.walletId },
      amount: request.amount,
      code: 'company_credit',
      memo: request.reason,
    });
  }

  /**
   * A confirmed on-chain deposit becomes the client's virtual balance, once per (chain, tx hash, log
   * index): the chain's own identity of the movement is the idempotency key.
   */
  async creditDeposit(
    request: { chain: Chain; txHash: string; logIndex: number; walletId: string; assetId: string; amount: bigint; depositId: string },
    ex?: Kysely<Database>,
  ): Promise<TransferOutcome> {
    const asset = await this.assets.get(request.assetId);
    const wallet = await this.wallets.row(request.walletId, ex);
    this.assertAssetOnChain(asset.chain, wallet.chain, request.assetId, wallet.label);
    if (asset.chain !== request.chain) throw new DomainError('asset_mismatch', `${request.assetId} is not an asset of ${request.chain}.`);
    return this.ledger.transfer(
      {
        idempotencyKey: depositKey(request.chain, request.txHash, request.logIndex),
        debit: { kind: 'deposit_in_transit', assetId: asset.id, walletId: wallet.id },
        credit: { kind: 'client_wallet', assetId: asset.id, walletId: wallet.id },
        amount: request.amount,
        code: 'deposit',
        cause: { type: 'deposit', id: request.depositId },
      },
      ex,
    );
  }

  /**
   * Reserves a client's balance for money about to leave (a withdrawal paid from holding, or an
   * off-ramp through its clearing account). It cannot be spent twice while pending.
   */
  async hold(
    request: {
      idempotencyKey: string;
      walletId: string;
      assetId: string;
      amount: bigint;
      purpose: 'withdrawal' | 'offramp';
      causeId: string;
    },
    ex?: Kysely<Database>,
    actor: Actor = {},
  ): Promise<TransferOutcome> {
    const asset = await this.assets.get(request.assetId);
    const code: TransferCode = request.purpose;
    // Money leaving a client's wallet: the client must be verified (KYC gate), read in this transaction.
    const guard = { walletIds: [request.walletId], check: ([wallet]: GuardedWalletRow[]) => wallet && assertMaySend(wallet) };
    return this.ledger.transfer(
      {
        idempotencyKey: request.idempotencyKey,
        kind: 'pending',
        debit: { kind: 'client_wallet', assetId: asset.id, walletId: request.walletId },
        credit: { kind: request.purpose === 'withdrawal' ? 'holding' : 'offramp_clearing', assetId: asset.id },
        amount: request.amount,
        code,
        cause: { type: request.purpose, id: request.causeId },
        operator: actor.operator,
      },
      ex,
      guard,
    );
  }

  postHold(hold: LedgerTransferRow, idempotencyKey: string, ex?: Kysely<Database>): Promise<TransferOutcome> {
    return this.ledger.post(hold.id, idempotencyKey, ex);
  }

  voidHold(hold: LedgerTransferRow, idempotencyKey: string, ex?: Kysely<Database>): Promise<TransferOutcome> {
    return this.ledger.void(hold.id, idempotencyKey, ex);
  }

  /**
   * An operator's movement into a client wallet. The wallets it names are read and checked (each exists, is
   * active, is on the asset's chain) in the ledger's own transaction: on SQLite a synchronous one.
   */
  private operatorTransfer(
    asset: Asset,
    walletIds: string[],
    actor: Actor,
    gate: (wallets: GuardedWalletRow[]) => void,
    ex: Kysely<Database> | undefined,
    transfer: Omit<TransferRequest, 'cause' | 'operator'>,
  ): Promise<TransferOutcome> {
    return this.ledger.transfer({ ...transfer, cause: { type: 'operator', id: actor.operator ?? 'officer' }, operator: actor.operator }, ex, {
      walletIds,
      check: (rows: GuardedWalletRow[]) => {
        const wallets = requireActive(walletIds, rows);
        for (const wallet of wallets) this.assertAssetOnChain(asset.chain, wallet.chain, asset.id, wallet.label);
        gate(wallets);
      },
    });
  }

  private assertAssetOnChain(assetChain: Chain, walletChain: string, assetId: string, label: string): void {
    if (assetChain !== walletChain) {
      throw new DomainError('asset_mismatch', `${assetId} cannot be held in wallet "${label}" on ${walletChain}.`, { assetId });
    }
  }
}

export function depositKey(chain: Chain, txHash: string, logIndex: number): string {
  return `deposit:${chain}:${txHash.toLowerCase()}:${logIndex}`;
}
