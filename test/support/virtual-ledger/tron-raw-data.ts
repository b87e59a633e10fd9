import { decodeBase58, Interface } from 'ethers';

/**
 * Builds Tron raw_data bytes (java-tron's Transaction.raw) for tests of the Tron app: a TRX transfer
 * or a TriggerSmartContract call, with or without a memo, in the field order java-tron serialises.
 */

function varint(value: bigint | number): Buffer {
  let rest = BigInt(value);
  const bytes: number[] = [];
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? byte | 0x80 : byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

const numberField = (field: number, value: bigint | number) => Buffer.concat([varint(field << 3), varint(value)]);
const bytesField = (field: number, value: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);

/** 21-byte 0x41… address from a base58 T-address. */
export function tronAddressBytes(address: string): Buffer {
  const hex = decodeBase58(address).toString(16).padStart(50, '0');
  return Buffer.from(hex.slice(0, 42), 'hex');
}

export type TronTestContract =
  | { type: 'transfer'; owner: string; to: string; amount: bigint }
  | { type: 'trigger'; owner: string; contract: string; data: Buffer; callValue?: bigint };

export interface TronTestTransaction {
  contract: TronTestContract;
  memo?: string;
  feeLimit?: bigint;
}

const trc20 = new Interface(['function transfer(address to, uint256 amount)']);

/** ABI data of transfer(to, amount) for a T-address recipient (the EVM-style 20-byte form). */
export function trc20TransferData(to: string, amount: bigint): Buffer {
  const evm = `0x${tronAddressBytes(to).subarray(1).toString('hex')}`;
  return Buffer.from(trc20.encodeFunctionData('transfer', [evm, amount]).slice(2), 'hex');
}

export function tronRawData(tx: TronTestTransaction): string {
  const { contract } = tx;
  const [typeNumber, typeName, value] =
    contract.type === 'transfer'
      ? [
          1,
          'TransferContract',
          Buffer.concat([
            bytesField(1, tronAddressBytes(contract.owner)),
            bytesField(2, tronAddressBytes(contract.to)),
            numberField(3, contract.amount),
          ]),
        ]
      : [
          31,
          'TriggerSmartContract',
          Buffer.concat([
            bytesField(1, tronAddressBytes(contract.owner)),
            bytesField(2, tronAddressBytes(contract.contract)),
            ...(contract.callValue ? [numberField(3, contract.callValue)] : []),
            bytesField(4, contract.data),
          ]),
        ];
  const parameter = Buffer.concat([bytesField(1, Buffer.from(`type.googleapis.com/protocol.${typeName}`)), bytesField(2, value)]);
  const contractMessage = Buffer.concat([numberField(1, typeNumber), bytesField(2, parameter)]);
  return Buffer.concat([
    bytesField(1, Buffer.from('3dce', 'hex')),
    bytesField(4, Buffer.from('95da42177db00507', 'hex')),
    numberField(8, 1_700_000_060_000n),
    ...(tx.memo === undefined ? [] : [bytesField(10, Buffer.from(tx.memo))]),
    bytesField(11, contractMessage),
    numberField(14, 1_700_000_000_000n),
    ...(tx.feeLimit === undefined ? [] : [numberField(18, tx.feeLimit)]),
  ]).toString('hex');
}
