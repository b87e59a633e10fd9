import { HDNodeWallet } from 'ethers';
import { normalizeTronAddress } from '@engine/chains/tron';
import type { Chain } from '@shared/domain/chains';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import type { TestEngine } from '@test/engine';

/**
 * One devnet chain behind the few moves the deposit and sweep tests need: pay a deposit (native coin or
 * the USDT-like token, from an outside account), mine, reorganise, read balances. EVM chains are anvil
 * processes, Tron is the loopback devnode; both are real nodes the engine talks to over HTTP.
 */
export interface DevChain {
  chain: Chain;
  url: string;
  native: string;
  token: string;
  /** One whole coin / token in base units. */
  coin: bigint;
  unit: bigint;
  /** An address we hold no key for in the engine, used as the holding wallet (source 'virtual-ledger'). */
  holdingAddress: string;
  sendNative(to: string, amount: bigint): Promise<string>;
  sendToken(to: string, amount: bigint): Promise<string>;
  /** Gives an address native coin outside any deposit flow (the gas tank). */
  fundNative(to: string, amount: bigint): Promise<void>;
  mine(blocks?: number): Promise<void>;
  head(): Promise<number>;
  nativeBalance(address: string): Promise<bigint>;
  tokenBalance(address: string): Promise<bigint>;
  /** Replaces the last `depth` blocks by a different, longer history in which the given transactions never happened. */
  forkFrom(mark: ForkMark, extraBlocks: number): Promise<void>;
  markFork(): Promise<ForkMark>;
  /** Tron only: the node restarts and forgets the transactions it had not packed yet. */
  dropPending?(): void;
  /** Tron only: the devnode itself, for its chain-parameter and refusal controls. */
  tronNode?: TronDevnode;
  /** EVM only: a raw JSON-RPC call to anvil (evm_setAutomine and the like). */
  rpc(method: string, params: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

export type ForkMark = { evmSnapshot?: string; tronHead?: number };

const PHRASE = 'test test test test test test test test test test test junk';

export async function startDevChain(chain: Chain): Promise<DevChain> {
  return chain === 'tron' ? startTron() : startEvm(chain);
}

async function startEvm(chain: 'polygon' | 'bsc'): Promise<DevChain> {
  const net: EvmDevnet = await startEvmDevnet({ chain });
  const decimals = net.decimals.USDT;
  // The funder's nonce is ours alone; sends are queued so two never race for it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    chain,
    url: net.url,
    native: chain === 'polygon' ? 'polygon:POL' : 'bsc:BNB',
    token: `${chain}:USDT`,
    coin: 10n ** 18n,
    unit: 10n ** BigInt(decimals),
    holdingAddress: HDNodeWallet.fromPhrase(PHRASE, undefined, "m/44'/60'/0'/0/1").address,
    sendNative: (to, amount) =>
      serial(async () => {
        const tx = await net.funder.sendTransaction({ to, value: amount });
        await tx.wait();
        return tx.hash;
      }),
    async sendToken(to, amount) {
      await net.mintToken('USDT', to, amount);
      return '';
    },
    fundNative: (to, amount) => net.setNativeBalance(to, amount),
    mine: (blocks = 1) => net.mine(blocks),
    head: async () => Number(await net.provider.getBlockNumber()),
    nativeBalance: (address) => net.provider.getBalance(address),
    async tokenBalance(address) {
      const data = '0x70a08231' + address.slice(2).toLowerCase().padStart(64, '0');
      return BigInt(await net.provider.call({ to: net.tokens.USDT, data }));
    },
    async markFork() {
      return { evmSnapshot: await net.snapshot() };
    },
    async forkFrom(mark, extraBlocks) {
      await net.revert(mark.evmSnapshot!);
      await net.mine(extraBlocks);
    },
    rpc: (method, params) => net.provider.send(method, params) as Promise<unknown>,
    stop: () => net.stop(),
  };
}

async function startTron(): Promise<DevChain> {
  const node: TronDevnode = await startTronDevnode({});
  const holding = HDNodeWallet.fromPhrase(PHRASE, undefined, "m/44'/195'/0'/0/1");
  return {
    chain: 'tron',
    tronNode: node,
    url: node.url,
    native: 'tron:TRX',
    token: 'tron:USDT',
    coin: 1_000_000n,
    unit: 1_000_000n,
    holdingAddress: normalizeTronAddress('41' + holding.address.slice(2)),
    async sendNative(to, amount) {
      const id = node.fund(to, amount);
      await node.mine();
      return id;
    },
    async sendToken(to, amount) {
      const id = node.mintToken(to, amount);
      await node.mine();
      return id;
    },
    async fundNative(to, amount) {
      node.fund(to, amount);
      await node.mine();
    },
    mine: (blocks = 1) => node.mine(blocks),
    head: async () => Number(node.headNumber()),
    nativeBalance: async (address) => node.trxBalance(address),
    tokenBalance: async (address) => node.tokenBalance(address),
    async markFork() {
      return { tronHead: Number(node.headNumber()) };
    },
    async forkFrom(mark, extraBlocks) {
      const depth = Number(node.headNumber()) - mark.tronHead!;
      await node.reorg(depth, { dropTransactions: true });
      await node.mine(extraBlocks);
    },
    dropPending: () => {
      node.dropPending();
    },
    rpc: () => Promise.reject(new Error('no JSON-RPC on the Tron devnode')),
    stop: () => node.stop(),
  };
}

/**
 * Runs the watcher and the sweeps of `dev`'s chain, a block mined between rounds, until `done` holds (at most 40
 * rounds); otherwise fails with `where()`, what the test says of the state it got stuck in.
 */
export async function driveUntil(t: TestEngine, dev: DevChain, done: () => Promise<boolean>, where: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await t.engine.services.watch.tick(dev.chain);
    await t.engine.services.sweeps.tick(dev.chain);
    if (await done()) return;
    await dev.mine(1);
  }
  throw new Error(`did not get there: ${JSON.stringify(await where())}`);
}
