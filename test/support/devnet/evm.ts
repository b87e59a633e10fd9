/**
 * A local EVM chain for tests and `npm run devnet`: one anvil process standing in for Polygon or BNB
 * Chain under the devnet's private chain id (never the public chain's: what is signed here must not be
 * valid there), with test USDT/USDC at that chain's mainnet decimals, deployed at the same addresses
 * every start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Contract, ContractFactory, getCreateAddress, JsonRpcProvider, Network, Wallet } from 'ethers';
// Relative, not @shared: `npm run devnet` runs this file with tsx and no path aliases.
import { DEVNET_EVM_CHAIN_IDS } from '../../../shared/domain/devnet-chains';
import artifact from './TestToken.json' with { type: 'json' };
import { testTokenSourceSha256 } from './contracts/source';

export type EvmDevnetChain = 'polygon' | 'bsc';
export type DevnetTokenSymbol = 'USDT' | 'USDC';

export interface EvmDevnetOptions {
  chain: EvmDevnetChain;
  /** 0 or absent: a free port picked by anvil. */
  port?: number;
  /** Absent: a block per transaction (automine). Set: interval mining, as on a real chain. */
  blockTimeSeconds?: number;
  /** Print anvil's output (the cli does; tests do not). */
  verbose?: boolean;
}

export interface EvmDevnet {
  chain: EvmDevnetChain;
  url: string;
  port: number;
  chainId: number;
  tokens: Record<DevnetTokenSymbol, string>;
  decimals: Record<DevnetTokenSymbol, number>;
  /** Keyed by asset id ("polygon:USDT"), ready for `wellKnownAssets('devnet', overrides)`. */
  contractOverrides: Record<string, string>;
  /** Anvil account 0, holding 10 000 native coins; connected to `provider`. */
  funder: Wallet;
  provider: JsonRpcProvider;
  mine(blocks?: number): Promise<void>;
  /** Sets an address's native balance outright (no transaction, no nonce to coordinate). */
  setNativeBalance(address: string, amount: bigint): Promise<void>;
  /** Mints test tokens to an address and mines the mint. */
  mintToken(symbol: DevnetTokenSymbol, to: string, amount: bigint): Promise<void>;
  snapshot(): Promise<string>;
  revert(snapshotId: string): Promise<void>;
  stop(): Promise<void>;
}

const TOKEN_DECIMALS: Record<EvmDevnetChain, Record<DevnetTokenSymbol, number>> = {
  polygon: { USDT: 6, USDC: 6 },
  bsc: { USDT: 18, USDC: 18 },
};

/** Anvil's well-known test mnemonic ("test test ... junk"): account 0 funds, account 9 deploys. */
const FUNDER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const DEPLOYER_KEY = '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6';
const DEPLOYER_ADDRESS = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';

/** Fixed deployer and nonces (USDT first, then USDC) make the token addresses the same on every start. */
export const DEVNET_TOKEN_ADDRESSES: Record<DevnetTokenSymbol, string> = {
  USDT: getCreateAddress({ from: DEPLOYER_ADDRESS, nonce: 0 }),
  USDC: getCreateAddress({ from: DEPLOYER_ADDRESS, nonce: 1 }),
};

const TOKEN_NAMES: Record<DevnetTokenSymbol, string> = { USDT: 'Tether USD (devnet)', USDC: 'USD Coin (devnet)' };

function anvilBinary(): { command: string; args: string[] } {
  const require = createRequire(import.meta.url);
  // The platform package holds the real binary; spawning it directly lets stop() signal anvil itself.
  try {
    const pkg = require.resolve(`@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}/package.json`);
    const binary = join(dirname(pkg), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    if (existsSync(binary)) return { command: binary, args: [] };
  } catch {
    // fall through to the wrapper script, which forwards signals to the binary
  }
  return { command: process.execPath, args: [require.resolve('@foundry-rs/anvil/bin.mjs')] };
}

function waitForListening(child: ChildProcess, verbose: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (verbose) process.stdout.write(text);
      output += text;
      const match = /Listening on [^\s:]+:(\d+)/.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`anvil exited (${code}) before listening:\n${output.slice(-2000)}`));
    };
    const cleanup = () => {
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // keep draining so a full pipe never stalls anvil
      if (verbose) child.stdout?.pipe(process.stdout);
      else child.stdout?.resume();
      child.stderr?.resume();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startEvmDevnet(opts: EvmDevnetOptions): Promise<EvmDevnet> {
  if (artifact.sourceSha256 !== testTokenSourceSha256()) {
    throw new Error('TestToken.json is stale: run `npx tsx test/support/devnet/compile.ts`');
  }
  const chainId: number = DEVNET_EVM_CHAIN_IDS[opts.chain];
  const { command, args } = anvilBinary();
  const child = spawn(
    command,
    [...args, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--chain-id', String(chainId), '--accounts', '10'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test runner that dies must not leave anvil holding a port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let port: number;
  try {
    port = await waitForListening(child, opts.verbose ?? false);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }

  const url = `http://127.0.0.1:${port}`;
  // A bare Network: never one of ethers' built-in profiles, whose plugins reach public services.
  // No request cache, so back-to-back sends never reuse a stale pending nonce.
  const provider = new JsonRpcProvider(url, new Network(`devnet-${opts.chain}`, chainId), {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
  const funder = new Wallet(FUNDER_KEY, provider);
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  const decimals = TOKEN_DECIMALS[opts.chain];

  const stop = async () => {
    process.off('exit', killOnExit);
    provider.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };

  try {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, deployer);
    for (const [nonce, symbol] of (['USDT', 'USDC'] as const).entries()) {
      const contract = await factory.deploy(TOKEN_NAMES[symbol], symbol, decimals[symbol], { nonce });
      const deployed = await contract.getAddress();
      if (deployed !== DEVNET_TOKEN_ADDRESSES[symbol]) {
        throw new Error(`${symbol} deployed at ${deployed}, expected ${DEVNET_TOKEN_ADDRESSES[symbol]}`);
      }
    }
    // Automine has already mined both deployments; switch to interval mining only now so it stays deterministic.
    if (opts.blockTimeSeconds !== undefined) {
      await provider.send('evm_setIntervalMining', [opts.blockTimeSeconds]);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const tokens = { ...DEVNET_TOKEN_ADDRESSES };
  let mintQueue: Promise<unknown> = Promise.resolve();
  return {
    chain: opts.chain,
    url,
    port,
    chainId,
    tokens,
    decimals: { ...decimals },
    contractOverrides: { [`${opts.chain}:USDT`]: tokens.USDT, [`${opts.chain}:USDC`]: tokens.USDC },
    funder,
    provider,
    async mine(blocks = 1) {
      await provider.send('anvil_mine', [`0x${blocks.toString(16)}`]);
    },
    async setNativeBalance(address, amount) {
      await provider.send('anvil_setBalance', [address, `0x${amount.toString(16)}`]);
    },
    mintToken(symbol, to, amount) {
      // The deployer signs mints so the funder's nonce stays the tests' own; queued so nonces never collide.
      const run = async () => {
        const token = new Contract(tokens[symbol], artifact.abi, deployer);
        const tx = (await token.getFunction('mint')(to, amount)) as { hash: string };
        if (opts.blockTimeSeconds !== undefined) await provider.send('anvil_mine', ['0x1']);
        // Waited for, not read at once: under load anvil may answer the send before the block with it is sealed.
        const receipt = await provider.waitForTransaction(tx.hash, 1, 30_000);
        if (receipt?.status !== 1) throw new Error(`mint of ${symbol} to ${to} failed`);
      };
      const result = mintQueue.then(run);
      mintQueue = result.catch(() => undefined);
      return result;
    },
    snapshot: () => provider.send('evm_snapshot', []) as Promise<string>,
    async revert(snapshotId) {
      const reverted = (await provider.send('evm_revert', [snapshotId])) as boolean;
      if (!reverted) throw new Error(`evm_revert ${snapshotId} refused`);
    },
    stop,
  };
}
