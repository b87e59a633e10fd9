import { JsonRpcProvider, Wallet, type Provider } from 'ethers';
import type { Chain } from '@shared/domain/chains';
import type { EvmDevnet } from './devnet/evm';
import type { TronDevnode } from './devnet/tron';
import type { TestEngine } from './engine';

/** Anvil's well-known account 4: the company's outside treasury, so other senders' nonces stay their own. */
const COMPANY_OUTSIDE_KEY = '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a';

/** The company's outside treasury pays `amount` of native coin to `to` on an anvil chain (a real transfer, mined). */
export async function sendCompanyNative(provider: Provider, to: string, amount: bigint): Promise<void> {
  const outside = new Wallet(COMPANY_OUTSIDE_KEY, provider);
  await (await outside.sendTransaction({ to, value: amount })).wait();
}

/**
 * The company sends native coins to its holding wallet from outside, as an officer tops up for fees: a real
 * transfer on the devnet, confirmed, which the chain watcher books as company reserve (the only native coins
 * withdrawals' network fees may be paid from). Coins put there by `setNativeBalance` are nobody's in the books.
 */
export async function topUpCompanyNative(
  t: TestEngine,
  chain: Chain,
  dev: { evm: EvmDevnet } | { tron: TronDevnode } | { rpcUrl: string; mine(blocks: number): Promise<unknown> },
  holdingAddress: string,
  amount: bigint,
): Promise<void> {
  if ('tron' in dev) {
    dev.tron.fund(holdingAddress, amount);
  } else {
    const provider = 'evm' in dev ? dev.evm.provider : new JsonRpcProvider(dev.rpcUrl, undefined, { staticNetwork: true });
    await sendCompanyNative(provider, holdingAddress, amount);
    if (!('evm' in dev)) provider.destroy();
  }
  const { chains } = await t.engine.services.configuration.get();
  const depth = chains[chain].confirmations + 1;
  if ('evm' in dev) await dev.evm.mine(depth);
  else if ('tron' in dev) await dev.tron.mine(depth);
  else await dev.mine(depth);
  await t.engine.services.watch.tick(chain);
}
