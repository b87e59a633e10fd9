import { TronWeb } from 'tronweb';
import { AbiCoder, id as keccakText, recoverAddress, sha256, Signature, SigningKey } from 'ethers';
import type {
  BlockRef,
  ChainAdapter,
  EnergyResources,
  EnergyStaking,
  StakeAction,
  FeeQuote,
  ObservedTransfer,
  StrayScan,
  RecoverableSignature,
  SignedTransaction,
  TransferIntent,
  TxReceipt,
  UnsignedTransaction,
} from '@engine/chains/adapter';
import { randomInt } from 'node:crypto';
import { BroadcastRejectedError, NetworkMismatchError } from '@engine/chains/errors';
import { classifyTronRefusal } from '@engine/outgoing/refusals';
import type { Asset } from '@shared/domain/assets';
import type { NetworkProfile } from '@shared/domain/chains';
import { tronNetworkMismatch } from './tron-networks';
import { internalTrx } from './internal-trx';
import {
  normalizeTronAddress,
  tronAddressFromAbiWord,
  tronAddressFromHex,
  tronAddressToAbi,
  tronAddressToHex,
} from './address';
import {
  TronNodeClient,
  decodeNodeMessage,
  int64,
  type Int64,
  type BroadcastResponse,
  type ConstantCallResult,
  type NodeBlock,
  type NodeTransactionInfo,
} from './node-client';

export interface TronAdapterOptions {
  /** java-tron full node HTTP endpoint (TronGrid, own node, or the loopback devnode). */
  fullNodeUrl: string;
  /** e.g. { 'TRON-PRO-API-KEY': ... } for TronGrid. */
  headers?: Record<string, string>;
  /**
   * How long a built transaction stays valid. tronweb's default of 60 s is too short for a person
   * to approve on a Ledger; java-tron accepts up to 24 h.
   */
  expirationSeconds?: number;
  /** Headroom on top of the energy estimate for fee_limit, in percent. */
  feeLimitMarginPercent?: number;
}

/** The tronweb transaction object kept in `UnsignedTransaction.body`. */
export interface TronTransactionBody {
  visible: boolean;
  txID: string;
  raw_data: Record<string, unknown>;
  raw_data_hex: string;
  signature?: string[];
}

const abi = AbiCoder.defaultAbiCoder();
const TRANSFER_TOPIC = keccakText('Transfer(address,address,uint256)').slice(2);
const TRANSFER_SELECTOR = 'transfer(address,uint256)';
/** getblockbylimitnext answers at most 100 blocks per call. */
const RANGE_LIMIT = 100n;
/**
 * Upper bounds of what java-tron bills as bandwidth (serialized tx + signature + 64 bytes): a TRX
 * transfer is about 270 bytes, a TRC-20 transfer about 345; estimates use bounds, builds the real size.
 */
const TRX_TRANSFER_BYTES = 300n;
const TRC20_TRANSFER_BYTES = 400n;
/** java-tron refuses fee_limit above 15,000 TRX. */
const MAX_FEE_LIMIT = 15_000_000_000n;
const PRICES_TTL_MS = 10 * 60_000;

interface ChainPrices {
  bandwidthSun: bigint;
  energySun: bigint;
  createAccountSun: bigint;
  activationSun: bigint;
}

/**
 * ChainAdapter for Tron through tronweb v6 and java-tron's HTTP API. Transactions are built locally
 * (tronweb's protobuf encoder), never taken from the node, so what is signed is what we asked for.
 */
export class TronAdapter implements ChainAdapter {
  readonly chain = 'tron' as const;
  private readonly tronWeb: TronWeb;
  private readonly node: TronNodeClient;
  private readonly expirationMs: number;
  private readonly feeLimitMarginPercent: bigint;
  private prices: { value: ChainPrices; at: number } | null = null;
  /** The last expiration this adapter gave a transaction; the next is later, so no two builds share a txID. */
  private lastExpiration = 0;
  readonly energy: EnergyStaking = { buildStake: (action, native) => this.buildStake(action, native), resources: (address) => this.energyResources(address) };

  constructor(options: TronAdapterOptions) {
    this.tronWeb = new TronWeb({
      fullHost: options.fullNodeUrl,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.node = new TronNodeClient(this.tronWeb);
    this.expirationMs = (options.expirationSeconds ?? 600) * 1000;
    this.feeLimitMarginPercent = BigInt(options.feeLimitMarginPercent ?? 20);
  }

  normalizeAddress(address: string): string {
    return normalizeTronAddress(address);
  }

  async checkNetwork(network: NetworkProfile): Promise<void> {
    const genesis = await this.node.read<NodeBlock>('wallet/getblock', { id_or_num: '0', detail: false });
    const mismatch = tronNetworkMismatch(network, String(genesis.blockID ?? ''));
    if (mismatch) throw new NetworkMismatchError(`tron RPC is another network: ${mismatch} (genesis ${String(genesis.blockID ?? 'unknown').slice(0, 24)}…)`);
  }

  async headBlock(): Promise<BlockRef> {
    const block = await this.node.read<NodeBlock>('wallet/getblock', { detail: false });
    return toBlockRef(block, 'head');
  }

  async block(number: bigint): Promise<BlockRef> {
    const block = await this.node.read<NodeBlock>('wallet/getblock', { id_or_num: number.toString(), detail: false });
    return toBlockRef(block, number.toString());
  }

  /**
   * One getblockbylimitnext call per 100 blocks; gettransactioninfobyblocknum only for blocks that
   * hold a successful smart-contract call, since TRC-20 Transfer events live in transaction infos.
   * Recipients are matched by set lookup, so cost follows the blocks scanned, not the address count.
   * With `strays`, TRC-20 Transfer events of contracts outside the registry to our addresses are collected too,
   * and TRX a contract sent them (the info's internal_transactions). A node without saveInternalTx lists none:
   * TRX moved by contracts is then not seen.
   */
  async scanTransfers(
    from: bigint,
    to: bigint,
    assets: Asset[],
    recipients: ReadonlySet<string>,
    strays?: StrayScan,
  ): Promise<ObservedTransfer[]> {
    if (to < from) return [];
    const native = assets.find((a) => a.chain === 'tron' && a.contract === null);
    const tokens = new Map<string, Asset>();
    for (const asset of assets) {
      if (asset.chain === 'tron' && asset.contract) tokens.set(tronAddressToHex(asset.contract), asset);
    }
    const found: ObservedTransfer[] = [];
    for (let start = from; start <= to; start += RANGE_LIMIT) {
      const end = start + RANGE_LIMIT - 1n < to ? start + RANGE_LIMIT - 1n : to;
      const { block: blocks = [] } = await this.node.read<{ block?: NodeBlock[] }>('wallet/getblockbylimitnext', {
        startNum: start.toString(),
        endNum: (end + 1n).toString(),
      });
      const expected = Number(end - start + 1n);
      if (blocks.length !== expected) {
        throw new Error(`Tron node returned ${blocks.length} of ${expected} blocks for ${start}..${end}; is ${end} past the head?`);
      }
      for (const block of blocks) {
        found.push(...(await this.transfersInBlock(block, native, tokens, recipients, strays)));
      }
    }
    return found;
  }

  private async transfersInBlock(
    block: NodeBlock,
    native: Asset | undefined,
    tokens: Map<string, Asset>,
    recipients: ReadonlySet<string>,
    strays?: StrayScan,
  ): Promise<ObservedTransfer[]> {
    const ref = toBlockRef(block, 'in range');
    const found: ObservedTransfer[] = [];
    const transactions = block.transactions ?? [];
    let hasContractCall = false;
    const txIds = new Set<string>();
    for (const tx of transactions) {
      txIds.add(tx.txID);
      const contract = tx.raw_data.contract[0];
      const succeeded = (tx.ret?.[0]?.contractRet ?? 'SUCCESS') === 'SUCCESS';
      if (!contract || !succeeded) continue;
      if (contract.type === 'TriggerSmartContract') hasContractCall = true;
      if (contract.type !== 'TransferContract' || !native) continue;
      const value = contract.parameter.value;
      const recipient = tronAddressFromHex(String(value.to_address));
      if (!recipients.has(recipient)) continue;
      found.push({
        chain: 'tron',
        assetId: native.id,
        txHash: tx.txID,
        logIndex: -1,
        blockNumber: ref.number,
        blockHash: ref.hash,
        from: tronAddressFromHex(String(value.owner_address)),
        to: recipient,
        amount: int64(value.amount, 'amount'),
      });
    }
    if ((tokens.size === 0 && !strays) || !hasContractCall) return found;

    const infos = await this.node.read<NodeTransactionInfo[] | Record<string, never>>(
      'wallet/gettransactioninfobyblocknum',
      { num: ref.number.toString() },
    );
    for (const info of Array.isArray(infos) ? infos : []) {
      // A block re-organised between the two calls would hand back infos of other transactions.
      if (!info.id || !txIds.has(info.id) || info.result === 'FAILED') continue;
      if (strays) strays.found.push(...internalTrx(info, ref, recipients));
      (info.log ?? []).forEach((log, logIndex) => {
        // java-tron prints log.address as the 20-byte id, without the 0x41 prefix.
        const emitter = (log.address ?? '').toLowerCase().replace(/^0x/, '');
        const emitterHex = emitter.length === 40 ? '41' + emitter : emitter;
        const asset = tokens.get(emitterHex);
        const topics = log.topics ?? [];
        if (topics.length !== 3 || topics[0]?.toLowerCase() !== TRANSFER_TOPIC || !log.data) return;
        const recipient = tronAddressFromAbiWord(topics[2]!);
        if (!recipients.has(recipient)) return;
        if (!asset) {
          const amount = BigInt('0x' + log.data.slice(0, 64));
          if (strays && amount > 0n) {
            strays.found.push({
              chain: 'tron',
              kind: 'unknown_token',
              contract: tronAddressFromHex(emitterHex),
              txHash: info.id!,
              eventIndex: logIndex,
              blockNumber: ref.number,
              blockHash: ref.hash,
              from: tronAddressFromAbiWord(topics[1]!),
              to: recipient,
              amount,
            });
          }
          return;
        }
        found.push({
          chain: 'tron',
          assetId: asset.id,
          txHash: info.id!,
          logIndex,
          blockNumber: ref.number,
          blockHash: ref.hash,
          from: tronAddressFromAbiWord(topics[1]!),
          to: recipient,
          amount: BigInt('0x' + log.data.slice(0, 64)),
        });
      });
    }
    return found;
  }

  async balance(asset: Asset, address: string): Promise<bigint> {
    assertTron(asset);
    const owner = this.normalizeAddress(address);
    if (asset.contract === null) {
      const account = await this.node.read<{ balance?: string | number }>('wallet/getaccount', {
        address: tronAddressToHex(owner),
      });
      return int64(account.balance, 'balance');
    }
    const output = await this.constantCall(asset.contract, 'balanceOf(address)', [['address'], [tronAddressToAbi(owner)]], owner);
    return abi.decode(['uint256'], '0x' + output)[0] as bigint;
  }

  async tokenMetadata(contract: string): Promise<{ symbol: string; decimals: number }> {
    const address = this.normalizeAddress(contract);
    const [symbolHex, decimalsHex] = await Promise.all([
      this.constantCall(address, 'symbol()', null, address),
      this.constantCall(address, 'decimals()', null, address),
    ]);
    let symbol: string;
    try {
      symbol = abi.decode(['string'], '0x' + symbolHex)[0] as string;
    } catch {
      // Some early tokens return bytes32 for symbol().
      symbol = Buffer.from(symbolHex.slice(0, 64), 'hex').toString('utf8').replace(/\0+$/, '');
    }
    const decimals = Number(abi.decode(['uint8'], '0x' + decimalsHex)[0] as bigint);
    return { symbol, decimals };
  }

  async estimateFee(intent: TransferIntent): Promise<FeeQuote> {
    assertTron(intent.asset);
    const from = this.normalizeAddress(intent.from);
    const to = this.normalizeAddress(intent.to);
    const prices = await this.chainPrices();
    if (intent.asset.contract === null) {
      const activates = !(await this.accountExists(to));
      return trxFee(prices, TRX_TRANSFER_BYTES, activates);
    }
    const energy = await this.transferEnergy(intent.asset.contract, from, to, intent.amount);
    return trc20Fee(prices, energy, TRC20_TRANSFER_BYTES, this.feeLimitMarginPercent);
  }

  async buildTransfer(intent: TransferIntent): Promise<UnsignedTransaction> {
    assertTron(intent.asset);
    const from = this.normalizeAddress(intent.from);
    const to = this.normalizeAddress(intent.to);
    if (from === to) throw new Error('A Tron transfer needs different sender and recipient addresses');
    if (intent.amount <= 0n) throw new RangeError('Transfer amount must be positive');
    const fee = await this.estimateFee(intent);
    const blockHeader = await this.refBlock();
    let body: TronTransactionBody;
    if (intent.asset.contract === null) {
      body = (await this.tronWeb.transactionBuilder.sendTrx(to, safeSun(intent.amount), from, {
        blockHeader,
      })) as unknown as TronTransactionBody;
    } else {
      const wrapper = await this.tronWeb.transactionBuilder.triggerSmartContract(
        this.normalizeAddress(intent.asset.contract),
        TRANSFER_SELECTOR,
        { feeLimit: Number(fee.detail.feeLimitSun), callValue: 0, txLocal: true, blockHeader },
        [
          { type: 'address', value: to },
          // A decimal string reaches the ABI encoder as an exact integer.
          { type: 'uint256', value: intent.amount.toString() },
        ],
        from,
      );
      body = wrapper.transaction as unknown as TronTransactionBody;
    }
    assertTxId(body);
    assertBodyMatches(body, intent.asset.contract, from, to, intent.amount);
    const bytes = bandwidthBytes(body.raw_data_hex);
    const prices = await this.chainPrices();
    // Refine the bandwidth part of the quote with the real size of what will be signed.
    const exactFee =
      intent.asset.contract === null
        ? trxFee(prices, bytes, fee.detail.activationSun !== '0')
        : trc20Fee(prices, BigInt(fee.detail.energy ?? '0'), bytes, this.feeLimitMarginPercent);
    return {
      chain: 'tron',
      intent: { ...intent, from, to },
      signingPayload: body.raw_data_hex,
      fee: exactFee,
      body,
    };
  }

  attachSignature(tx: UnsignedTransaction, signature: RecoverableSignature): SignedTransaction {
    const body = bodyOf(tx);
    assertTxId(body);
    const r = hex32(signature.r, 'r');
    const { s, v } = lowS(hex32(signature.s, 's'), normalizeV(signature.v));
    const signatureHex = r + s + v.toString(16);
    let signer: string;
    try {
      signer = tronAddressFromAbiWord(recoverAddress('0x' + body.txID, Signature.from({ r: '0x' + r, s: '0x' + s, v })));
    } catch (error) {
      throw new Error(`The signature is not a valid secp256k1 signature: ${(error as Error).message}`);
    }
    const from = this.normalizeAddress(tx.intent.from);
    if (signer !== from) {
      throw new Error(`The signature is by ${signer}, but the transfer is from ${from}: wrong key or device account`);
    }
    const signed: TronTransactionBody = { ...body, signature: [signatureHex] };
    return { chain: 'tron', txHash: body.txID, raw: JSON.stringify(signed) };
  }

  async signWithKey(tx: UnsignedTransaction, privateKeyHex: string): Promise<SignedTransaction> {
    const body = bodyOf(tx);
    const key = new SigningKey('0x' + privateKeyHex.replace(/^0x/, ''));
    const sig = key.sign('0x' + body.txID);
    return this.attachSignature(tx, { r: sig.r, s: sig.s, v: sig.v });
  }

  /**
   * Returns the txID once the node accepted it. DUP_TRANSACTION_ERROR counts as accepted only when the
   * node holds this very transaction, same raw data and same signature (a resumed broadcast after a crash):
   * java-tron also answers it for a txID it merely saw before (its broadcast cache keeps refused ones too).
   */
  async broadcast(tx: SignedTransaction): Promise<string> {
    const body = JSON.parse(tx.raw) as TronTransactionBody;
    const response = await this.node.post<BroadcastResponse>('wallet/broadcasttransaction', body);
    if (response.result === true) return response.txid ?? tx.txHash;
    const code = response.code ?? 'OTHER_ERROR';
    if (code === 'DUP_TRANSACTION_ERROR' && (await this.nodeHoldsIdentical(body))) return tx.txHash;
    throw new BroadcastRejectedError('tron', tx.txHash, code, response.Error ?? decodeNodeMessage(response.message), classifyTronRefusal(code));
  }

  private async nodeHoldsIdentical(ours: TronTransactionBody): Promise<boolean> {
    const held = await this.node.read<Partial<TronTransactionBody>>('wallet/gettransactionbyid', { value: ours.txID });
    const sameRaw = typeof held.raw_data_hex === 'string' && held.raw_data_hex.toLowerCase() === ours.raw_data_hex.toLowerCase();
    const sameSignature = (held.signature ?? []).map((s) => s.toLowerCase()).join() === (ours.signature ?? []).map((s) => s.toLowerCase()).join();
    return held.txID === ours.txID && sameRaw && sameSignature;
  }

  async transactionSender(txHash: string): Promise<string | null> {
    const hash = txHash.replace(/^0x/, '').toLowerCase();
    const tx = await this.node.read<{ raw_data?: { contract?: Array<{ parameter?: { value?: { owner_address?: string } } }> } }>('wallet/gettransactionbyid', { value: hash });
    const owner = tx.raw_data?.contract?.[0]?.parameter?.value?.owner_address;
    return owner ? tronAddressFromHex(String(owner)) : null;
  }

  /** java-tron's getcontract answers {} for an address without a deployed contract. */
  async isContract(address: string): Promise<boolean> {
    const contract = await this.node.read<{ bytecode?: string; contract_address?: string }>('wallet/getcontract', { value: tronAddressToHex(this.normalizeAddress(address)) });
    return Boolean(contract.contract_address || contract.bytecode);
  }

  async receipt(txHash: string): Promise<TxReceipt | null> {
    const hash = txHash.replace(/^0x/, '').toLowerCase();
    const info = await this.node.read<NodeTransactionInfo>('wallet/gettransactioninfobyid', { value: hash });
    // {} until the transaction is packed into a block.
    if (!info.id || info.blockNumber === undefined) return null;
    const blockNumber = int64(info.blockNumber, 'blockNumber');
    const [block, head] = await Promise.all([this.block(blockNumber), this.headBlock()]);
    const failed = info.result === 'FAILED' || (info.receipt?.result !== undefined && info.receipt.result !== 'SUCCESS');
    // Out of energy at a fee_limit we quoted: the energy price rose since (a passed proposal), so the cached
    // prices are stale and the next quote must read the network's again.
    if (info.receipt?.result === 'OUT_OF_ENERGY') this.prices = null;
    return {
      txHash: hash,
      status: failed ? 'reverted' : 'success',
      blockNumber,
      blockHash: block.hash,
      confirmations: head.number >= blockNumber ? Number(head.number - blockNumber + 1n) : 0,
      feePaid: int64(info.fee, 'fee'),
      ...(failed ? { failure: info.receipt?.result ?? info.result } : {}),
    };
  }

  /**
   * Stake 2.0 transactions of an owner (the gas tank): freeze TRX for energy, delegate energy-staked TRX (sun) to
   * a receiver, reclaim it. Built locally like transfers; the intent records owner, receiver and sun so the
   * signature check and the audit trail name them.
   */
  async buildStake(action: StakeAction, native: Asset): Promise<UnsignedTransaction> {
    assertTron(native);
    if (action.sun <= 0n) throw new RangeError('A stake amount must be positive');
    const owner = this.normalizeAddress(action.owner);
    const receiver = action.kind === 'delegate' || action.kind === 'undelegate' ? this.normalizeAddress(action.receiver) : owner;
    const blockHeader = await this.refBlock();
    const b = this.tronWeb.transactionBuilder;
    const sun = safeSun(action.sun);
    const built =
      action.kind === 'freeze'
        ? await b.freezeBalanceV2(sun, 'ENERGY', owner, { blockHeader })
        : action.kind === 'unfreeze'
          ? await b.unfreezeBalanceV2(sun, 'ENERGY', owner, { blockHeader })
          : action.kind === 'withdrawUnfrozen'
            ? await b.withdrawExpireUnfreeze(owner, { blockHeader })
            : action.kind === 'delegate'
              ? await b.delegateResource(sun, receiver, 'ENERGY', owner, false, undefined, { blockHeader })
              : await b.undelegateResource(sun, receiver, 'ENERGY', owner, { blockHeader });
    const body = built as unknown as TronTransactionBody;
    assertTxId(body);
    assertStakeMatches(body, action.kind, owner, receiver, action.sun);
    const prices = await this.chainPrices();
    const bytes = bandwidthBytes(body.raw_data_hex);
    return {
      chain: 'tron',
      intent: { asset: native, from: owner, to: receiver, amount: action.sun },
      signingPayload: body.raw_data_hex,
      fee: { maxFee: bytes * prices.bandwidthSun, detail: { bandwidthBytes: bytes.toString(), bandwidthPriceSun: prices.bandwidthSun.toString(), activationSun: '0' } },
      body,
    };
  }

  /**
   * An address's energy as java-tron reports it (wallet/getaccountresource, wallet/getaccount): its limit and
   * use now, the TRX it staked for energy and what of it is delegated away, and the sun one energy costs to stake.
   */
  async energyResources(address: string): Promise<EnergyResources> {
    const hex = tronAddressToHex(this.normalizeAddress(address));
    const [res, account] = await Promise.all([
      this.node.read<Record<string, Int64>>('wallet/getaccountresource', { address: hex }),
      this.node.read<{
        address?: string;
        frozenV2?: { type?: string; amount?: Int64 }[];
        unfrozenV2?: { type?: string; unfreeze_amount?: Int64; unfreeze_expire_time?: Int64 }[];
        account_resource?: { delegated_frozenV2_balance_for_energy?: Int64 };
      }>('wallet/getaccount', { address: hex }),
    ]);
    const staked = int64(account.frozenV2?.find((f) => f.type === 'ENERGY')?.amount, 'frozenV2');
    return {
      activated: account.address !== undefined,
      energyLimit: int64(res.EnergyLimit, 'EnergyLimit'),
      energyUsed: int64(res.EnergyUsed, 'EnergyUsed'),
      freeNetLeft: int64(res.freeNetLimit, 'freeNetLimit') - int64(res.freeNetUsed, 'freeNetUsed'),
      netLeft: int64(res.NetLimit, 'NetLimit') - int64(res.NetUsed, 'NetUsed'),
      stakedForEnergy: staked,
      delegatedForEnergy: int64(account.account_resource?.delegated_frozenV2_balance_for_energy, 'delegated'),
      unstaking: (account.unfrozenV2 ?? [])
        .filter((u) => u.type === 'ENERGY')
        .map((u) => ({ sun: int64(u.unfreeze_amount, 'unfreeze_amount'), withdrawableAtMs: Number(int64(u.unfreeze_expire_time, 'unfreeze_expire_time')) })),
      totalEnergyLimit: int64(res.TotalEnergyLimit, 'TotalEnergyLimit'),
      totalEnergyWeight: int64(res.TotalEnergyWeight, 'TotalEnergyWeight'),
    };
  }

  // --- helpers -------------------------------------------------------------------------------

  private async constantCall(
    contract: string,
    functionSelector: string,
    args: [string[], unknown[]] | null,
    caller: string,
  ): Promise<string> {
    const response = await this.node.post<ConstantCallResult>('wallet/triggerconstantcontract', {
      owner_address: tronAddressToHex(caller),
      contract_address: tronAddressToHex(contract),
      function_selector: functionSelector,
      parameter: args ? abi.encode(args[0], args[1]).slice(2) : '',
      visible: false,
    });
    const output = response.constant_result?.[0];
    if (response.result?.result !== true || response.transaction?.ret?.[0]?.ret === 'FAILED' || output === undefined) {
      const reason = response.Error ?? decodeNodeMessage(response.result?.message);
      throw new Error(`Tron constant call ${functionSelector} on ${contract} failed: ${reason || 'reverted'}`);
    }
    return output;
  }

  /** Energy a TRC-20 transfer needs; wallet/estimateenergy where the node offers it, else a dry run. */
  private async transferEnergy(contract: string, from: string, to: string, amount: bigint): Promise<bigint> {
    const body = {
      owner_address: tronAddressToHex(from),
      contract_address: tronAddressToHex(contract),
      function_selector: TRANSFER_SELECTOR,
      parameter: abi.encode(['address', 'uint256'], [tronAddressToAbi(to), amount]).slice(2),
      visible: false,
    };
    const estimate = await this.node.post<ConstantCallResult>('wallet/estimateenergy', body);
    if (estimate.result?.result === true && estimate.energy_required !== undefined) {
      return int64(estimate.energy_required, 'energy_required');
    }
    const dryRun = await this.node.post<ConstantCallResult>('wallet/triggerconstantcontract', body);
    if (dryRun.result?.result === true && dryRun.transaction?.ret?.[0]?.ret !== 'FAILED' && dryRun.energy_used !== undefined) {
      return int64(dryRun.energy_used, 'energy_used');
    }
    const reason = decodeNodeMessage(estimate.result?.message ?? dryRun.result?.message) || 'the call reverts';
    throw new Error(`A ${amount} transfer of ${contract} from ${from} would fail (${reason}); does the sender hold enough tokens?`);
  }

  private async accountExists(address: string): Promise<boolean> {
    const account = await this.node.read<{ address?: string }>('wallet/getaccount', { address: tronAddressToHex(address) });
    return account.address !== undefined;
  }

  private async chainPrices(): Promise<ChainPrices> {
    if (this.prices && Date.now() - this.prices.at < PRICES_TTL_MS) return this.prices.value;
    const { chainParameter = [] } = await this.node.read<{ chainParameter?: { key: string; value?: string | number }[] }>(
      'wallet/getchainparameters',
    );
    const param = (key: string) => int64(chainParameter.find((p) => p.key === key)?.value, key);
    const value: ChainPrices = {
      bandwidthSun: param('getTransactionFee'),
      energySun: param('getEnergyFee'),
      createAccountSun: param('getCreateAccountFee'),
      activationSun: param('getCreateNewAccountFeeInSystemContract'),
    };
    this.prices = { value, at: Date.now() };
    return value;
  }

  /**
   * Reference block and an expiration long enough for a hardware-wallet approval. tronweb takes both from
   * the head block, so two identical transfers built in one block would share a txID and the second would
   * be a "duplicate" of the first: paid once, booked twice. Each build therefore gets its own expiration
   * (strictly increasing here, with a random millisecond offset against other processes) and its own
   * creation timestamp.
   */
  private async refBlock() {
    const params = await this.tronWeb.trx.getCurrentRefBlockParams();
    const base = params.timestamp + this.expirationMs + randomInt(0, 1000);
    const expiration = Math.max(base, this.lastExpiration + 1);
    this.lastExpiration = expiration;
    return { ...params, expiration, timestamp: Math.max(params.timestamp, Date.now()) };
  }
}

function assertTron(asset: Asset): void {
  if (asset.chain !== 'tron') throw new Error(`Asset ${asset.id} is not a Tron asset`);
}

function toBlockRef(block: NodeBlock, label: string): BlockRef {
  const raw = block.block_header?.raw_data;
  if (!block.blockID || !raw) throw new Error(`Tron block ${label} not found`);
  return {
    // proto3 JSON leaves out zero values, so block 0 carries no number.
    number: int64(raw.number, 'number'),
    hash: block.blockID,
    parentHash: raw.parentHash ?? '',
    timestamp: Number(int64(raw.timestamp, 'timestamp') / 1000n),
  };
}

function trxFee(prices: ChainPrices, bytes: bigint, activates: boolean): FeeQuote {
  // Activating a new account burns the creation fees instead of bandwidth.
  const bandwidthFee = activates ? prices.createAccountSun : bytes * prices.bandwidthSun;
  const activationFee = activates ? prices.activationSun : 0n;
  return {
    maxFee: bandwidthFee + activationFee,
    detail: {
      bandwidthBytes: bytes.toString(),
      bandwidthPriceSun: prices.bandwidthSun.toString(),
      activationSun: activationFee.toString(),
    },
  };
}

function trc20Fee(prices: ChainPrices, energy: bigint, bytes: bigint, marginPercent: bigint): FeeQuote {
  const energyFee = energy * prices.energySun;
  let feeLimit = (energyFee * (100n + marginPercent) + 99n) / 100n;
  if (feeLimit > MAX_FEE_LIMIT) feeLimit = MAX_FEE_LIMIT;
  const bandwidthFee = bytes * prices.bandwidthSun;
  return {
    // fee_limit caps what energy may burn; bandwidth is billed on top of it.
    maxFee: feeLimit + bandwidthFee,
    detail: {
      energy: energy.toString(),
      energyPriceSun: prices.energySun.toString(),
      feeLimitSun: feeLimit.toString(),
      bandwidthBytes: bytes.toString(),
      bandwidthPriceSun: prices.bandwidthSun.toString(),
      activationSun: '0',
    },
  };
}

/** Serialized Transaction (raw_data + one 65-byte signature, with protobuf tags) plus java-tron's 64 bytes. */
function bandwidthBytes(rawDataHex: string): bigint {
  const rawLength = rawDataHex.length / 2;
  const lengthPrefix = rawLength < 0x80 ? 1 : rawLength < 0x4000 ? 2 : 3;
  return BigInt(1 + lengthPrefix + rawLength + 67 + 64);
}

/** tronweb encodes TRX amounts through JS numbers; refuse what a number cannot hold exactly. */
function safeSun(amount: bigint): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`A single TRX transfer is limited to ${Number.MAX_SAFE_INTEGER} sun by tronweb's encoder`);
  }
  return Number(amount);
}

function bodyOf(tx: UnsignedTransaction): TronTransactionBody {
  const body = tx.body as TronTransactionBody | undefined;
  if (tx.chain !== 'tron' || !body || typeof body.txID !== 'string' || typeof body.raw_data_hex !== 'string') {
    throw new Error('Not an unsigned Tron transaction built by TronAdapter');
  }
  return body;
}

/** The txID must be sha256(raw_data_hex): a body edited after building would be signed blind. */
function assertTxId(body: TronTransactionBody): void {
  if (sha256('0x' + body.raw_data_hex).slice(2) !== body.txID.toLowerCase()) {
    throw new Error(`Tron transaction ${body.txID} does not match its raw_data_hex`);
  }
}

/** What goes to the signer must say what the caller asked, whatever the SDK did with the numbers. */
function assertBodyMatches(body: TronTransactionBody, contract: string | null, from: string, to: string, amount: bigint): void {
  const contracts = body.raw_data.contract as { type?: string; parameter?: { value?: Record<string, unknown> } }[] | undefined;
  const value = contracts?.length === 1 ? contracts[0]?.parameter?.value : undefined;
  const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b;
  const matches =
    value !== undefined &&
    same(value.owner_address, tronAddressToHex(from)) &&
    (contract === null
      ? contracts?.[0]?.type === 'TransferContract' &&
        same(value.to_address, tronAddressToHex(to)) &&
        String(value.amount) === amount.toString()
      : contracts?.[0]?.type === 'TriggerSmartContract' &&
        same(value.contract_address, tronAddressToHex(contract)) &&
        same(value.data, transferCallData(to, amount)) &&
        !value.call_value);
  if (!matches) throw new Error(`Built Tron transaction ${body.txID} does not match the requested transfer`);
}

const STAKE_TYPES = {
  freeze: 'FreezeBalanceV2Contract',
  unfreeze: 'UnfreezeBalanceV2Contract',
  withdrawUnfrozen: 'WithdrawExpireUnfreezeContract',
  delegate: 'DelegateResourceContract',
  undelegate: 'UnDelegateResourceContract',
} as const;

/** A stake transaction must be of the asked kind, for energy, by the owner, to the receiver, of the sun asked. */
function assertStakeMatches(body: TronTransactionBody, kind: StakeAction['kind'], owner: string, receiver: string, sun: bigint): void {
  const contracts = body.raw_data.contract as { type?: string; parameter?: { value?: Record<string, unknown> } }[] | undefined;
  const value = contracts?.length === 1 ? contracts[0]?.parameter?.value : undefined;
  const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b;
  const matches =
    value !== undefined &&
    contracts?.[0]?.type === STAKE_TYPES[kind] &&
    (kind === 'withdrawUnfrozen' || value.resource === 'ENERGY') &&
    same(value.owner_address, tronAddressToHex(owner)) &&
    (kind === 'freeze'
      ? String(value.frozen_balance) === sun.toString()
      : kind === 'unfreeze'
        ? String(value.unfreeze_balance) === sun.toString()
        : kind === 'withdrawUnfrozen'
          ? Object.keys(value).length === 1
          : same(value.receiver_address, tronAddressToHex(receiver)) && String(value.balance) === sun.toString() && !value.lock);
  if (!matches) throw new Error(`Built Tron transaction ${body.txID} does not match the requested ${kind}`);
}

function transferCallData(to: string, amount: bigint): string {
  return keccakText(TRANSFER_SELECTOR).slice(2, 10) + abi.encode(['address', 'uint256'], [tronAddressToAbi(to), amount]).slice(2);
}

function hex32(value: string, name: string): string {
  const hex = value.replace(/^0x/, '').toLowerCase();
  if (!/^[0-9a-f]{1,64}$/.test(hex)) throw new Error(`Signature ${name} must be at most 32 bytes of hex`);
  return hex.padStart(64, '0');
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * A high-s signature and its low-s mirror (n - s, other recovery id) verify for the same key;
 * java-tron takes either, ethers recovers only low-s, so a device's high-s answer is mirrored.
 */
function lowS(s: string, v: 27 | 28): { s: string; v: 27 | 28 } {
  const value = BigInt('0x' + s);
  if (value <= SECP256K1_N / 2n) return { s, v };
  return { s: (SECP256K1_N - value).toString(16).padStart(64, '0'), v: v === 27 ? 28 : 27 };
}

/** Devices return the recovery id as 0/1 or 27/28; java-tron and tronweb use 27/28 (0x1b/0x1c). */
function normalizeV(v: number): 27 | 28 {
  if (v === 0 || v === 27) return 27;
  if (v === 1 || v === 28) return 28;
  throw new Error(`Signature recovery id must be 0, 1, 27 or 28, got ${v}`);
}
