import { sha256, toUtf8Bytes, type SigningKey } from 'ethers';
import {
  addressFromPublicKeyRecovery,
  bandwidthBytes,
  blockId,
  encodeRawData,
  parseAddress,
  txTrieRoot,
  utf8Hex,
  type HexAddress,
} from './encoding';
import { Trc20Token, type CallOutcome, type TvmLog } from './trc20';
import { FORWARD_ENERGY, TrxForwarder, type InternalTransfer } from './forwarder';
import {
  consume,
  copyResources,
  DEFAULT_RESOURCE_PARAMS,
  Delegations,
  emptyResources,
  ResourceBook,
  FROZEN_PERIOD_MS,
  TRX_PRECISION,
  UNFREEZE_MAX_TIMES,
  type AccountResources,
  type Resource,
  type ResourceParams,
} from './resources';

/**
 * The devnode's chain: accounts, one TRC-20 token, blocks, and the checks java-tron runs before it
 * accepts a transaction. Like a java-tron full node, a transaction is executed against the node's
 * state when it is accepted (balances read through wallet/getaccount include it at once), and it is
 * packed into the next block, where its transaction info (fee, receipt, logs) becomes readable.
 */

/** Prices in sun, named after the java-tron chain parameters that carry them. */
export interface ChainPrices {
  getTransactionFee: bigint;
  getEnergyFee: bigint;
  getCreateAccountFee: bigint;
  getCreateNewAccountFeeInSystemContract: bigint;
}

export const DEFAULT_PRICES: ChainPrices = {
  getTransactionFee: 1_000n,
  getEnergyFee: 100n,
  getCreateAccountFee: 100_000n,
  getCreateNewAccountFeeInSystemContract: 1_000_000n,
};

/**
 * The devnode's own genesis. java-tron takes its genesis block's parentHash from its config (mainnet's
 * is e58f33f9…351f) and uses the genesis block id as the chain's identity; the devnode's is its own, so
 * its genesis and every block id after it differ from Tron mainnet's, Nile's and Shasta's, and TaPoS
 * (ref_block_hash names a block of this chain) keeps a devnet-signed transaction off those networks.
 */
export const DEVNET_GENESIS_PARENT_HASH = sha256(toUtf8Bytes('treasury devnet tron genesis')).slice(2);

/** java-tron's cap on fee_limit (15,000 TRX) and on how far ahead an expiration may lie. */
const MAX_FEE_LIMIT = 15_000_000_000n;
const MAX_EXPIRATION_AHEAD_MS = 24n * 3600n * 1000n;
const BLOCK_SLOT_MS = 3_000n;
/** How long java-tron's createtransaction-style endpoints let a transaction live. */
const DEFAULT_EXPIRATION_MS = 60_000n;

export type BroadcastCode =
  | 'SIGERROR'
  | 'CONTRACT_VALIDATE_ERROR'
  | 'BANDWITH_ERROR'
  | 'DUP_TRANSACTION_ERROR'
  | 'TAPOS_ERROR'
  | 'TRANSACTION_EXPIRATION_ERROR'
  | 'SERVER_BUSY'
  | 'OTHER_ERROR';

export type BroadcastOutcome = { result: true; txid: string } | { code: BroadcastCode; txid: string; message: string };

/** A transaction as the node keeps it; raw_data holds int64 values as bigint so they print exactly. */
export interface StoredTransaction {
  txID: string;
  raw_data: Record<string, unknown>;
  raw_data_hex: string;
  signature: string[];
  contractRet: 'SUCCESS' | 'REVERT' | 'OUT_OF_ENERGY';
}

/** The system contracts of Stake 2.0 the devnode runs. */
const RESOURCE_CONTRACTS = new Set(['FreezeBalanceV2Contract', 'UnfreezeBalanceV2Contract', 'WithdrawExpireUnfreezeContract', 'DelegateResourceContract', 'UnDelegateResourceContract']);

interface Execution {
  fee: bigint;
  receipt: Record<string, unknown>;
  contractResult: string;
  contractAddress?: HexAddress;
  logs: TvmLog[];
  /** TRX the called contract moved on (java-tron lists them when the node runs with saveInternalTx). */
  internal?: InternalTransfer[];
  failed: 'REVERT opcode executed' | 'Not enough energy' | null;
  /** Unstaked sun that reached the balance (UnfreezeBalanceV2, WithdrawExpireUnfreeze): the info's withdraw_expire_amount. */
  withdrawExpireAmount?: bigint;
}

export interface Block {
  number: bigint;
  blockID: string;
  parentHash: string;
  timestamp: bigint;
  txTrieRoot: string;
  witness: HexAddress;
  transactions: StoredTransaction[];
  infos: Record<string, unknown>[];
}

interface Account {
  balance: bigint;
  createTime: bigint;
  resources: AccountResources;
}

/** How a transaction's bandwidth is paid: staked bandwidth, else the free daily 600, else burned TRX (never a mix). */
interface BandwidthPlan {
  staked: bigint;
  free: bigint;
  fee: bigint;
}

type RawData = {
  contract?: Array<{ type?: string; parameter?: { value?: Record<string, unknown>; type_url?: string } }>;
  ref_block_bytes?: string;
  ref_block_hash?: string;
  expiration?: number;
  timestamp?: number;
  fee_limit?: number;
};

export class ContractValidateError extends Error {}

/** Recent blocks whose state is kept for reorgs. */
const SNAPSHOT_DEPTH = 256;

interface Snapshot {
  delegations: ReturnType<Delegations['snapshot']>;
  accounts: [HexAddress, Account][];
  tokens: [HexAddress, { balances: [HexAddress, bigint][]; totalSupply: bigint }][];
}

/** Stored raw_data holds int64 as bigint; the broadcast path takes the JSON shape a client sends. */
function clientJson(raw: Record<string, unknown>): RawData {
  return JSON.parse(JSON.stringify(raw, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as RawData;
}

const INT64_KEYS = new Set(['amount', 'call_value', 'fee_limit', 'expiration', 'timestamp', 'call_token_value', 'frozen_balance', 'unfreeze_balance', 'balance']);

/** Copies raw_data with its int64 fields as bigint, so responses print them as java-tron does. */
function int64Fields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => int64Fields(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = INT64_KEYS.has(key) && typeof v === 'number' ? BigInt(v) : int64Fields(v);
  }
  return out as T;
}

const ADDRESS_FIELDS = new Set(['owner_address', 'to_address', 'contract_address', 'receiver_address']);

/** Keeps addresses as 41-hex whatever `visible` the client sent, so blocks print them uniformly. */
function hexAddresses<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => hexAddresses(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = ADDRESS_FIELDS.has(key) ? (parseAddress(v) ?? v) : hexAddresses(v);
  }
  return out as T;
}

/** Decodes a JSON int64 the node received; beyond 2^53 the JSON number is already imprecise. */
function readInt64(value: unknown, name: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value === undefined) return 0n;
  throw new ContractValidateError(`${name} must be an integer below 2^53 on the devnode`);
}

export class TronDevChain {
  readonly accounts = new Map<HexAddress, Account>();
  readonly tokens = new Map<HexAddress, Trc20Token>();
  /** Payable payout contracts (forwarder.ts): TRX sent through them reaches its recipient as an internal transaction. */
  readonly forwarders = new Map<HexAddress, TrxForwarder>();

  isContract(address: HexAddress): boolean {
    return this.tokens.has(address) || this.forwarders.has(address);
  }
  readonly blocks: Block[] = [];
  private pending: { tx: StoredTransaction; execution: Execution }[] = [];
  /** txid → block number, or null while pending: the duplicate check and gettransactioninfobyid. */
  private readonly txIndex = new Map<string, bigint | null>();
  /**
   * java-tron's optional broadcast cache (node.rpc.trxCacheEnable): every txID that reached broadcast,
   * refused ones too, is answered "Transaction already exists." from then on. Null: off, java-tron's default.
   */
  trxCache: Set<string> | null = null;
  /** Set by a test: the node answers SERVER_BUSY as java-tron does when too many transactions are pending. */
  busy = false;
  /** State after each recent block, so a reorg can roll back to a fork point. */
  private readonly snapshots = new Map<bigint, Snapshot>();
  /** Stake 2.0: who delegated what to whom, and the network's resource totals. */
  readonly delegations = new Delegations();
  readonly resources: ResourceBook;
  /** Added to the wall clock when blocks are sealed: a test moves the chain a day on to see usage recover. */
  private clockOffsetMs = 0n;

  /**
   * `witnesses[0]` produces blocks; `witnesses[1]` produces the replacement blocks of a reorg, so
   * a block at the same height always gets another id.
   */
  constructor(
    readonly prices: ChainPrices,
    genesis: Map<HexAddress, bigint>,
    private readonly witnesses: readonly [HexAddress, HexAddress],
    startTimeMs: bigint,
    resourceParams: ResourceParams = DEFAULT_RESOURCE_PARAMS,
  ) {
    this.resources = new ResourceBook(resourceParams, () => [...this.accounts.values()].map((a) => a.resources));
    for (const [address, balance] of genesis) this.accounts.set(address, { balance, createTime: startTimeMs, resources: emptyResources() });
    this.sealBlock(startTimeMs, [], witnesses[0]);
  }

  /** Block 0's id: what identifies a Tron network (java-tron keeps it as the chain id). */
  get genesisBlockId(): string {
    const genesis = this.blocks[0];
    if (!genesis) throw new Error('devnode chain has no genesis block');
    return genesis.blockID;
  }

  get head(): Block {
    const head = this.blocks[this.blocks.length - 1];
    if (!head) throw new Error('devnode chain has no genesis block');
    return head;
  }

  blockByNumber(num: bigint): Block | undefined {
    return num >= 0n && num < BigInt(this.blocks.length) ? this.blocks[Number(num)] : undefined;
  }

  blockById(id: string): Block | undefined {
    const num = BigInt('0x' + id.slice(0, 16));
    const block = this.blockByNumber(num);
    return block?.blockID === id.toLowerCase() ? block : undefined;
  }

  findTransaction(txid: string): { tx: StoredTransaction; block: Block | null; info: Record<string, unknown> | null } | null {
    const where = this.txIndex.get(txid);
    if (where === undefined) return null;
    if (where === null) {
      const entry = this.pending.find((p) => p.tx.txID === txid);
      return entry ? { tx: entry.tx, block: null, info: null } : null;
    }
    const block = this.blockByNumber(where)!;
    const index = block.transactions.findIndex((t) => t.txID === txid);
    return { tx: block.transactions[index]!, block, info: block.infos[index] ?? null };
  }

  balanceOf(address: HexAddress): bigint {
    return this.accounts.get(address)?.balance ?? 0n;
  }

  account(address: HexAddress): Account | undefined {
    return this.accounts.get(address);
  }

  /** Packs every accepted transaction into a new block. */
  mine(witness: HexAddress = this.witnesses[0]): Block {
    const timestamp = BigInt(Math.max(Number(this.head.timestamp + BLOCK_SLOT_MS), Date.now() + Number(this.clockOffsetMs)));
    const included = this.pending;
    this.pending = [];
    return this.sealBlock(timestamp, included, witness);
  }

  /**
   * Replaces the last `depth` blocks with as many new ones from another witness, as a fork switch
   * before solidification would. State rolls back to the fork point; the orphaned transactions
   * (and any pending ones) are dropped or replayed into the first new block, skipping TaPoS since
   * their reference block may be gone.
   */
  /**
   * What a java-tron restart does to the transactions it had not packed yet: its pending pool lives in memory,
   * so they are gone (and their effects with them); they stay valid and may be broadcast again.
   */
  dropPending(): string[] {
    const dropped = this.pending.map((p) => p.tx.txID);
    const snapshot = this.snapshots.get(this.head.number);
    if (!snapshot) throw new Error('devnode keeps no state for its head block');
    this.restore(snapshot);
    this.pending = [];
    for (const txid of dropped) this.txIndex.delete(txid);
    return dropped;
  }

  reorg(depth: number, dropTransactions: boolean): { orphaned: string[]; reincluded: string[] } {
    if (!Number.isInteger(depth) || depth < 1 || BigInt(depth) >= this.head.number) {
      throw new Error(`reorg depth must be between 1 and ${this.head.number - 1n}`);
    }
    const forkPoint = this.head.number - BigInt(depth);
    const snapshot = this.snapshots.get(forkPoint);
    if (!snapshot) throw new Error(`reorg deeper than the ${SNAPSHOT_DEPTH} blocks the devnode keeps`);
    const orphanedBlocks = this.blocks.splice(Number(forkPoint) + 1);
    const replay = [...orphanedBlocks.flatMap((b) => b.transactions), ...this.pending.map((p) => p.tx)];
    this.pending = [];
    for (const tx of replay) this.txIndex.delete(tx.txID);
    for (const block of orphanedBlocks) this.snapshots.delete(block.number);
    this.restore(snapshot);

    const reincluded: string[] = [];
    if (!dropTransactions) {
      for (const tx of replay) {
        const outcome = this.broadcast({ raw_data: clientJson(tx.raw_data), signature: tx.signature }, true);
        if ('result' in outcome) reincluded.push(tx.txID);
      }
    }
    for (let i = 0; i < depth; i++) this.mine(this.witnesses[1]);
    return { orphaned: replay.map((tx) => tx.txID), reincluded };
  }

  /** Moves the chain's clock forward: the next block is sealed `ms` later than the wall clock says. */
  skipTime(ms: bigint): void {
    this.clockOffsetMs += ms;
  }

  private snapshot(): Snapshot {
    return {
      delegations: this.delegations.snapshot(),
      accounts: [...this.accounts].map(([address, account]) => [address, { ...account, resources: copyResources(account.resources) }]),
      tokens: [...this.tokens].map(([address, token]) => [address, { balances: [...token.balances], totalSupply: token.totalSupply }]),
    };
  }

  private restore(snapshot: Snapshot): void {
    this.accounts.clear();
    for (const [address, account] of snapshot.accounts) this.accounts.set(address, { ...account, resources: copyResources(account.resources) });
    this.delegations.restore(snapshot.delegations);
    for (const [address, state] of snapshot.tokens) {
      const token = this.tokens.get(address);
      if (!token) continue;
      token.balances.clear();
      for (const [holder, balance] of state.balances) token.balances.set(holder, balance);
      token.totalSupply = state.totalSupply;
    }
  }

  private sealBlock(
    timestamp: bigint,
    included: { tx: StoredTransaction; execution: Execution }[],
    witness: HexAddress,
  ): Block {
    const number = BigInt(this.blocks.length);
    const parentHash = this.blocks.length === 0 ? DEVNET_GENESIS_PARENT_HASH : this.head.blockID;
    const root = txTrieRoot(included.map((p) => p.tx.txID));
    const block: Block = {
      number,
      blockID: blockId({ timestamp, txTrieRoot: root, parentHash, number, witnessAddress: witness, version: 30 }),
      parentHash,
      timestamp,
      txTrieRoot: root,
      witness,
      transactions: included.map((p) => p.tx),
      infos: included.map((p) => this.transactionInfo(p.tx, p.execution, number, timestamp)),
    };
    this.blocks.push(block);
    for (const p of included) this.txIndex.set(p.tx.txID, number);
    this.snapshots.set(number, this.snapshot());
    this.snapshots.delete(number - BigInt(SNAPSHOT_DEPTH) - 1n);
    return block;
  }

  private transactionInfo(tx: StoredTransaction, ex: Execution, blockNumber: bigint, blockTimeStamp: bigint) {
    const info: Record<string, unknown> = { id: tx.txID };
    if (ex.fee > 0n) info.fee = ex.fee;
    info.blockNumber = blockNumber;
    info.blockTimeStamp = blockTimeStamp;
    info.contractResult = [ex.contractResult];
    if (ex.contractAddress) info.contract_address = ex.contractAddress;
    info.receipt = ex.receipt;
    if (ex.withdrawExpireAmount) info.withdraw_expire_amount = ex.withdrawExpireAmount;
    if (ex.logs.length > 0) info.log = ex.logs;
    if (ex.internal && ex.internal.length > 0) {
      // Tron.proto InternalTransaction as java-tron's JSON prints it: bytes in hex, note "call", rejected left out when false.
      info.internal_transactions = ex.internal.map((move, index) => ({
        hash: sha256(toUtf8Bytes(`${tx.txID}:internal:${index}`)).slice(2),
        caller_address: move.caller,
        transferTo_address: move.to,
        callValueInfo: [{ callValue: move.callValue }],
        note: utf8Hex('call'),
      }));
    }
    if (ex.failed) {
      info.result = 'FAILED';
      info.resMessage = utf8Hex(ex.failed);
    }
    return info;
  }

  private lastTimestamp = 0;

  /** Strictly increasing, so two identical requests in one millisecond still get distinct txIDs. */
  private nextTimestamp(): number {
    this.lastTimestamp = Math.max(Date.now(), Number(this.head.timestamp), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  /** ref_block_bytes / ref_block_hash / expiration / timestamp as java-tron fills them in. */
  refBlockParams(): { ref_block_bytes: string; ref_block_hash: string; expiration: number; timestamp: number } {
    const head = this.head;
    return {
      ref_block_bytes: (head.number & 0xffffn).toString(16).padStart(4, '0'),
      ref_block_hash: head.blockID.slice(16, 32),
      expiration: Number(head.timestamp + DEFAULT_EXPIRATION_MS),
      timestamp: this.nextTimestamp(),
    };
  }

  /** Builds an unsigned transaction the way /wallet/createtransaction and triggersmartcontract answer. */
  unsignedTransaction(type: string, value: Record<string, unknown>, feeLimit?: number) {
    const raw_data: RawData & Record<string, unknown> = {
      contract: [{ parameter: { value, type_url: `type.googleapis.com/protocol.${type}` }, type }],
      ...this.refBlockParams(),
    };
    if (feeLimit !== undefined) raw_data.fee_limit = feeLimit;
    const { rawDataHex, txID } = encodeRawData({ raw_data, visible: false });
    return { visible: false, txID, raw_data: int64Fields(raw_data), raw_data_hex: rawDataHex };
  }

  validateTransfer(owner: HexAddress, to: HexAddress | null, amount: bigint): void {
    if (!to) throw new ContractValidateError('Invalid toAddress!');
    if (amount <= 0n) throw new ContractValidateError('Amount must be greater than 0.');
    if (owner === to) throw new ContractValidateError('Cannot transfer TRX to yourself.');
    const account = this.accounts.get(owner);
    if (!account) throw new ContractValidateError('Validate TransferContract error, no OwnerAccount.');
    // TransferActuator with FORBID_TRANSFER_TO_CONTRACT on (mainnet): TRX reaches a contract only through a call.
    if (this.isContract(to)) throw new ContractValidateError('Cannot transfer TRX to a smartContract.');
    const accountFee = this.accounts.has(to) ? 0n : this.prices.getCreateNewAccountFeeInSystemContract;
    if (account.balance < amount + accountFee) {
      throw new ContractValidateError('Validate TransferContract error, balance is not sufficient.');
    }
  }

  validateTrigger(owner: HexAddress, contract: HexAddress | null, feeLimit: bigint | null): Trc20Token | TrxForwarder {
    if (!this.accounts.has(owner)) throw new ContractValidateError(`Validate InternalTransfer error, no OwnerAccount.`);
    const token = contract ? (this.tokens.get(contract) ?? this.forwarders.get(contract)) : undefined;
    if (!token) throw new ContractValidateError('No contract or not a valid smart contract');
    if (feeLimit !== null && (feeLimit < 0n || feeLimit > MAX_FEE_LIMIT)) {
      throw new ContractValidateError(`feeLimit must be >= 0 and <= ${MAX_FEE_LIMIT}`);
    }
    return token;
  }

  /**
   * /wallet/broadcasttransaction: the checks run in java-tron's order (TaPoS, expiration, duplicate,
   * signature, contract validation, bandwidth); an accepted transaction is executed at once.
   */
  broadcast(body: { raw_data?: RawData; signature?: unknown; visible?: boolean }, replaying = false): BroadcastOutcome {
    const raw = body.raw_data;
    const contract = raw?.contract?.[0];
    if (!raw || !contract || raw.contract!.length !== 1) {
      return { code: 'OTHER_ERROR', txid: '', message: 'Transaction must carry exactly one contract' };
    }
    let encoded: { rawDataHex: string; txID: string };
    try {
      encoded = encodeRawData({ raw_data: raw, visible: body.visible === true });
    } catch (error) {
      return { code: 'OTHER_ERROR', txid: '', message: `Cannot encode raw_data: ${(error as Error).message}` };
    }
    const txid = encoded.txID;
    const reject = (code: BroadcastCode, message: string): BroadcastOutcome => ({ code, txid, message });

    const head = this.head;
    const expiration = typeof raw.expiration === 'number' ? BigInt(raw.expiration) : 0n;
    if (!replaying) {
      // Wallet.broadcastTransaction's order: busy, broadcast cache, expiration against the next slot, then
      // Manager.pushTransaction's TaPoS, expiration window, duplicate and signature checks.
      if (this.busy) return reject('SERVER_BUSY', 'Server busy.');
      if (this.trxCache) {
        if (this.trxCache.has(txid)) return reject('DUP_TRANSACTION_ERROR', 'Transaction already exists.');
        this.trxCache.add(txid);
      }
      if (expiration < head.timestamp + BLOCK_SLOT_MS) return reject('TRANSACTION_EXPIRATION_ERROR', 'Transaction expired');
      if (!this.taposMatches(raw.ref_block_bytes, raw.ref_block_hash)) return reject('TAPOS_ERROR', 'Tapos check error.');
    }
    // java-tron's validateCommon: one answer for both bounds (at or before the head's time, over 24 h ahead)
    if (expiration <= head.timestamp || expiration > head.timestamp + MAX_EXPIRATION_AHEAD_MS) {
      return reject('TRANSACTION_EXPIRATION_ERROR', 'Transaction expired');
    }
    if (this.txIndex.has(txid)) return reject('DUP_TRANSACTION_ERROR', 'Dup transaction.');

    const value = contract.parameter?.value ?? {};
    const owner = parseAddress(value.owner_address);
    if (!owner) return reject('CONTRACT_VALIDATE_ERROR', 'Contract validate error : Invalid ownerAddress!');
    const signatures = Array.isArray(body.signature) ? (body.signature as unknown[]) : [];
    if (signatures.length !== 1 || typeof signatures[0] !== 'string') {
      return reject('SIGERROR', 'Validate signature error: exactly one signature is expected for a single-key account');
    }
    const signature = signatures[0].replace(/^0x/, '').toLowerCase();
    let signer: HexAddress;
    try {
      if (!/^[0-9a-f]{130}$/.test(signature)) throw new Error('bad length');
      signer = addressFromPublicKeyRecovery(txid, signature);
    } catch {
      return reject('SIGERROR', `Validate signature error: ${signature} is not a valid secp256k1 signature`);
    }
    if (signer !== owner) {
      return reject('SIGERROR', `Validate signature error: ${signature} is signed by ${signer} but it is not contained of permission.`);
    }

    const stored: StoredTransaction = {
      txID: txid,
      raw_data: int64Fields(hexAddresses(raw)) as Record<string, unknown>,
      raw_data_hex: encoded.rawDataHex,
      signature: [signature],
      contractRet: 'SUCCESS',
    };
    const bytes = BigInt(bandwidthBytes(encoded.rawDataHex, 1));
    try {
      const execution =
        contract.type === 'TransferContract'
          ? this.executeTransfer(owner, value, bytes)
          : contract.type === 'TriggerSmartContract'
            ? this.executeTrigger(owner, value, raw, bytes, stored)
            : RESOURCE_CONTRACTS.has(contract.type ?? '')
              ? this.executeResourceContract(contract.type!, owner, value, bytes)
              : null;
      if (!execution) return reject('CONTRACT_VALIDATE_ERROR', `Contract validate error : ${contract.type} is not supported by the devnode`);
      if (execution === 'bandwidth') return reject('BANDWITH_ERROR', 'Account resource insufficient error.');
      this.pending.push({ tx: stored, execution });
      this.txIndex.set(txid, null);
      return { result: true, txid };
    } catch (error) {
      if (error instanceof ContractValidateError) return reject('CONTRACT_VALIDATE_ERROR', `Contract validate error : ${error.message}`);
      throw error;
    }
  }

  /**
   * java-tron's Manager.validateTapos: its recent-block store maps bytes 6..7 of a block number to
   * bytes 8..15 of that block's id, rewritten by each new block (and rolled back by a fork switch).
   * ref_block_bytes must be a key in it (exactly 2 bytes) and ref_block_hash the 8 bytes stored there.
   */
  private taposMatches(refBytes: unknown, refHash: unknown): boolean {
    if (typeof refBytes !== 'string' || !/^[0-9a-fA-F]{4}$/.test(refBytes)) return false;
    if (typeof refHash !== 'string' || !/^[0-9a-fA-F]{16}$/.test(refHash)) return false;
    const slot = BigInt('0x' + refBytes);
    // the newest block whose number ends in those two bytes is the one the store holds
    const latest = this.head.number - ((this.head.number - slot) & 0xffffn);
    if (latest < 0n) return false;
    return this.blockByNumber(latest)?.blockID.slice(16, 32) === refHash.toLowerCase();
  }

  private executeTransfer(owner: HexAddress, value: Record<string, unknown>, bytes: bigint): Execution | 'bandwidth' {
    const to = parseAddress(value.to_address);
    const amount = readInt64(value.amount, 'amount');
    this.validateTransfer(owner, to, amount);
    const createsAccount = !this.accounts.has(to!);
    const account = this.accounts.get(owner)!;
    const plan = this.bandwidthPlan(account, bytes, createsAccount);
    const fee = plan.fee + (createsAccount ? this.prices.getCreateNewAccountFeeInSystemContract : 0n);
    if (account.balance < amount + fee) return 'bandwidth';
    this.chargeBandwidth(account, plan);
    account.balance -= amount + fee;
    if (createsAccount) this.accounts.set(to!, { balance: 0n, createTime: this.head.timestamp, resources: emptyResources() });
    this.accounts.get(to!)!.balance += amount;
    return { fee, receipt: receiptOf(plan), contractResult: '', logs: [], failed: null };
  }

  private executeTrigger(
    owner: HexAddress,
    value: Record<string, unknown>,
    raw: RawData,
    bytes: bigint,
    stored: StoredTransaction,
  ): Execution | 'bandwidth' {
    const contractAddress = parseAddress(value.contract_address);
    const feeLimit = readInt64(raw.fee_limit, 'fee_limit');
    const token = this.validateTrigger(owner, contractAddress, feeLimit);
    const callValue = value.call_value === undefined ? 0n : readInt64(value.call_value, 'call_value');
    if (token instanceof Trc20Token && callValue !== 0n) throw new ContractValidateError('The devnode token is not payable');
    const account = this.accounts.get(owner)!;
    // MUtil.transfer validates the call value against the caller's balance before the VM runs.
    if (callValue < 0n) throw new ContractValidateError('callValue must be >= 0');
    if (account.balance < callValue) throw new ContractValidateError('Validate InternalTransfer error, balance is not sufficient.');
    const plan = this.bandwidthPlan(account, bytes, false);
    if (account.balance < plan.fee) return 'bandwidth';
    this.chargeBandwidth(account, plan);
    account.balance -= plan.fee;

    // VMActuator.getAccountEnergyLimitWithFixRatio: staked energy left plus what the balance can burn, capped by
    // fee_limit; fee_limit caps the staked part too.
    const price = this.prices.getEnergyFee;
    const now = this.head.timestamp;
    const staked = this.resources.left(account.resources, 'ENERGY', now);
    // The call value is not there to burn for energy (VMActuator leaves it out of the balance).
    const byBalance = staked + (account.balance - callValue) / price;
    const byFeeLimit = feeLimit / price;
    const energyLimit = byBalance < byFeeLimit ? byBalance : byFeeLimit;
    const data = typeof value.data === 'string' ? value.data : '';
    const outcome: CallOutcome & { internal?: InternalTransfer[] } = token instanceof Trc20Token ? token.call(owner, data) : this.forward(token, owner, data, callValue);
    let used = outcome.energy;
    let failed: Execution['failed'] = null;
    if (used > energyLimit) {
      // Any VM exception but REVERT spends the whole energy limit (program.spendAllEnergy).
      used = energyLimit;
      failed = 'Not enough energy';
      stored.contractRet = 'OUT_OF_ENERGY';
    } else if (!outcome.ok) {
      failed = 'REVERT opcode executed';
      stored.contractRet = 'REVERT';
    } else {
      outcome.commit?.();
    }
    // Staked (or delegated) energy first, the rest burned at the energy price.
    const fromStake = used < staked ? used : staked;
    const charged = (used - fromStake) * price;
    if (fromStake > 0n) consume(account.resources.energy, fromStake, now);
    account.balance -= charged;
    return {
      fee: plan.fee + charged,
      receipt: {
        ...(fromStake > 0n ? { energy_usage: fromStake } : {}),
        ...(charged > 0n ? { energy_fee: charged } : {}),
        energy_usage_total: used,
        ...receiptOf(plan),
        result: stored.contractRet,
      },
      contractResult: outcome.output,
      contractAddress: token.address,
      logs: failed ? [] : outcome.logs,
      ...(failed || !outcome.internal ? {} : { internal: outcome.internal }),
      failed,
    };
  }

  /**
   * forward(address) with call_value: the caller's TRX goes to the contract and on to the recipient (its account
   * created when new), one internal transfer; a malformed call, or the recipient being a contract, reverts.
   */
  private forward(contract: TrxForwarder, caller: HexAddress, data: string, callValue: bigint): CallOutcome & { internal?: InternalTransfer[] } {
    const to = contract.recipient(data, callValue);
    if (!to || this.isContract(to)) return { ok: false, output: '', energy: 12_000n, logs: [], commit: null };
    const creates = !this.accounts.has(to);
    return {
      ok: true,
      output: '',
      energy: creates ? FORWARD_ENERGY.newAccount : FORWARD_ENERGY.existing,
      logs: [],
      internal: [{ caller: contract.address, to, callValue }],
      commit: () => {
        this.accounts.get(caller)!.balance -= callValue;
        if (creates) this.accounts.set(to, { balance: 0n, createTime: this.head.timestamp, resources: emptyResources() });
        this.accounts.get(to)!.balance += callValue;
      },
    };
  }

  /**
   * BandwidthProcessor.consume: staked bandwidth if it covers the whole transaction, else the free daily
   * allowance if it does (never for a transaction that creates an account), else TRX burned per byte; an
   * account-creating transfer without stake burns the account-creation fee instead of the byte fee.
   */
  private bandwidthPlan(account: Account, bytes: bigint, createsAccount: boolean): BandwidthPlan {
    const now = this.head.timestamp;
    if (this.resources.left(account.resources, 'BANDWIDTH', now) >= bytes) return { staked: bytes, free: 0n, fee: 0n };
    if (createsAccount) return { staked: 0n, free: 0n, fee: this.prices.getCreateAccountFee };
    if (this.resources.freeNetLeft(account.resources, now) >= bytes) return { staked: 0n, free: bytes, fee: 0n };
    return { staked: 0n, free: 0n, fee: bytes * this.prices.getTransactionFee };
  }

  private chargeBandwidth(account: Account, plan: BandwidthPlan): void {
    const now = this.head.timestamp;
    if (plan.staked > 0n) consume(account.resources.net, plan.staked, now);
    if (plan.free > 0n) consume(account.resources.freeNet, plan.free, now);
  }

  /** Validates a Stake 2.0 contract as its java-tron actuator does; throws ContractValidateError with its words. */
  validateResourceContract(type: string, owner: HexAddress, value: Record<string, unknown>, balance?: bigint): void {
    const account = this.accounts.get(owner);
    // UnfreezeBalanceV2Actuator words it "does not exist"; the others "not exists".
    if (!account) throw new ContractValidateError(`Account[${owner}] ${type === 'UnfreezeBalanceV2Contract' ? 'does not exist' : 'not exists'}`);
    const now = this.head.timestamp;
    if (type === 'WithdrawExpireUnfreezeContract') {
      if (dueUnfrozen(account.resources, now) <= 0n) throw new ContractValidateError('no unFreeze balance to withdraw ');
      return;
    }
    const resource = resourceOf(value.resource);
    if (type === 'UnfreezeBalanceV2Contract') {
      if (account.resources.frozen[resource] <= 0n) throw new ContractValidateError(resource === 'ENERGY' ? 'no frozenBalance(Energy)' : 'no frozenBalance(BANDWIDTH)');
      const amount = readInt64(value.unfreeze_balance, 'unfreeze_balance');
      if (amount <= 0n || amount > account.resources.frozen[resource]) throw new ContractValidateError(`Invalid unfreeze_balance, [${amount}] is error`);
      const waiting = account.resources.unfrozen.filter((u) => u.expireTime > now).length;
      if (waiting >= UNFREEZE_MAX_TIMES) throw new ContractValidateError('Invalid unfreeze operation, unfreezing times is over limit');
      return;
    }
    if (type === 'FreezeBalanceV2Contract') {
      const frozen = readInt64(value.frozen_balance, 'frozen_balance');
      if (frozen <= 0n) throw new ContractValidateError('frozenBalance must be positive');
      if (frozen < TRX_PRECISION) throw new ContractValidateError('frozenBalance must be more than 1TRX');
      if (frozen > (balance ?? account.balance)) throw new ContractValidateError('frozenBalance must be less than accountBalance');
      return;
    }
    const receiver = parseAddress(value.receiver_address);
    const amount = readInt64(value.balance, 'balance');
    if (type === 'DelegateResourceContract') {
      if (amount < TRX_PRECISION) throw new ContractValidateError('delegateBalance must be more than 1TRX');
      if (this.resources.delegatable(account.resources, resource, this.head.timestamp) < amount) {
        throw new ContractValidateError(`delegateBalance must be less than available ${resource === 'ENERGY' ? 'FreezeEnergyV2' : 'FreezeBandwidthV2'} balance`);
      }
      if (!receiver) throw new ContractValidateError('Invalid receiverAddress');
      if (receiver === owner) throw new ContractValidateError('receiverAddress must not be the same as ownerAddress');
      if (!this.accounts.has(receiver)) throw new ContractValidateError(`Account[${receiver}] not exists`);
      if (this.tokens.has(receiver)) throw new ContractValidateError('Do not allow delegate resources to contract addresses');
      return;
    }
    // UnDelegateResourceContract
    if (!receiver) throw new ContractValidateError('Invalid receiverAddress');
    if (receiver === owner) throw new ContractValidateError('receiverAddress must not be the same as ownerAddress');
    const delegated = this.delegations.get(owner, receiver);
    if (delegated.ENERGY === 0n && delegated.BANDWIDTH === 0n) throw new ContractValidateError('delegated Resource does not exist');
    if (amount <= 0n) throw new ContractValidateError('unDelegateBalance must be more than 0 TRX');
    if (delegated[resource] < amount) {
      throw new ContractValidateError(
        resource === 'ENERGY'
          ? `insufficient delegateFrozenBalance(Energy), request=${amount}, unlock_balance=${delegated.ENERGY}`
          : `insufficient delegatedFrozenBalance(BANDWIDTH), request=${amount}, unlock_balance=${delegated.BANDWIDTH}`,
      );
    }
  }

  /**
   * FreezeBalanceV2, UnfreezeBalanceV2, WithdrawExpireUnfreeze, DelegateResource, UnDelegateResource: no fee of
   * their own, bandwidth paid as any transaction.
   * Undelegating hands the receiver's usage of that stake back to the owner (UnDelegateResourceActuator's transferUsage).
   */
  private executeResourceContract(type: string, owner: HexAddress, value: Record<string, unknown>, bytes: bigint): Execution | 'bandwidth' {
    const account = this.accounts.get(owner);
    if (!account) throw new ContractValidateError(`Account[${owner}] not exists`);
    const plan = this.bandwidthPlan(account, bytes, false);
    if (account.balance < plan.fee) return 'bandwidth';
    // java-tron consumes bandwidth before the actuator validates: a freeze of the whole balance cannot also burn its fee.
    this.validateResourceContract(type, owner, value, account.balance - plan.fee);
    this.chargeBandwidth(account, plan);
    account.balance -= plan.fee;
    const now = this.head.timestamp;
    if (type === 'WithdrawExpireUnfreezeContract' || type === 'UnfreezeBalanceV2Contract') {
      // Both move every due unstaking to the balance first (the actuators' withdraw of expired entries).
      const due = dueUnfrozen(account.resources, now);
      account.resources.unfrozen = account.resources.unfrozen.filter((u) => u.expireTime > now);
      account.balance += due;
      if (type === 'UnfreezeBalanceV2Contract') {
        const resource = resourceOf(value.resource);
        const amount = readInt64(value.unfreeze_balance, 'unfreeze_balance');
        account.resources.frozen[resource] -= amount;
        account.resources.unfrozen.push({ resource, amount, expireTime: now + this.resources.params.getUnfreezeDelayDays * FROZEN_PERIOD_MS });
      }
      return { fee: plan.fee, receipt: receiptOf(plan), contractResult: '', logs: [], failed: null, withdrawExpireAmount: due };
    }
    const resource = resourceOf(value.resource);
    if (type === 'FreezeBalanceV2Contract') {
      const frozen = readInt64(value.frozen_balance, 'frozen_balance');
      account.balance -= frozen;
      account.resources.frozen[resource] += frozen;
    } else {
      const receiver = parseAddress(value.receiver_address)!;
      const amount = readInt64(value.balance, 'balance');
      const target = this.accounts.get(receiver);
      if (type === 'DelegateResourceContract') {
        account.resources.frozen[resource] -= amount;
        account.resources.delegatedOut[resource] += amount;
        target!.resources.acquired[resource] += amount;
        this.delegations.add(owner, receiver, resource, amount);
      } else {
        if (target) {
          const usage = resource === 'ENERGY' ? target.resources.energy : target.resources.net;
          const all = target.resources.frozen[resource] + target.resources.acquired[resource];
          const moved = all > 0n ? (usageNowOf(usage, now) * amount) / all : 0n;
          consume(usage, -moved, now);
          target.resources.acquired[resource] -= amount;
          consume(resource === 'ENERGY' ? account.resources.energy : account.resources.net, moved, now);
        }
        account.resources.delegatedOut[resource] -= amount;
        account.resources.frozen[resource] += amount;
        this.delegations.add(owner, receiver, resource, -amount);
      }
    }
    return { fee: plan.fee, receipt: receiptOf(plan), contractResult: '', logs: [], failed: null };
  }

  /** Signs and submits a transaction from a key the devnode holds (the faucet). */
  submitSigned(key: SigningKey, unsigned: { raw_data: Record<string, unknown>; txID: string }): string {
    const sig = key.sign('0x' + unsigned.txID);
    const signature = sig.r.slice(2) + sig.s.slice(2) + (sig.v === 27 ? '1b' : '1c');
    const outcome = this.broadcast({ raw_data: clientJson(unsigned.raw_data), signature: [signature] });
    if (!('result' in outcome)) throw new Error(`devnode faucet transaction refused: ${outcome.code} ${outcome.message}`);
    return outcome.txid;
  }
}

/** proto3 JSON leaves the default enum value out: no resource means BANDWIDTH. */
function resourceOf(value: unknown): Resource {
  if (value === undefined || value === 'BANDWIDTH' || value === 0) return 'BANDWIDTH';
  if (value === 'ENERGY' || value === 1) return 'ENERGY';
  throw new ContractValidateError('ResourceCode error, valid ResourceCode[BANDWIDTH、ENERGY]');
}

/** Unstaked sun whose wait is over at `now` (WithdrawExpireUnfreezeActuator's total). */
function dueUnfrozen(r: AccountResources, now: bigint): bigint {
  return r.unfrozen.filter((u) => u.amount > 0n && u.expireTime <= now).reduce((sum, u) => sum + u.amount, 0n);
}

function usageNowOf(usage: { used: bigint; at: bigint }, now: bigint): bigint {
  consume(usage, 0n, now);
  return usage.used;
}

/** ResourceReceipt's bandwidth part: bytes from stake or the free allowance, or the TRX burned for them. */
function receiptOf(plan: BandwidthPlan): Record<string, bigint> {
  const receipt: Record<string, bigint> = {};
  if (plan.staked + plan.free > 0n) receipt.net_usage = plan.staked + plan.free;
  if (plan.fee > 0n) receipt.net_fee = plan.fee;
  return receipt;
}
