import { AbiCoder } from 'ethers';
import { abiWordAddress, fromAbiAddress, keccakId, type HexAddress } from './encoding';

const abi = AbiCoder.defaultAbiCoder();

/** keccak256("Transfer(address,address,uint256)"), the topic every TRC-20 indexer matches. */
export const TRANSFER_TOPIC = keccakId('Transfer(address,address,uint256)');

const selector = (signature: string) => keccakId(signature).slice(0, 8);
const SELECTORS = {
  name: selector('name()'),
  symbol: selector('symbol()'),
  decimals: selector('decimals()'),
  totalSupply: selector('totalSupply()'),
  balanceOf: selector('balanceOf(address)'),
  transfer: selector('transfer(address,uint256)'),
  mint: selector('mint(address,uint256)'),
} as const;

/**
 * Energy per call, fixed so fees are predictable in tests; the figures are in the range mainnet
 * USDT costs (a first transfer to an address writes a new storage slot and costs about twice as much).
 */
export const ENERGY = {
  view: 1_000n,
  transferToHolder: 31_895n,
  transferToNewHolder: 64_895n,
  mint: 64_895n,
  revert: 12_000n,
} as const;

export interface TvmLog {
  /** 20-byte contract address, no 0x41 prefix, as java-tron prints log.address */
  address: string;
  topics: string[];
  data: string;
}

export interface CallOutcome {
  ok: boolean;
  /** ABI-encoded return value (or revert data), hex without 0x */
  output: string;
  energy: bigint;
  logs: TvmLog[];
  /** Applies the state change; null for views and reverts. */
  commit: (() => void) | null;
}

/**
 * A USDT-like TRC-20: balances, transfer with a Transfer event, and an owner-only mint the devnode's
 * faucet uses so minted tokens show up on chain as Transfer(0x0 → holder) like a real mint.
 */
export class Trc20Token {
  readonly balances = new Map<HexAddress, bigint>();
  totalSupply = 0n;

  constructor(
    readonly address: HexAddress,
    readonly name: string,
    readonly symbol: string,
    readonly decimals: number,
    readonly owner: HexAddress,
  ) {}

  balanceOf(holder: HexAddress): bigint {
    return this.balances.get(holder) ?? 0n;
  }

  call(caller: HexAddress, dataHex: string): CallOutcome {
    const data = dataHex.replace(/^0x/, '').toLowerCase();
    const method = data.slice(0, 8);
    const args = '0x' + data.slice(8);
    const view = (types: string[], values: unknown[]): CallOutcome => ({
      ok: true,
      output: abi.encode(types, values).slice(2),
      energy: ENERGY.view,
      logs: [],
      commit: null,
    });
    try {
      switch (method) {
        case SELECTORS.name:
          return view(['string'], [this.name]);
        case SELECTORS.symbol:
          return view(['string'], [this.symbol]);
        case SELECTORS.decimals:
          return view(['uint8'], [this.decimals]);
        case SELECTORS.totalSupply:
          return view(['uint256'], [this.totalSupply]);
        case SELECTORS.balanceOf: {
          const [holder] = abi.decode(['address'], args);
          return view(['uint256'], [this.balanceOf(fromAbiAddress(holder as string))]);
        }
        case SELECTORS.transfer: {
          const [to, amount] = abi.decode(['address', 'uint256'], args) as unknown as [string, bigint];
          return this.transfer(caller, fromAbiAddress(to), amount);
        }
        case SELECTORS.mint: {
          if (caller !== this.owner) return revert();
          const [to, amount] = abi.decode(['address', 'uint256'], args) as unknown as [string, bigint];
          return this.mint(fromAbiAddress(to), amount);
        }
        default:
          return revert();
      }
    } catch {
      // Undecodable arguments revert, as a Solidity contract does.
      return revert();
    }
  }

  private transfer(from: HexAddress, to: HexAddress, amount: bigint): CallOutcome {
    const fromBalance = this.balanceOf(from);
    if (amount > fromBalance) return revert();
    const energy = this.balanceOf(to) === 0n && to !== from ? ENERGY.transferToNewHolder : ENERGY.transferToHolder;
    return {
      ok: true,
      output: abi.encode(['bool'], [true]).slice(2),
      energy,
      logs: [this.transferLog(from, to, amount)],
      commit: () => {
        this.balances.set(from, this.balanceOf(from) - amount);
        this.balances.set(to, this.balanceOf(to) + amount);
      },
    };
  }

  private mint(to: HexAddress, amount: bigint): CallOutcome {
    const zero: HexAddress = '41' + '0'.repeat(40);
    return {
      ok: true,
      output: '',
      energy: ENERGY.mint,
      logs: [this.transferLog(zero, to, amount)],
      commit: () => {
        this.totalSupply += amount;
        this.balances.set(to, this.balanceOf(to) + amount);
      },
    };
  }

  private transferLog(from: HexAddress, to: HexAddress, amount: bigint): TvmLog {
    const word = (address: HexAddress) => abi.encode(['address'], [abiWordAddress(address)]).slice(2);
    return {
      address: this.address.slice(2),
      topics: [TRANSFER_TOPIC, word(from), word(to)],
      data: abi.encode(['uint256'], [amount]).slice(2),
    };
  }
}

function revert(): CallOutcome {
  return { ok: false, output: '', energy: ENERGY.revert, logs: [], commit: null };
}
