import type { Asset } from '@shared/domain/assets';
import type { Chain, NetworkProfile } from '@shared/domain/chains';

/**
 * Everything on-chain goes through this interface, so watchers, sweeps and withdrawals never touch
 * ethers or tronweb directly. Amounts are bigint base units; addresses are the chain's canonical form
 * (EIP-55 for EVM, base58 T-address for Tron).
 */
export interface BlockRef {
  number: bigint;
  hash: string;
  parentHash: string;
  /** seconds since epoch */
  timestamp: number;
}

/** One incoming movement of value: a native transfer (logIndex -1) or a token Transfer event. */
export interface ObservedTransfer {
  chain: Chain;
  assetId: string;
  txHash: string;
  /** -1 for a native-coin transfer, else the log's index within the block (EVM) or tx (Tron). */
  logIndex: number;
  blockNumber: bigint;
  blockHash: string;
  from: string;
  to: string;
  amount: bigint;
}

/**
 * Value that reached one of the recipients but is no registry deposit: a Transfer log of a token contract
 * outside the registry (`contract` set), or native coin moved by a contract's internal call (`contract` null).
 */
export interface ObservedStray {
  chain: Chain;
  kind: 'unknown_token' | 'internal_native';
  /** Canonical token contract address; null for native coin. */
  contract: string | null;
  txHash: string;
  /** The log's index for tokens; -2 - n for the n-th value-moving internal call of the transaction. */
  eventIndex: number;
  blockNumber: bigint;
  blockHash: string;
  from: string;
  to: string;
  amount: bigint;
}

/** What a scan also looks for besides registry deposits, and where it puts it. */
export interface StrayScan {
  found: ObservedStray[];
  /** Set by the adapter when the node cannot trace calls, so internal native transfers were not looked for. */
  tracingUnavailable?: boolean;
}

export interface TransferIntent {
  asset: Asset;
  from: string;
  to: string;
  amount: bigint;
  /** EVM only: the nonce the caller reserved; the adapter fetches it when absent. */
  nonce?: number;
  /** Fee bump for replacements, in percent over the estimate (EVM). */
  feeBumpPercent?: number;
  /**
   * EVM: the least the transaction pays per gas, field by field (a replacement's floor: the replaced fees
   * + 12.5%, see outgoing/tx-lifecycle.ts). The market's fee is paid when it is higher.
   */
  minFees?: EvmFeeFloor;
}

/** Per-gas fee fields in wei; absent fields set no floor. */
export interface EvmFeeFloor {
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

export interface FeeQuote {
  /** Upper bound of what the transfer may cost in the native coin's base units. */
  maxFee: bigint;
  /** Chain-specific detail for display (gas limit, max fee per gas, energy, bandwidth). */
  detail: Record<string, string>;
}

/**
 * An unsigned transaction ready for a signer: `signingPayload` is what the device or key signs
 * (EVM: the unsigned serialized tx, hex; Tron: raw_data_hex), `txId` is known before signing on Tron.
 */
export interface UnsignedTransaction {
  chain: Chain;
  intent: TransferIntent;
  signingPayload: string;
  fee: FeeQuote;
  /** Chain-specific transaction body kept so the signature can be attached without re-building. */
  body: unknown;
}

export interface SignedTransaction {
  chain: Chain;
  /** Hash that identifies it on chain once broadcast. */
  txHash: string;
  /** Serialized signed tx (EVM raw hex) or Tron signed JSON, as the adapter's broadcast expects. */
  raw: string;
}

/** An ECDSA signature over secp256k1 as a device returns it. */
export interface RecoverableSignature {
  r: string;
  s: string;
  v: number;
}

export interface TxReceipt {
  txHash: string;
  status: 'success' | 'reverted';
  blockNumber: bigint;
  blockHash: string;
  /** head - blockNumber + 1 at the time of reading */
  confirmations: number;
  /** What the transaction paid in fees, native base units. */
  feePaid: bigint;
  /** Why a reverted one failed, when the node names it (Tron's receipt result: OUT_OF_ENERGY, REVERT). */
  failure?: string;
}

export interface ChainAdapter {
  readonly chain: Chain;
  /**
   * Proves the node serves the workspace's network before anything is read from it or sent to it: EVM by its
   * chain id, Tron by its genesis block. Throws, naming what the node is, when it is another network.
   */
  checkNetwork(network: NetworkProfile): Promise<void>;
  /** Canonical form of a valid address for this chain; throws AddressError otherwise. */
  normalizeAddress(address: string): string;
  headBlock(): Promise<BlockRef>;
  block(number: bigint): Promise<BlockRef>;
  /**
   * Native and token transfers in [from, to] whose recipient is in `recipients` (canonical addresses). With
   * `strays`, also what reached those recipients outside the registry (unknown tokens, internal native calls).
   */
  scanTransfers(from: bigint, to: bigint, assets: Asset[], recipients: ReadonlySet<string>, strays?: StrayScan): Promise<ObservedTransfer[]>;
  balance(asset: Asset, address: string): Promise<bigint>;
  tokenMetadata(contract: string): Promise<{ symbol: string; decimals: number }>;
  estimateFee(intent: TransferIntent): Promise<FeeQuote>;
  buildTransfer(intent: TransferIntent): Promise<UnsignedTransaction>;
  attachSignature(tx: UnsignedTransaction, signature: RecoverableSignature): SignedTransaction;
  /** Signs with a software key (deposit addresses and the gas tank, derived from the seed). */
  signWithKey(tx: UnsignedTransaction, privateKeyHex: string): Promise<SignedTransaction>;
  broadcast(tx: SignedTransaction): Promise<string>;
  receipt(txHash: string): Promise<TxReceipt | null>;
  /** Who signed a transaction (its owner on Tron), canonical; null when the node does not know it. */
  transactionSender(txHash: string): Promise<string | null>;
  /** Whether code lives at the address (a smart contract), as the node reads it now. */
  isContract(address: string): Promise<boolean>;
  nextNonce?(address: string): Promise<number>;
  /** Tron only: Stake 2.0 energy (freeze, delegate, reclaim) and an address's energy resources. */
  energy?: EnergyStaking;
}

/**
 * A Tron Stake 2.0 action of `owner`: freeze TRX for energy, unstake some of it (it waits the network's unstaking
 * period), withdraw the unstaked sun that is due (`sun`: what is due, for the intent and the audit trail), or
 * delegate / reclaim energy-staked sun to `receiver`.
 */
export type StakeAction =
  | { kind: 'freeze' | 'unfreeze' | 'withdrawUnfrozen'; owner: string; sun: bigint }
  | { kind: 'delegate' | 'undelegate'; owner: string; receiver: string; sun: bigint };

export interface EnergyResources {
  /** The account exists on chain (received TRX once); only then can energy be delegated to it. */
  activated: boolean;
  energyLimit: bigint;
  energyUsed: bigint;
  /** Free bandwidth left today (600 a day on mainnet). */
  freeNetLeft: bigint;
  /** Bandwidth left of what the address staked for bandwidth (used first, when it covers a whole transaction). */
  netLeft: bigint;
  /** Sun the address froze for energy and still holds (not delegated away). */
  stakedForEnergy: bigint;
  /** Sun of its energy stake delegated to others. */
  delegatedForEnergy: bigint;
  /** Unstaked energy stake waiting to be withdrawn: sun, and when it can be (ms, chain time). */
  unstaking: Array<{ sun: bigint; withdrawableAtMs: number }>;
  totalEnergyLimit: bigint;
  totalEnergyWeight: bigint;
}

export interface EnergyStaking {
  buildStake(action: StakeAction, native: Asset): Promise<UnsignedTransaction>;
  resources(address: string): Promise<EnergyResources>;
}
