/**
 * `npm run devnet`: Polygon (8545) and BNB Chain (8546) anvils and the Tron devnode (8090), producing
 * blocks on a timer so the app sees confirmations, and a JSON file describing them for the engine.
 * Options: --block-time <seconds> (EVM; default 2 on Polygon, 3 on BNB Chain), --automine (a block per
 * transaction instead). File: $TREASURY_DEVNET_FILE or ./.treasury-dev/devnet.json, removed on exit.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEvmDevnet, type EvmDevnet, type EvmDevnetChain } from './evm';
import { startTronDevnode, type TronDevnode } from './tron/index';

export interface DevnetDescription {
  startedAt: string;
  pid: number;
  evm: Record<
    EvmDevnetChain,
    {
      rpcUrl: string;
      chainId: number;
      tokens: { USDT: string; USDC: string };
      decimals: { USDT: number; USDC: number };
      /** Anvil's public test account 0: a rich signer for manual testing, never a real key. */
      funder: { address: string; privateKey: string };
    }
  >;
  tron: { fullHost: string; tokens: { USDT: string }; faucet: { address: string; privateKey: string } };
  /** Asset id → contract, as `wellKnownAssets('devnet', contractOverrides)` takes them. */
  contractOverrides: Record<string, string>;
}

const PORTS = { polygon: 8545, bsc: 8546, tron: 8090 } as const;
const DEFAULT_BLOCK_SECONDS: Record<EvmDevnetChain, number> = { polygon: 2, bsc: 3 };
const TRON_BLOCK_MS = 3000;

export function devnetFilePath(): string {
  return resolve(process.env.TREASURY_DEVNET_FILE ?? '.treasury-dev/devnet.json');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'block-time': { type: 'string' }, automine: { type: 'boolean', default: false } },
  });
  const blockTime = (chain: EvmDevnetChain): number | undefined => {
    if (values.automine) return undefined;
    const seconds = values['block-time'] === undefined ? DEFAULT_BLOCK_SECONDS[chain] : Number(values['block-time']);
    if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('--block-time takes a whole number of seconds');
    return seconds;
  };

  const file = devnetFilePath();
  const running: { stop(): Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // The file must not outlive the nodes, or the app would point at dead endpoints.
    rmSync(file, { force: true });
    await Promise.allSettled(running.map((node) => node.stop()));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const evm = {} as Record<EvmDevnetChain, EvmDevnet>;
    for (const chain of ['polygon', 'bsc'] as const) {
      evm[chain] = await startEvmDevnet({ chain, port: PORTS[chain], blockTimeSeconds: blockTime(chain) });
      running.push(evm[chain]);
    }
    const tron: TronDevnode = await startTronDevnode({ port: PORTS.tron, blockIntervalMs: TRON_BLOCK_MS });
    running.push(tron);

    const description: DevnetDescription = {
      startedAt: new Date().toISOString(),
      pid: process.pid,
      evm: {
        polygon: describeEvm(evm.polygon),
        bsc: describeEvm(evm.bsc),
      },
      tron: {
        fullHost: tron.url,
        tokens: { USDT: tron.usdtContract },
        faucet: tron.faucet,
      },
      contractOverrides: {
        ...evm.polygon.contractOverrides,
        ...evm.bsc.contractOverrides,
        'tron:USDT': tron.usdtContract,
      },
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(description, null, 2)}\n`);

    for (const chain of ['polygon', 'bsc'] as const) {
      const node = evm[chain];
      const pace = blockTime(chain) === undefined ? 'automine' : `a block every ${blockTime(chain)} s`;
      console.log(`${chain.padEnd(8)} ${node.url}  chain id ${node.chainId}, ${pace}`);
      console.log(`         USDT ${node.tokens.USDT} (${node.decimals.USDT} decimals)`);
      console.log(`         USDC ${node.tokens.USDC} (${node.decimals.USDC} decimals)`);
    }
    console.log(`tron     ${tron.url}  a block every ${TRON_BLOCK_MS / 1000} s`);
    console.log(`         USDT ${tron.usdtContract} (6 decimals)`);
    console.log(`funder   ${evm.polygon.funder.address} (EVM), ${tron.faucet.address} (Tron)`);
    console.log(`wrote ${file}; Ctrl-C stops the nodes and removes it`);
  } catch (error) {
    console.error(`devnet failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

function describeEvm(node: EvmDevnet): DevnetDescription['evm'][EvmDevnetChain] {
  return {
    rpcUrl: node.url,
    chainId: node.chainId,
    tokens: node.tokens,
    decimals: node.decimals,
    funder: { address: node.funder.address, privateKey: node.funder.privateKey },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
