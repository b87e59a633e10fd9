import type { Chain } from '@shared/domain/chains';
import type { EngineConfig } from '@engine/engine';
import type { GasTankView } from '@shared/domain/sweeps';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';
import { startDevChain, type DevChain } from '../watch/devnet-chain';

/**
 * One devnet chain and an unlocked engine pointed at it, with the devnet's holding address registered and the
 * given sweep rules: what most sweep tests start from.
 */
export async function openSweepBench(
  chain: Chain,
  options: { depth: number; rules: Array<{ assetId: string; mode: 'on_confirmation' | 'manual' }>; config?: Partial<EngineConfig> },
): Promise<{ dev: DevChain; t: TestEngine }> {
  const dev = await startDevChain(chain);
  const t = await startUnlockedEngine(options.config ?? {});
  await callOk(t.engine, 'configuration:update', { chain, rpcUrl: dev.url, confirmations: options.depth });
  const path = chain === 'tron' ? "m/44'/195'/0'/0/1" : "m/44'/60'/0'/0/1";
  await t.engine.services.holding.register({ chain, address: dev.holdingAddress, derivationPath: path, source: 'virtual-ledger' });
  for (const rule of options.rules) await callOk(t.engine, 'sweeps:updateRule', { assetId: rule.assetId, minAmount: '1', mode: rule.mode });
  return { dev, t };
}

/** Gives the chain's gas tank `amount` native base units and lets the watcher see it; returns the tank's address. */
export async function fundGasTank(dev: DevChain, t: TestEngine, amount: bigint): Promise<string> {
  const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === dev.chain)!.address!;
  await dev.fundNative(tank, amount);
  await t.engine.services.watch.tick(dev.chain);
  return tank;
}
