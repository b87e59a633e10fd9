import { Transaction } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHAIN_SETTINGS } from '@shared/domain/configuration';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { EvmAdapter } from '@engine/chains/evm/evm-adapter';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';

/**
 * The anvils `npm run devnet` and the tests start run the devnet's private chain ids, the ones the
 * engine's devnet profile expects, and take no transaction signed for the public chain they stand for.
 */
describe.each(['polygon', 'bsc'] as const)('the %s devnet anvil', (chain) => {
  let devnet: EvmDevnet;
  const publicChainId = DEFAULT_CHAIN_SETTINGS.mainnet[chain].chainId!;

  beforeAll(async () => {
    devnet = await startEvmDevnet({ chain });
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  it('reports the private chain id the devnet profile expects', async () => {
    const reported = Number(await devnet.provider.send('eth_chainId', []));
    expect(reported).toBe(DEVNET_EVM_CHAIN_IDS[chain]);
    expect(reported).toBe(DEFAULT_CHAIN_SETTINGS.devnet[chain].chainId);
    expect(devnet.chainId).toBe(reported);
    expect(reported).not.toBe(publicChainId);
  });

  it("passes the engine's network check under the devnet profile and fails it under mainnet's id", async () => {
    const devnetAdapter = new EvmAdapter({ chain, rpcUrl: devnet.url, chainId: DEFAULT_CHAIN_SETTINGS.devnet[chain].chainId! });
    const mainnetAdapter = new EvmAdapter({ chain, rpcUrl: devnet.url, chainId: publicChainId });
    try {
      await expect(devnetAdapter.checkNetwork()).resolves.toBeUndefined();
      await expect(mainnetAdapter.checkNetwork()).rejects.toThrow(
        `${chain} RPC reports chain id ${DEVNET_EVM_CHAIN_IDS[chain]}, expected ${publicChainId}`,
      );
    } finally {
      devnetAdapter.close();
      mainnetAdapter.close();
    }
  });

  // EIP-1559 only: anvil 1.7 still takes a legacy transaction signed for another chain id, which geth
  // refuses ("invalid chain id for signer"); the engine's adapter checks a payload's chain id itself.
  it('refuses a transaction signed for the public chain id, and takes the same one signed for its own', async () => {
    const nonce = await devnet.provider.getTransactionCount(devnet.funder.address, 'pending');
    const signedFor = (chainId: bigint) =>
      devnet.funder.signTransaction({
        type: 2,
        chainId,
        nonce,
        maxPriorityFeePerGas: 1_000_000_000n,
        maxFeePerGas: 10_000_000_000n,
        gasLimit: 21_000n,
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        value: 1n,
      });

    const foreign = await signedFor(BigInt(publicChainId));
    expect(Transaction.from(foreign).chainId).toBe(BigInt(publicChainId));
    await expect(devnet.provider.send('eth_sendRawTransaction', [foreign])).rejects.toThrow(/chain id/i);

    const own = await signedFor(BigInt(DEVNET_EVM_CHAIN_IDS[chain]));
    const hash = (await devnet.provider.send('eth_sendRawTransaction', [own])) as string;
    expect((await devnet.provider.waitForTransaction(hash))?.status).toBe(1);
  });
});
