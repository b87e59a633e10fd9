import { readProtobufFields, TRON_RAW_DATA_MEMO_FIELD, type ProtobufField } from '@engine/signer/protobuf-fields';

/**
 * The part of a Tron transaction's raw_data (protobuf, java-tron's Tron.proto) the Tron app reads
 * before it shows a screen: which contract, who pays whom what, whether a memo (`data`) is attached.
 * A chunk is parsed on its own, as app-tron's processTx does: hw-app-trx cuts raw_data only between
 * top-level fields, so a chunk that ends inside a field is a fault.
 */

export interface TronChunkContent {
  /** Bytes of raw_data.data (field 10), the memo; the app refuses any unless "Transactions data" is on. */
  dataBytes: number;
  contract: TronContract | null;
}

export type TronContract =
  | { type: 'transfer'; owner: Buffer; to: Buffer; amount: bigint; permissionId: number }
  | {
      type: 'trigger-smart-contract';
      owner: Buffer;
      contract: Buffer;
      callValue: bigint;
      /** ABI call data: selector then arguments. */
      data: Buffer;
      permissionId: number;
    }
  | { type: 'other'; contractType: number; permissionId: number };

const CONTRACT_TYPE = { transfer: 1, triggerSmartContract: 31 } as const;
const RAW = { data: TRON_RAW_DATA_MEMO_FIELD, contract: 11 } as const;
type Field = ProtobufField;
const readFields = readProtobufFields;

const bytesOf = (fields: Field[], number: number): Buffer =>
  (fields.find((f) => f.number === number && Buffer.isBuffer(f.value))?.value as Buffer | undefined) ?? Buffer.alloc(0);
const numberOf = (fields: Field[], number: number): bigint =>
  (fields.find((f) => f.number === number && typeof f.value === 'bigint')?.value as bigint | undefined) ?? 0n;

/** One chunk of raw_data as the app reads it; null for a fault (0x6a80). */
export function parseRawDataChunk(chunk: Buffer): TronChunkContent | null {
  const fields = readFields(chunk);
  if (!fields) return null;
  const memo = fields.filter((f) => f.number === RAW.data);
  const dataBytes = memo.reduce((sum, f) => sum + (Buffer.isBuffer(f.value) ? f.value.length : 0), 0);
  const contracts = fields.filter((f) => f.number === RAW.contract);
  if (contracts.length > 1) return null;
  const [contractField] = contracts;
  if (!contractField) return { dataBytes, contract: null };
  const contract = readContract(contractField.value as Buffer);
  return contract ? { dataBytes, contract } : null;
}

function readContract(bytes: Buffer): TronContract | null {
  // Transaction.Contract: 1 type, 2 parameter (Any: 1 type_url, 2 value), 5 Permission_id
  const fields = readFields(bytes);
  if (!fields) return null;
  const contractType = Number(numberOf(fields, 1));
  const permissionId = Number(numberOf(fields, 5));
  const parameter = readFields(bytesOf(fields, 2));
  if (!parameter) return null;
  const value = readFields(bytesOf(parameter, 2));
  if (!value) return null;
  if (contractType === CONTRACT_TYPE.transfer) {
    // TransferContract: 1 owner_address, 2 to_address, 3 amount
    return { type: 'transfer', owner: bytesOf(value, 1), to: bytesOf(value, 2), amount: numberOf(value, 3), permissionId };
  }
  if (contractType === CONTRACT_TYPE.triggerSmartContract) {
    // TriggerSmartContract: 1 owner_address, 2 contract_address, 3 call_value, 4 data
    return {
      type: 'trigger-smart-contract',
      owner: bytesOf(value, 1),
      contract: bytesOf(value, 2),
      callValue: numberOf(value, 3),
      data: bytesOf(value, 4),
      permissionId,
    };
  }
  return { type: 'other', contractType, permissionId };
}
