import { Interface, Signature, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { wellKnownAssets } from '@shared/domain/assets';
import { LedgerSigner } from '@engine/signer/ledger-signer';
import type { DeviceState } from '@engine/signer/status-words';
import { TokenDescriptorBook } from '@engine/signer/token-descriptor-book';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/*
 * A factory-fresh Nano (blind signing off) trusting only Ledger's production descriptor key, as every
 * retail device does, signing for the real chain ids. The virtual device refuses public chain ids by
 * default; this test lifts that explicitly, because what it checks is the mainnet path of a real
 * device: hw-app-eth, the descriptors shipped with the app, the app's refusal without one.
 */
const MNEMONIC = 'test test test test test test test test test test test junk';
const HOLDING = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const PATH = "m/44'/60'/0'/0/0";
const CHAIN_IDS = { polygon: 137, bsc: 56 } as const;
const erc20 = new Interface(['function transfer(address to, uint256 amount)']);

function mainnetDevice(blindSigning = false) {
  const device = new VirtualLedger({
    mnemonic: MNEMONIC,
    app: 'eth',
    ethereum: { blindSigning, signableChainIds: [137n, 56n] },
  });
  const states: DeviceState[] = [];
  // not `software`: this stands for the hardware the production doors open over USB
  const signer = new LedgerSigner({ openTransport: device.factory(), onStateChange: (state) => states.push(state) });
  return { device, signer, states };
}

function tokenTransfer(chainId: number, contract: string, amount: bigint): Transaction {
  return Transaction.from({
    type: chainId === 56 ? 0 : 2,
    chainId: BigInt(chainId),
    nonce: 3,
    ...(chainId === 56 ? { gasPrice: 1_000_000_000n } : { maxPriorityFeePerGas: 30_000_000_000n, maxFeePerGas: 90_000_000_000n }),
    gasLimit: 80_000n,
    to: contract,
    value: 0n,
    data: erc20.encodeFunctionData('transfer', [RECIPIENT, amount]),
  });
}

const mainnetTokens = wellKnownAssets('mainnet')
  .filter((asset) => asset.contract && asset.chain !== 'tron')
  .map((asset) => ({ ...asset, chainId: CHAIN_IDS[asset.chain as 'polygon' | 'bsc'], contract: asset.contract! }));

describe('clear signing of the registry mainnet tokens with the descriptors shipped from Ledger', () => {
  it('covers USDT and USDC on Polygon and BNB Chain', () => {
    expect(mainnetTokens.map((t) => t.id).sort()).toEqual(['bsc:USDC', 'bsc:USDT', 'polygon:USDC', 'polygon:USDT']);
  });

  it.each(mainnetTokens)('$id: blind signing off, the device shows the token and amount and signs', async (token) => {
    const { device, signer, states } = mainnetDevice();
    const descriptor = TokenDescriptorBook.forProfile('mainnet').find(token.chainId, token.contract);
    expect(descriptor).toMatchObject({ ticker: token.symbol, decimals: token.decimals, chainId: token.chainId });
    const amount = 25n * 10n ** BigInt(token.decimals);
    const tx = tokenTransfer(token.chainId, token.contract, amount);

    const signature = await signer.signEvmTransaction(PATH, tx.unsignedSerialized, descriptor!);

    tx.signature = Signature.from(signature);
    expect(tx.from).toBe(HOLDING);
    expect(device.reviews).toEqual([
      {
        app: 'Ethereum',
        kind: 'token-transfer',
        chainId: BigInt(token.chainId),
        ticker: token.symbol,
        decimals: token.decimals,
        contract: token.contract,
        recipient: RECIPIENT,
        amount,
      },
    ]);
    expect(states).toEqual(['awaiting-confirmation', 'ready']);
  });

  it('resolves a custom token offline when Ledger published a descriptor for it (WETH on Polygon)', async () => {
    const weth = '0x7ceB23fD6bC0adD59E62ac25578270cFf1b9f619';
    const { device, signer } = mainnetDevice();
    const descriptor = TokenDescriptorBook.forProfile('mainnet').find(137, weth);
    expect(descriptor).toMatchObject({ ticker: 'WETH', decimals: 18 });
    await signer.signEvmTransaction(PATH, tokenTransfer(137, weth, 10n ** 18n).unsignedSerialized, descriptor!);
    expect(device.reviews[0]).toMatchObject({ kind: 'token-transfer', ticker: 'WETH', amount: 10n ** 18n });
  });

  it('the same descriptor on the wrong chain is refused by the device, named so', async () => {
    const { signer } = mainnetDevice();
    const polygonUsdt = TokenDescriptorBook.forProfile('mainnet').find(137, '0xc2132D05D31c914a87C6611C10748AEb04B58e8F')!;
    const forged = { ...polygonUsdt, chainId: 56, contractAddress: '0x55d398326f99059fF775485246999027B3197955' };
    const tx = tokenTransfer(56, forged.contractAddress, 1n);
    await expect(signer.signEvmTransaction(PATH, tx.unsignedSerialized, forged)).rejects.toMatchObject({ reason: 'token-descriptor-refused' });
  });

  it('a token Ledger has no descriptor for: the named blind-signing state, nothing sent to sign', async () => {
    const unknown = '0x1111111111111111111111111111111111111111';
    expect(TokenDescriptorBook.forProfile('mainnet').find(137, unknown)).toBeNull();
    const { device, signer } = mainnetDevice();
    const failure = signer.signEvmTransaction(PATH, tokenTransfer(137, unknown, 1n).unsignedSerialized);
    await expect(failure).rejects.toMatchObject({ reason: 'blind-signing-required', state: 'ready' });
    expect(device.exchanges.some((e) => e.command.startsWith('e004'))).toBe(false);
    expect(device.reviews).toEqual([]);
  });

  it('once the officer enables blind signing on the device, the state says it is blind before the screen appears', async () => {
    const unknown = '0x1111111111111111111111111111111111111111';
    const { device, signer, states } = mainnetDevice();
    device.ethereumApp.setBlindSigning(true);
    const tx = tokenTransfer(56, unknown, 1n);
    tx.signature = Signature.from(await signer.signEvmTransaction(PATH, tx.unsignedSerialized));
    expect(tx.from).toBe(HOLDING);
    expect(states).toEqual(['awaiting-blind-confirmation', 'ready']);
    expect(device.reviews).toEqual([{ app: 'Ethereum', kind: 'blind-signing', chainId: 56n, to: unknown, data: tx.data }]);
  });
});
