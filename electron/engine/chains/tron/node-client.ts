import type { TronWeb } from 'tronweb';

/**
 * The java-tron HTTP calls the adapter makes, through tronweb's own HTTP provider (same host,
 * headers and timeout as the SDK). Reads go out as GET with int64_as_string=true so balances and
 * amounts arrive as decimal strings; `int64()` also takes plain numbers from older nodes, but only
 * while they are exact.
 */

/** Integers of java-tron JSON: strings with int64_as_string, numbers without, absent when zero. */
export type Int64 = string | number | undefined;

export function int64(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(
    `Tron node sent ${field}=${String(value)}, which is not an exact integer; the node must honour int64_as_string`,
  );
}

export interface NodeBlock {
  blockID?: string;
  block_header?: {
    raw_data?: { number?: Int64; timestamp?: Int64; parentHash?: string };
  };
  transactions?: NodeTransaction[];
}

export interface NodeTransaction {
  txID: string;
  ret?: { contractRet?: string }[];
  raw_data: {
    contract: {
      type: string;
      parameter: { value: Record<string, unknown> };
    }[];
  };
}

export interface NodeLog {
  address?: string;
  topics?: string[];
  data?: string;
}

export interface NodeTransactionInfo {
  id?: string;
  fee?: Int64;
  blockNumber?: Int64;
  blockTimeStamp?: Int64;
  result?: string;
  resMessage?: string;
  receipt?: { result?: string; energy_fee?: Int64; net_fee?: Int64 };
  log?: NodeLog[];
  /** Value moved by contract calls inside the transaction; a node lists them only with saveInternalTx on. */
  internal_transactions?: NodeInternalTransaction[];
}

/** Tron.proto InternalTransaction in java-tron's JSON: bytes as hex, TRX as a callValueInfo without tokenId (TRC-10 has one). */
export interface NodeInternalTransaction {
  hash?: string;
  caller_address?: string;
  transferTo_address?: string;
  callValueInfo?: Array<{ callValue?: Int64; tokenId?: string }>;
  /** hex of "call", "create" or "suicide" */
  note?: string;
  rejected?: boolean;
}

export interface ConstantCallResult {
  result?: { result?: boolean; code?: string; message?: string };
  energy_used?: number;
  energy_required?: number;
  constant_result?: string[];
  transaction?: { ret?: { ret?: string }[] };
  Error?: string;
}

export interface BroadcastResponse {
  result?: boolean;
  code?: string;
  txid?: string;
  message?: string;
  Error?: string;
}

export class TronNodeClient {
  constructor(private readonly tronWeb: TronWeb) {}

  /** A read with int64 values as strings (java-tron honours the flag on GET only). */
  read<T>(endpoint: string, params: Record<string, string | number | boolean> = {}): Promise<T> {
    return this.tronWeb.fullNode.request<T>(endpoint, { ...params, int64_as_string: true }, 'get');
  }

  /** A call whose body is a transaction or whose answer has no int64 worth guarding. */
  post<T>(endpoint: string, body: object): Promise<T> {
    return this.tronWeb.fullNode.request<T>(endpoint, body, 'post');
  }
}

/** java-tron hex-encodes UTF-8 messages when visible=false. */
export function decodeNodeMessage(message: string | undefined): string {
  if (!message) return '';
  if (!/^([0-9a-fA-F]{2})+$/.test(message)) return message;
  return Buffer.from(message, 'hex').toString('utf8');
}
