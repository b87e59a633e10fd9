import { ContractFactory, JsonRpcProvider, Wallet, zeroPadValue } from 'ethers';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import artifact from '@test/devnet/TestToken.json' with { type: 'json' };
import type { DevChain } from './devnet-chain';

/** Anvil's well-known account 2: a sender of our own, so the devnet funder's nonces stay the harness's. */
const SENDER_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';

/**
 * A payout contract as exchanges use: forwards msg.value to the address in its calldata with CALL and reverts
 * when that call fails. Hand-assembled (24-byte runtime behind an 11-byte constructor that returns it):
 *   PUSH1 0 x4 (ret size/offset, args size/offset), CALLVALUE, PUSH1 0 CALLDATALOAD, GAS, CALL,
 *   ISZERO PUSH1 0x13 JUMPI STOP, JUMPDEST PUSH1 0 DUP1 REVERT
 */
const FORWARDER_INITCODE = '0x601880600b6000396000f3' + '6000600060006000346000355af115601357005b600080fd';

/** An outside party on an anvil chain: deploys contracts the registry has never heard of and pays through them. */
export interface OutsideSender {
  /** The outside party's own address: it signs every transaction here, so a return to the sender comes back to it. */
  address: string;
  /** Sends `value` through a fresh payout contract, so it reaches `to` as an internal transaction. */
  payThroughContract(to: string, value: bigint): Promise<{ txHash: string; contract: string; deployTxHash: string }>;
  /** Deploys a new ERC-20 and mints `amount` to `to`. */
  mintUnknownToken(to: string, amount: bigint, token: { name: string; symbol: string; decimals: number }): Promise<{ txHash: string; contract: string }>;
}

export function outsideSender(dev: DevChain): OutsideSender {
  if (dev.chain === 'tron') throw new Error('outsideSender is for anvil chains');
  const sender = new Wallet(SENDER_KEY, new JsonRpcProvider(dev.url, DEVNET_EVM_CHAIN_IDS[dev.chain], { staticNetwork: true, cacheTimeout: -1 }));
  return {
    address: sender.address,
    async payThroughContract(to, value) {
      const deploy = await sender.sendTransaction({ data: FORWARDER_INITCODE });
      const contract = (await deploy.wait())!.contractAddress!;
      const payout = await sender.sendTransaction({ to: contract, value, data: zeroPadValue(to, 32) });
      const receipt = await payout.wait();
      if (receipt?.status !== 1) throw new Error('the payout reverted');
      return { txHash: payout.hash, contract, deployTxHash: deploy.hash };
    },
    async mintUnknownToken(to, amount, { name, symbol, decimals }) {
      const token = await new ContractFactory(artifact.abi, artifact.bytecode, sender).deploy(name, symbol, decimals);
      await token.waitForDeployment();
      const mint = await (token as unknown as { mint(to: string, amount: bigint): Promise<{ hash: string; wait(): Promise<unknown> }> }).mint(to, amount);
      await mint.wait();
      return { txHash: mint.hash, contract: await token.getAddress() };
    },
  };
}
