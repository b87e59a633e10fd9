import {
  getAddress,
  id,
  Interface,
  isError,
  JsonRpcProvider,
  Network,
  recoverAddress,
  Signature,
  SigningKey,
  toBeHex,
  toQuantity,
  Transaction,
  zeroPadValue,
} from 'ethers';
import type { Asset } from '@shared/domain/assets';
import type {
  BlockRef,
  ChainAdapter,
  EvmFeeFloor,
  FeeQuote,
  ObservedStray,
  ObservedTransfer,
  RecoverableSignature,
  StrayScan,
  SignedTransaction,
  TransferIntent,
  TxReceipt,
  UnsignedTransaction,
} from '@engine/chains/adapter';
import { BroadcastRejectedError } from '@engine/chains/errors';
import { classifyEvmRefusal, nodeMessage } from '@engine/outgoing/refusals';
import { normalizeEvmAddress } from './address';
import { internalNativeTransfers, recipientTopicChunks, traceParams, TRACING_REFUSAL, unknownTokenTransfers, type StrayLog } from './stray-scan';
import { NetworkMismatchError } from '@engine/chains/errors';

export type EvmChain = 'polygon' | 'bsc';
export type EvmFeeModel = 'eip1559' | 'legacy';

export interface EvmAdapterOptions {
  chain: EvmChain;
  rpcUrl: string;
  /** 137/56 on mainnet, 80002/97 on testnets, private ids on devnet; fixed so the provider never probes. */
  chainId: number;
  /** Default: EIP-1559 on Polygon, legacy gasPrice on BNB Chain. */
  feeModel?: EvmFeeModel;
  /**
   * Floor for the EIP-1559 tip (Polygon: nodes refuse tips under their minimum, 25-30 gwei, while public RPCs
   * have suggested 1.5 gwei). The node's own suggestion is paid when higher.
   */
  minPriorityFeePerGas?: bigint;
  /** Floor for the legacy gas price (BNB Chain); the node's eth_gasPrice is paid when higher. */
  minGasPrice?: bigint;
  /** Widest block span per eth_getLogs; public RPCs cap it. Default 2000. */
  maxLogBlockRange?: bigint;
  /** Blocks fetched at once when scanning native transfers. Default 16. */
  blockFetchConcurrency?: number;
  /** Percent added to eth_estimateGas for token transfers, since balances may change before mining. Default 20. */
  gasLimitMarginPercent?: number;
}

/** Transaction fields in JSON-safe form (decimal strings), for display and for persisting with a sweep. */
export interface EvmTransactionBody {
  type: 0 | 2;
  chainId: number;
  nonce: number;
  to: string;
  value: string;
  data: string;
  gasLimit: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
}

interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  baseFeePerGas?: string;
  transactions: RpcTransaction[];
}
interface RpcTransaction {
  hash: string;
  from: string;
  to: string | null;
  value: string;
  transactionIndex: string;
}
/** eth_getLogs entries; the stray scan reads the same shape. */
type RpcLog = StrayLog;
interface RpcReceipt {
  transactionHash: string;
  status: string;
  blockNumber: string;
  blockHash: string;
  gasUsed: string;
  effectiveGasPrice: string;
}

type FeeFields = { type: 2; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { type: 0; gasPrice: bigint };

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)');
/** How RPC providers word "that eth_getLogs query is too big" (Infura, Alchemy, QuickNode, BSC and Polygon nodes). */
const LOG_LIMIT_REFUSAL = /more than|too many|exceed|too wide|too large|limit|range/i;
const NATIVE_TRANSFER_GAS = 21_000n;
const ERC20 = new Interface([
  'function balanceOf(address owner) view returns (uint256)',
  'function transfer(address to, uint256 amount) returns (bool)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
]);

const bumped = (value: bigint, percent: number | undefined) =>
  percent ? (value * BigInt(100 + percent) + 99n) / 100n : value;

const topicAddress = (topic: string) => `0x${topic.slice(26)}`.toLowerCase();

/**
 * Watchers pass the same recipient set on every scan; lower-casing 100,000 addresses each time cost more
 * than the scan itself, so the lower-cased copy is kept per set (rebuilt when its size changes).
 */
const lowercasedSets = new WeakMap<ReadonlySet<string>, { size: number; set: Set<string> }>();
function lowercased(recipients: ReadonlySet<string>): Set<string> {
  const cached = lowercasedSets.get(recipients);
  if (cached && cached.size === recipients.size) return cached.set;
  const set = new Set([...recipients].map((address) => address.toLowerCase()));
  lowercasedSets.set(recipients, { size: recipients.size, set });
  return set;
}

/**
 * Polygon and BNB Chain through plain JSON-RPC (ethers v6 for encoding, signing and transport).
 * It keeps no chain state, so one instance serves watchers, sweeps and withdrawals alike.
 */
export class EvmAdapter implements ChainAdapter {
  readonly chain: EvmChain;
  readonly chainId: number;
  private readonly provider: JsonRpcProvider;
  private readonly feeModel: EvmFeeModel;
  private readonly minPriorityFeePerGas: bigint;
  private readonly minGasPrice: bigint;
  private readonly maxLogBlockRange: bigint;
  private readonly blockFetchConcurrency: number;
  private readonly gasLimitMarginPercent: number;
  /** False once the node refused debug_traceBlockByNumber; internal transfers are then not looked for. */
  private tracing = true;

  constructor(options: EvmAdapterOptions) {
    this.chain = options.chain;
    this.chainId = options.chainId;
    // A bare Network rather than Network.from(137), whose plugins would reach Polygon's gas station.
    this.provider = new JsonRpcProvider(options.rpcUrl, new Network(options.chain, options.chainId), {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    this.feeModel = options.feeModel ?? (options.chain === 'polygon' ? 'eip1559' : 'legacy');
    this.minPriorityFeePerGas = options.minPriorityFeePerGas ?? 0n;
    this.minGasPrice = options.minGasPrice ?? 0n;
    this.maxLogBlockRange = options.maxLogBlockRange ?? 2000n;
    this.blockFetchConcurrency = options.blockFetchConcurrency ?? 16;
    this.gasLimitMarginPercent = options.gasLimitMarginPercent ?? 20;
  }

  normalizeAddress(address: string): string {
    return normalizeEvmAddress(this.chain, address);
  }

  /** One eth_chainId call: the configured chain id is the workspace network's, so a node of another network is refused. */
  async checkNetwork(): Promise<void> {
    const reported = Number(await this.rpc<string>('eth_chainId', []));
    if (reported !== this.chainId) {
      throw new NetworkMismatchError(`${this.chain} RPC reports chain id ${reported}, expected ${this.chainId}`);
    }
  }

  close(): void {
    this.provider.destroy();
  }

  async headBlock(): Promise<BlockRef> {
    return toBlockRef(await this.fetchBlock('latest', false));
  }

  async block(number: bigint): Promise<BlockRef> {
    return toBlockRef(await this.fetchBlock(toQuantity(number), false));
  }

  /**
   * Token transfers come from one eth_getLogs per block span over all token contracts, matched locally
   * (a topic filter of thousands of recipients would be refused). Native transfers come from each block's
   * transactions; value moved by contract-internal calls is not seen. Zero-amount transfers are dropped:
   * they carry no value and are the usual address-poisoning spam. Assets of other chains are ignored.
   * With `strays`: Transfer logs of other contracts to our addresses and internal native transfers as well.
   */
  async scanTransfers(
    from: bigint,
    to: bigint,
    assets: Asset[],
    recipients: ReadonlySet<string>,
    strays?: StrayScan,
  ): Promise<ObservedTransfer[]> {
    if (to < from || recipients.size === 0) return [];
    const wanted = lowercased(recipients);
    const tokens = new Map<string, Asset>();
    let native: Asset | undefined;
    for (const asset of assets) {
      if (asset.chain !== this.chain) continue;
      if (asset.contract === null) native = asset;
      else tokens.set(asset.contract.toLowerCase(), asset);
    }
    const [tokenTransfers, nativeTransfers, strayTokens, strayNative] = await Promise.all([
      tokens.size > 0 ? this.scanTokenTransfers(from, to, tokens, wanted) : [],
      native ? this.scanNativeTransfers(from, to, native, wanted) : [],
      strays ? this.scanUnknownTokens(from, to, new Set(tokens.keys()), recipients, wanted) : [],
      strays ? this.scanInternalNative(from, to, wanted, strays) : [],
    ]);
    strays?.found.push(...strayTokens, ...strayNative);
    return [...tokenTransfers, ...nativeTransfers]
      .sort((a, b) =>
        a.blockNumber !== b.blockNumber
          ? (a.blockNumber < b.blockNumber ? -1 : 1)
          : a.txIndex !== b.txIndex
            ? a.txIndex - b.txIndex
            : a.logIndex - b.logIndex,
      )
      .map(({ txIndex: _txIndex, ...transfer }) => transfer);
  }

  private async scanTokenTransfers(
    from: bigint,
    to: bigint,
    tokens: Map<string, Asset>,
    wanted: Set<string>,
  ): Promise<(ObservedTransfer & { txIndex: number })[]> {
    const found: (ObservedTransfer & { txIndex: number })[] = [];
    const contracts = [...tokens.values()].map((asset) => asset.contract as string);
    for (let start = from; start <= to; start += this.maxLogBlockRange) {
      const end = start + this.maxLogBlockRange - 1n < to ? start + this.maxLogBlockRange - 1n : to;
      for (const log of await this.transferLogs(start, end, { address: contracts, topics: [TRANSFER_TOPIC] })) {
        // ERC-721 shares the Transfer signature but indexes the token id as a fourth topic.
        if (log.removed || log.topics.length !== 3 || log.data.length !== 66) continue;
        const recipient = topicAddress(log.topics[2] as string);
        const asset = tokens.get(log.address.toLowerCase());
        const amount = BigInt(log.data);
        if (!asset || amount === 0n || !wanted.has(recipient)) continue;
        found.push({
          chain: this.chain,
          assetId: asset.id,
          txHash: log.transactionHash,
          logIndex: Number(log.logIndex),
          blockNumber: BigInt(log.blockNumber),
          blockHash: log.blockHash,
          from: getAddress(topicAddress(log.topics[1] as string)),
          to: getAddress(recipient),
          amount,
          txIndex: Number(log.transactionIndex),
        });
      }
    }
    return found;
  }

  /** Halves the span when the node refuses it as too wide or too many results, as public RPCs do on busy tokens. */
  private async transferLogs(start: bigint, end: bigint, filter: { address?: string[]; topics: unknown[] }): Promise<RpcLog[]> {
    try {
      return await this.rpc<RpcLog[]>('eth_getLogs', [{ fromBlock: toQuantity(start), toBlock: toQuantity(end), ...filter }]);
    } catch (error) {
      // ethers keeps the node's JSON-RPC error under `error`; its own message also quotes the request.
      const message = (error as { error?: { message?: unknown } }).error?.message;
      if (end === start || typeof message !== 'string' || !LOG_LIMIT_REFUSAL.test(message)) throw error;
      const middle = start + (end - start) / 2n;
      return [...(await this.transferLogs(start, middle, filter)), ...(await this.transferLogs(middle + 1n, end, filter))];
    }
  }

  /**
   * Transfer logs of any contract whose `to` topic is one of ours, the recipients in chunks of topic
   * alternatives (cost: spans x chunks calls, independent of how busy the chain is); registry tokens dropped.
   */
  private async scanUnknownTokens(
    from: bigint,
    to: bigint,
    known: ReadonlySet<string>,
    recipients: ReadonlySet<string>,
    wanted: Set<string>,
  ): Promise<ObservedStray[]> {
    const found: ObservedStray[] = [];
    for (let start = from; start <= to; start += this.maxLogBlockRange) {
      const end = start + this.maxLogBlockRange - 1n < to ? start + this.maxLogBlockRange - 1n : to;
      for (const chunk of recipientTopicChunks(recipients)) {
        const logs = await this.transferLogs(start, end, { topics: [TRANSFER_TOPIC, null, chunk] });
        found.push(...unknownTokenTransfers(this.chain, logs, known, wanted));
      }
    }
    return found;
  }

  /** Internal native transfers through debug_traceBlockByNumber (callTracer); skipped, and said so, where the node has no tracing. */
  private async scanInternalNative(from: bigint, to: bigint, wanted: Set<string>, strays: StrayScan): Promise<ObservedStray[]> {
    if (!this.tracing) {
      strays.tracingUnavailable = true;
      return [];
    }
    const found: ObservedStray[] = [];
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    for (let i = 0; i < numbers.length; i += this.blockFetchConcurrency) {
      const batch = numbers.slice(i, i + this.blockFetchConcurrency);
      let traced: Array<{ block: RpcBlock; traces: Array<{ txHash?: string; result?: never }> }>;
      try {
        traced = await Promise.all(
          batch.map(async (n) => {
            const [block, traces] = await Promise.all([
              this.fetchBlock(toQuantity(n), false) as unknown as Promise<RpcBlock & { transactions: string[] }>,
              this.rpc<Array<{ txHash?: string; result?: never }>>('debug_traceBlockByNumber', traceParams(n)),
            ]);
            return { block, traces };
          }),
        );
      } catch (error) {
        const message = (error as { error?: { message?: unknown } }).error?.message ?? (error as Error).message;
        if (typeof message !== 'string' || !TRACING_REFUSAL.test(message)) throw error;
        this.tracing = false;
        strays.tracingUnavailable = true;
        return found;
      }
      for (const { block, traces } of traced) {
        const txHashes = (block.transactions as unknown as string[]).map(String);
        found.push(...internalNativeTransfers(this.chain, { number: BigInt(block.number), hash: block.hash, txHashes }, traces, wanted));
      }
    }
    return found;
  }

  private async scanNativeTransfers(
    from: bigint,
    to: bigint,
    native: Asset,
    wanted: Set<string>,
  ): Promise<(ObservedTransfer & { txIndex: number })[]> {
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    const candidates: (ObservedTransfer & { txIndex: number })[] = [];
    for (let i = 0; i < numbers.length; i += this.blockFetchConcurrency) {
      const blocks = await Promise.all(
        numbers.slice(i, i + this.blockFetchConcurrency).map((n) => this.fetchBlock(toQuantity(n), true)),
      );
      for (const block of blocks) {
        for (const tx of block.transactions) {
          const value = BigInt(tx.value);
          if (tx.to === null || value === 0n || !wanted.has(tx.to.toLowerCase())) continue;
          candidates.push({
            chain: this.chain,
            assetId: native.id,
            txHash: tx.hash,
            logIndex: -1,
            blockNumber: BigInt(block.number),
            blockHash: block.hash,
            from: getAddress(tx.from),
            to: getAddress(tx.to),
            amount: value,
            txIndex: Number(tx.transactionIndex),
          });
        }
      }
    }
    // A reverted call moves no value; only the few matches pay for a receipt lookup.
    const receipts = await Promise.all(
      candidates.map((c) => this.rpc<RpcReceipt | null>('eth_getTransactionReceipt', [c.txHash])),
    );
    // The transaction sits in a block we just read, so a missing receipt means a lagging node, not a failed
    // transfer: fail the scan so the watcher retries it rather than skipping a deposit for good.
    const missing = candidates.findIndex((_, i) => receipts[i] === null || receipts[i] === undefined);
    if (missing >= 0) throw new Error(`${this.chain} node has no receipt yet for ${candidates[missing]!.txHash}; scan again`);
    return candidates.filter((_, i) => receipts[i]!.status === '0x1');
  }

  async balance(asset: Asset, address: string): Promise<bigint> {
    this.assertOwnAsset(asset);
    const owner = this.normalizeAddress(address);
    if (asset.contract === null) return BigInt(await this.rpc<string>('eth_getBalance', [owner, 'latest']));
    const data = ERC20.encodeFunctionData('balanceOf', [owner]);
    const result = await this.rpc<string>('eth_call', [{ to: asset.contract, data }, 'latest']);
    return ERC20.decodeFunctionResult('balanceOf', result)[0] as bigint;
  }

  async tokenMetadata(contract: string): Promise<{ symbol: string; decimals: number }> {
    const to = this.normalizeAddress(contract);
    const [symbol, decimals] = await Promise.all(
      (['symbol', 'decimals'] as const).map(async (fn) => {
        const result = await this.rpc<string>('eth_call', [{ to, data: ERC20.encodeFunctionData(fn) }, 'latest']);
        if (result === '0x') throw new Error(`${to} on ${this.chain} is not an ERC-20 token (no ${fn}())`);
        return ERC20.decodeFunctionResult(fn, result)[0] as string | bigint;
      }),
    );
    return { symbol: String(symbol), decimals: Number(decimals) };
  }

  async estimateFee(intent: TransferIntent): Promise<FeeQuote> {
    return (await this.prepare(intent)).fee;
  }

  async buildTransfer(intent: TransferIntent): Promise<UnsignedTransaction> {
    const [prepared, nonce] = await Promise.all([
      this.prepare(intent),
      intent.nonce ?? this.nextNonce(intent.from),
    ]);
    const tx = Transaction.from({
      chainId: this.chainId,
      nonce,
      to: prepared.call.to,
      value: prepared.call.value,
      data: prepared.call.data,
      gasLimit: prepared.gasLimit,
      ...prepared.fees,
    });
    const body: EvmTransactionBody = {
      type: prepared.fees.type,
      chainId: this.chainId,
      nonce,
      to: prepared.call.to,
      value: prepared.call.value.toString(),
      data: prepared.call.data,
      gasLimit: prepared.gasLimit.toString(),
      ...(prepared.fees.type === 2
        ? {
            maxFeePerGas: prepared.fees.maxFeePerGas.toString(),
            maxPriorityFeePerGas: prepared.fees.maxPriorityFeePerGas.toString(),
          }
        : { gasPrice: prepared.fees.gasPrice.toString() }),
    };
    return {
      chain: this.chain,
      intent: { ...intent, from: prepared.from, to: prepared.to, nonce },
      signingPayload: tx.unsignedSerialized,
      fee: prepared.fee,
      body,
    };
  }

  /**
   * Attaches a device's signature to the payload it signed. Devices disagree on `v` (0/1, 27/28, EIP-155,
   * or truncated to a byte for large chain ids), so the parity is the one that recovers `intent.from`;
   * a signature from any other key is refused rather than broadcast from the wrong address.
   */
  attachSignature(tx: UnsignedTransaction, signature: RecoverableSignature): SignedTransaction {
    if (tx.chain !== this.chain) throw new Error(`a ${tx.chain} transaction cannot be signed for ${this.chain}`);
    const unsigned = Transaction.from(tx.signingPayload);
    if (unsigned.chainId !== BigInt(this.chainId)) {
      throw new Error(`payload is for chain id ${unsigned.chainId}, expected ${this.chainId}`);
    }
    const r = zeroPadValue(withHexPrefix(signature.r), 32);
    const s = zeroPadValue(withHexPrefix(signature.s), 32);
    const expected = this.normalizeAddress(tx.intent.from);
    const impliedParity = signature.v >= 35 ? (signature.v - 35) % 2 : signature.v >= 27 ? signature.v - 27 : signature.v;
    for (const yParity of [impliedParity & 1, (impliedParity & 1) ^ 1] as const) {
      const candidate = Signature.from({ r, s, yParity: yParity as 0 | 1 });
      if (recoverAddress(unsigned.unsignedHash, candidate) === expected) {
        unsigned.signature = candidate;
        return { chain: this.chain, txHash: unsigned.hash as string, raw: unsigned.serialized };
      }
    }
    throw new Error(`signature does not belong to ${expected}`);
  }

  async signWithKey(tx: UnsignedTransaction, privateKeyHex: string): Promise<SignedTransaction> {
    const key = new SigningKey(withHexPrefix(privateKeyHex));
    const signature = key.sign(Transaction.from(tx.signingPayload).unsignedHash);
    return this.attachSignature(tx, { r: signature.r, s: signature.s, v: signature.yParity });
  }

  /**
   * Re-broadcasting a transaction the node already has succeeds, so a sweep resumed after a crash can retry.
   * A refusal is a BroadcastRejectedError whose kind (outgoing/refusals.ts) says what to do next; anything
   * else (a dead endpoint, a timeout) is thrown as it is: the bytes may or may not have reached the node.
   */
  async broadcast(tx: SignedTransaction): Promise<string> {
    try {
      return await this.rpc<string>('eth_sendRawTransaction', [tx.raw]);
    } catch (error) {
      const refused = isError(error, 'NONCE_EXPIRED') || isError(error, 'REPLACEMENT_UNDERPRICED') || isError(error, 'INSUFFICIENT_FUNDS') || isJsonRpcRefusal(error);
      if (!refused) throw error;
      const kind = classifyEvmRefusal(error);
      // "already known" and a node that has the very hash both mean it is in a mempool or a block.
      if (kind === 'already_known') return tx.txHash;
      const known = await this.rpc<{ hash?: string } | null>('eth_getTransactionByHash', [tx.txHash]).catch(() => null);
      if (known?.hash?.toLowerCase() === tx.txHash.toLowerCase()) return tx.txHash;
      throw new BroadcastRejectedError(this.chain, tx.txHash, kind, nodeMessage(error), kind);
    }
  }

  async transactionSender(txHash: string): Promise<string | null> {
    const tx = await this.rpc<{ from?: string } | null>('eth_getTransactionByHash', [txHash]);
    return tx?.from ? this.normalizeAddress(tx.from) : null;
  }

  async isContract(address: string): Promise<boolean> {
    return (await this.rpc<string>('eth_getCode', [this.normalizeAddress(address), 'latest'])) !== '0x';
  }

  async receipt(txHash: string): Promise<TxReceipt | null> {
    const [receipt, head] = await Promise.all([
      this.rpc<RpcReceipt | null>('eth_getTransactionReceipt', [txHash]),
      this.rpc<string>('eth_blockNumber', []),
    ]);
    if (!receipt) return null;
    const blockNumber = BigInt(receipt.blockNumber);
    const confirmations = BigInt(head) - blockNumber + 1n;
    return {
      txHash: receipt.transactionHash,
      status: receipt.status === '0x1' ? 'success' : 'reverted',
      blockNumber,
      blockHash: receipt.blockHash,
      confirmations: confirmations > 0n ? Number(confirmations) : 0,
      feePaid: BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice),
    };
  }

  async nextNonce(address: string): Promise<number> {
    return Number(await this.rpc<string>('eth_getTransactionCount', [this.normalizeAddress(address), 'pending']));
  }

  private async prepare(intent: TransferIntent) {
    this.assertOwnAsset(intent.asset);
    const from = this.normalizeAddress(intent.from);
    const to = this.normalizeAddress(intent.to);
    if (intent.amount <= 0n) throw new Error(`transfer amount must be positive, got ${intent.amount}`);
    const call =
      intent.asset.contract === null
        ? { to, value: intent.amount, data: '0x' }
        : { to: intent.asset.contract, value: 0n, data: ERC20.encodeFunctionData('transfer', [to, intent.amount]) };
    const [gasLimit, fees] = await Promise.all([this.gasLimit(from, call), this.feeFields(intent.feeBumpPercent, intent.minFees)]);
    const perGas = fees.type === 2 ? fees.maxFeePerGas : fees.gasPrice;
    const fee: FeeQuote = {
      maxFee: gasLimit * perGas,
      detail: {
        gasLimit: gasLimit.toString(),
        ...(fees.type === 2
          ? {
              maxFeePerGas: fees.maxFeePerGas.toString(),
              maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
            }
          : { gasPrice: fees.gasPrice.toString() }),
      },
    };
    return { from, to, call, gasLimit, fees, fee };
  }

  private async gasLimit(from: string, call: { to: string; value: bigint; data: string }): Promise<bigint> {
    if (call.data === '0x') {
      // A plain payment to an account without code always costs 21000; skipping eth_estimateGas also lets
      // a fee be quoted before the sender holds the coins.
      const code = await this.rpc<string>('eth_getCode', [call.to, 'latest']);
      if (code === '0x') return NATIVE_TRANSFER_GAS;
    }
    try {
      const estimate = BigInt(
        await this.rpc<string>('eth_estimateGas', [{ from, to: call.to, value: toBeHex(call.value), data: call.data }]),
      );
      return bumped(estimate, this.gasLimitMarginPercent);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${this.chain}: cannot estimate gas for a transfer from ${from}: ${message}`);
    }
  }

  /** The market's fees (never under the configured floors) or, when higher, the caller's floor (a replacement's). */
  private async feeFields(feeBumpPercent: number | undefined, minFees: EvmFeeFloor | undefined): Promise<FeeFields> {
    if (this.feeModel === 'legacy') {
      const nodePrice = BigInt(await this.rpc<string>('eth_gasPrice', []));
      const market = bumped(atLeast(nodePrice, this.minGasPrice), feeBumpPercent);
      return { type: 0, gasPrice: atLeast(market, minFees?.gasPrice ?? minFees?.maxFeePerGas ?? 0n) };
    }
    const [block, suggestedTip] = await Promise.all([
      this.fetchBlock('latest', false),
      this.rpc<string>('eth_maxPriorityFeePerGas', []),
    ]);
    if (block.baseFeePerGas === undefined) throw new Error(`${this.chain} block has no base fee; use the legacy fee model`);
    const tip = atLeast(bumped(atLeast(BigInt(suggestedTip), this.minPriorityFeePerGas), feeBumpPercent), minFees?.maxPriorityFeePerGas ?? 0n);
    // Twice the base fee survives six full blocks of base-fee growth; only what is used is paid.
    const market = bumped(BigInt(block.baseFeePerGas) * 2n + tip, feeBumpPercent);
    const maxFeePerGas = atLeast(atLeast(market, minFees?.maxFeePerGas ?? minFees?.gasPrice ?? 0n), tip);
    return { type: 2, maxFeePerGas, maxPriorityFeePerGas: tip };
  }

  private async fetchBlock(tag: string, withTransactions: false): Promise<Omit<RpcBlock, 'transactions'>>;
  private async fetchBlock(tag: string, withTransactions: true): Promise<RpcBlock>;
  private async fetchBlock(tag: string, withTransactions: boolean): Promise<RpcBlock | Omit<RpcBlock, 'transactions'>> {
    const block = await this.rpc<RpcBlock | null>('eth_getBlockByNumber', [tag, withTransactions]);
    if (!block) throw new Error(`${this.chain} block ${tag === 'latest' ? tag : BigInt(tag)} not found`);
    return block;
  }

  private assertOwnAsset(asset: Asset): void {
    if (asset.chain !== this.chain) throw new Error(`asset ${asset.id} is not on ${this.chain}`);
  }

  private rpc<T>(method: string, params: unknown[]): Promise<T> {
    return this.provider.send(method, params) as Promise<T>;
  }
}

function toBlockRef(block: Omit<RpcBlock, 'transactions'>): BlockRef {
  return {
    number: BigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: Number(BigInt(block.timestamp)),
  };
}

const atLeast = (value: bigint, floor: bigint) => (value > floor ? value : floor);

/** A JSON-RPC error answer from the node (as opposed to a transport failure, after which the bytes may have arrived). */
function isJsonRpcRefusal(error: unknown): boolean {
  const e = error as { error?: { code?: unknown }; info?: { error?: { code?: unknown } } };
  return typeof (e?.error?.code ?? e?.info?.error?.code) === 'number';
}

function withHexPrefix(hex: string): string {
  return hex.startsWith('0x') ? hex : `0x${hex}`;
}
