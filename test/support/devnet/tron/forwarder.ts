import { AbiCoder } from 'ethers';
import { fromAbiAddress, keccakId, type HexAddress } from './encoding';

const abi = AbiCoder.defaultAbiCoder();
const FORWARD = keccakId('forward(address)').slice(0, 8);

/**
 * Energy of forward(address): the CALL with value to an existing account (9,000 for the value transfer plus the
 * call's own cost), and 25,000 more when the call creates the recipient's account, as the TVM charges.
 */
export const FORWARD_ENERGY = { existing: 9_800n, newAccount: 34_800n } as const;

/** One TRX move a contract made inside a transaction, as java-tron's TransactionInfo.internal_transactions lists it. */
export interface InternalTransfer {
  caller: HexAddress;
  to: HexAddress;
  callValue: bigint;
}

/**
 * A payout contract as exchanges use on Tron: payable forward(address) sends the call's whole value on to the
 * address (Solidity `to.transfer(msg.value)`), so it reaches the recipient as an internal transaction. Anything
 * else, or a call without value, reverts.
 */
export class TrxForwarder {
  constructor(
    readonly address: HexAddress,
    readonly owner: HexAddress,
  ) {}

  /** The recipient of a forward call, or null when the call is not one (it reverts). */
  recipient(dataHex: string, callValue: bigint): HexAddress | null {
    const data = dataHex.replace(/^0x/, '').toLowerCase();
    if (data.slice(0, 8) !== FORWARD || callValue <= 0n) return null;
    try {
      const [to] = abi.decode(['address'], '0x' + data.slice(8));
      return fromAbiAddress(to as string);
    } catch {
      return null;
    }
  }
}
