import Eth from '@ledgerhq/hw-app-eth';
import { HDNodeWallet, Signature, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { LedgerSigner } from '@engine/signer/ledger-signer';
import {
  assertSoftwareSignerAllowed,
  assertSoftwareSignerChainAllowed,
  SoftwareSignerChainRefusedError,
  SoftwareSignerRefusedError,
} from '@engine/signer/software-signer-policy';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

const MNEMONIC = 'test test test test test test test test test test test junk';
const HOLDING = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/0").address;
const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const offline = { cryptoassetsBaseURL: null, calServiceURL: null, pluginBaseURL: null, nftExplorerBaseURL: null };
const noResolution = { erc20Tokens: [], nfts: [], externalPlugin: [], plugin: [], domains: [] };

/** Public chains a devnet signature must never be valid on: the product's own and Ethereum's. */
const PUBLIC_CHAIN_IDS = [
  [137n, 'Polygon'],
  [56n, 'BNB Chain'],
  [80002n, 'Polygon Amoy'],
  [97n, 'BNB Chain testnet'],
  [1n, 'Ethereum'],
] as const;

const DEVNET_CHAIN_IDS = Object.entries(DEVNET_EVM_CHAIN_IDS).map(([chain, id]) => [BigInt(id), chain] as const);

function transfer(chainId: bigint, type: 0 | 2): Transaction {
  const fees = type === 2 ? { maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 2_000_000_000n } : { gasPrice: 3_000_000_000n };
  return Transaction.from({ type, chainId, nonce: 5, gasLimit: 21_000n, to: RECIPIENT, value: 10n ** 18n, ...fees });
}

/** The raw payload hw-app-eth sends for a legacy transaction without EIP-155: valid on every chain. */
function unprotectedTransferHex(): string {
  const tx = transfer(1n, 0);
  tx.chainId = 0n;
  return tx.unsignedSerialized.slice(2);
}

describe('software signer policy', () => {
  it.each(['mainnet', 'testnet'] as const)('refuses the virtual device on %s', (profile) => {
    expect(() => assertSoftwareSignerAllowed(profile)).toThrow(SoftwareSignerRefusedError);
    const device = new VirtualLedger({ mnemonic: MNEMONIC });
    expect(() => LedgerSigner.withSoftwareDevice(profile, { openTransport: device.factory() })).toThrow(
      /refused on the (mainnet|testnet) profile/,
    );
  });

  it('lets a devnet sign with the virtual device', async () => {
    expect(() => assertSoftwareSignerAllowed('devnet')).not.toThrow();
    const device = new VirtualLedger({ mnemonic: MNEMONIC });
    const signer = LedgerSigner.withSoftwareDevice('devnet', { openTransport: device.factory() });
    await expect(signer.getAddress('polygon', "m/44'/60'/0'/0/0")).resolves.toMatchObject({
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    });
  });

  it.each(PUBLIC_CHAIN_IDS)('the software signer refuses chain id %s (%s) before the device sees it', async (chainId) => {
    expect(() => assertSoftwareSignerChainAllowed(chainId)).toThrow(SoftwareSignerChainRefusedError);
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const signer = LedgerSigner.withSoftwareDevice('devnet', { openTransport: device.factory() });
    for (const type of [0, 2] as const) {
      const failure = await signer.signEvmTransaction("m/44'/60'/0'/0/0", transfer(chainId, type).unsignedSerialized).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SoftwareSignerChainRefusedError);
      expect(failure).toMatchObject({ chainId, message: expect.stringContaining(`not for chain id ${chainId}`) });
    }
    expect(device.exchanges).toHaveLength(0);
  });

  it.each(DEVNET_CHAIN_IDS)('the software signer signs for the devnet chain id %s (%s)', async (chainId) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const signer = LedgerSigner.withSoftwareDevice('devnet', { openTransport: device.factory() });
    for (const type of [0, 2] as const) {
      const tx = transfer(chainId, type);
      tx.signature = Signature.from(await signer.signEvmTransaction("m/44'/60'/0'/0/0", tx.unsignedSerialized));
      expect(tx.from).toBe(HOLDING);
      expect(tx.chainId).toBe(chainId);
    }
  });
});

describe('virtual Ledger chain policy', () => {
  // hw-app-eth names every 0x6a80 after its commonest cause (blind signing off); the status word is the refusal.
  const signingAnswers = (device: VirtualLedger) =>
    device.exchanges.filter((e) => e.command.startsWith('e004')).map((e) => e.response.slice(-4));

  it.each(PUBLIC_CHAIN_IDS)('answers 0x6a80 to a chain id %s (%s) transaction and shows no screen', async (chainId) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const eth = new Eth(device, undefined, offline);
    for (const type of [0, 2] as const) {
      const raw = transfer(chainId, type).unsignedSerialized.slice(2);
      await expect(eth.signTransaction("44'/60'/0'/0/0", raw, noResolution)).rejects.toThrow();
    }
    expect(signingAnswers(device)).toEqual(['6a80', '6a80']);
    expect(device.reviews).toEqual([]);
  });

  it('refuses a legacy transaction without a chain id, which every chain would accept', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const eth = new Eth(device, undefined, offline);
    await expect(eth.signTransaction("44'/60'/0'/0/0", unprotectedTransferHex(), noResolution)).rejects.toThrow();
    expect(signingAnswers(device)).toEqual(['6a80']);
    expect(device.reviews).toEqual([]);
  });

  it.each(DEVNET_CHAIN_IDS)('signs a devnet chain id %s (%s) transaction after the screen', async (chainId) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const eth = new Eth(device, undefined, offline);
    const tx = transfer(chainId, 2);
    const { r, s, v } = await eth.signTransaction("44'/60'/0'/0/0", tx.unsignedSerialized.slice(2), noResolution);
    tx.signature = Signature.from({ r: `0x${r}`, s: `0x${s}`, yParity: Number.parseInt(v, 16) as 0 | 1 });
    expect(tx.from).toBe(HOLDING);
    expect(device.reviews).toEqual([{ app: 'Ethereum', kind: 'transfer', chainId, to: RECIPIENT, value: 10n ** 18n }]);
  });

  it('signs a public chain only when a test lifts the policy to replay hardware recordings', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth', ethereum: { signableChainIds: 'any' } });
    const eth = new Eth(device, undefined, offline);
    await expect(eth.signTransaction("44'/60'/0'/0/0", transfer(137n, 2).unsignedSerialized.slice(2), noResolution)).resolves.toMatchObject({
      v: expect.stringMatching(/^0[01]$/),
    });
  });
});
