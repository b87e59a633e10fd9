import { Interface, Signature, Transaction } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import type { EngineEvent } from '@shared/ipc/events';
import { DomainError } from '@shared/result';
import type { UnsignedTransaction } from '@engine/chains/adapter';
import { holdingPath } from '@engine/withdraw';
import { HoldingSigner } from '@engine/withdraw/holding-signer';
import { startTestEngine, type TestEngine } from '@test/engine';
import { tronRawData } from '@test/virtual-ledger/tron-raw-data';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/*
 * The holding signer checks, in the same device turn as the signature, that the Ledger plugged in is
 * the one the holding wallet was registered from; and it picks descriptors from the profile's book when
 * the door gives none (the production doors give none).
 */
const REGISTERED = 'test test test test test test test test test test test junk';
const ANOTHER = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const HOLDING_EVM = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const HOLDING_TRON = 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6';
const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function holdingSigner(device: VirtualLedger, network: 'devnet' | 'mainnet' = 'devnet') {
  t = await startTestEngine({ network, withdrawalTrackIntervalMs: 0 });
  return new HoldingSigner({ openTransport: device.factory(), software: network === 'devnet' }, t.engine.services.configuration, t.engine.events);
}

const pol: Asset = { id: 'polygon:POL', chain: 'polygon', symbol: 'POL', decimals: 18, contract: null };
const trx: Asset = { id: 'tron:TRX', chain: 'tron', symbol: 'TRX', decimals: 6, contract: null };

function evmUnsigned(asset: Asset, chainId: bigint, from = HOLDING_EVM): UnsignedTransaction {
  const tx = Transaction.from({
    type: 2,
    chainId,
    nonce: 0,
    maxPriorityFeePerGas: 1n,
    maxFeePerGas: 2n,
    gasLimit: 80_000n,
    to: asset.contract ?? RECIPIENT,
    value: asset.contract ? 0n : 1n,
    ...(asset.contract ? { data: new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [RECIPIENT, 1n]) } : {}),
  });
  return { chain: asset.chain, intent: { asset, from, to: RECIPIENT, amount: 1n }, signingPayload: tx.unsignedSerialized, fee: { maxFee: 1n, detail: {} }, body: {} };
}

function tronUnsigned(): UnsignedTransaction {
  const raw = tronRawData({ contract: { type: 'transfer', owner: HOLDING_TRON, to: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', amount: 1n } });
  return { chain: 'tron', intent: { asset: trx, from: HOLDING_TRON, to: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', amount: 1n }, signingPayload: raw, fee: { maxFee: 1n, detail: {} }, body: {} };
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('the device proves the holding address before it signs', () => {
  it.each([
    ['polygon', 'eth', () => evmUnsigned(pol, BigInt(DEVNET_EVM_CHAIN_IDS.polygon)), holdingPath('polygon'), pol],
    ['tron', 'tron', tronUnsigned, holdingPath('tron'), trx],
  ] as const)('%s: another Ledger (other recovery phrase) is named "different device" and signs nothing', async (_chain, app, unsigned, path, asset) => {
    const device = new VirtualLedger({ mnemonic: ANOTHER, app });
    const signer = await holdingSigner(device);
    const error = await refusal(signer.sign(unsigned(), path, asset));
    expect(error).toMatchObject({ code: 'device', details: { reason: 'different-device', state: 'ready' } });
    expect(error.message).toMatch(/not the device registered for the holding wallet/);
    expect(device.reviews).toEqual([]);
    expect(device.exchanges.some((e) => e.command.startsWith('e004'))).toBe(false);
  });

  it.each([
    ['polygon', 'eth', () => evmUnsigned(pol, BigInt(DEVNET_EVM_CHAIN_IDS.polygon)), holdingPath('polygon'), pol],
    ['tron', 'tron', tronUnsigned, holdingPath('tron'), trx],
  ] as const)('%s: the registered Ledger reads its address, then signs', async (_chain, app, unsigned, path, asset) => {
    const device = new VirtualLedger({ mnemonic: REGISTERED, app });
    const signer = await holdingSigner(device);
    await signer.sign(unsigned(), path, asset);
    // address (no screen), then the signature: one device turn
    expect(device.exchanges.map((e) => e.command.slice(0, 4))).toEqual(['b001', 'e002', 'e004']);
    expect(device.reviews).toHaveLength(1);
  });
});

describe('descriptors chosen by profile when the door gives none', () => {
  it('mainnet: Polygon USDT clear-signs on a factory-fresh device with Ledger’s descriptor', async () => {
    const usdt: Asset = { id: 'polygon:USDT', chain: 'polygon', symbol: 'USDT', decimals: 6, contract: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F' };
    // the hardware path (not software), with the device's chain policy lifted explicitly for chain 137
    const device = new VirtualLedger({ mnemonic: REGISTERED, app: 'eth', ethereum: { signableChainIds: [137n] } });
    const signer = await holdingSigner(device, 'mainnet');
    const unsigned = evmUnsigned(usdt, 137n);
    const tx = Transaction.from(unsigned.signingPayload);
    tx.signature = Signature.from(await signer.sign(unsigned, holdingPath('polygon'), usdt));
    expect(tx.from).toBe(HOLDING_EVM);
    expect(device.reviews.at(-1)).toMatchObject({ kind: 'token-transfer', ticker: 'USDT', decimals: 6, chainId: 137n });
  });

  it('mainnet: a custom token without a Ledger descriptor is the named blind-signing state', async () => {
    const custom: Asset = { id: 'polygon:0x1111111111111111111111111111111111111111', chain: 'polygon', symbol: 'XYZ', decimals: 6, contract: '0x1111111111111111111111111111111111111111' };
    const device = new VirtualLedger({ mnemonic: REGISTERED, app: 'eth', ethereum: { signableChainIds: [137n] } });
    const signer = await holdingSigner(device, 'mainnet');
    const error = await refusal(signer.sign(evmUnsigned(custom, 137n), holdingPath('polygon'), custom));
    expect(error).toMatchObject({ code: 'device', details: { reason: 'blind-signing-required', state: 'ready' } });
  });

  it('devnet: the test token clear-signs with the devnet book on a device trusting only the devnet key', async () => {
    const { DEVNET_ERC20_SIGNER_PUBLIC_KEY } = await import('@engine/signer/token-descriptor-book');
    t = await startTestEngine({ withdrawalTrackIntervalMs: 0 });
    const usdt = (await t.engine.services.assets.list('polygon')).find((a) => a.symbol === 'USDT')!;
    const device = new VirtualLedger({ mnemonic: REGISTERED, app: 'eth', ethereum: { tokenSignerPublicKey: DEVNET_ERC20_SIGNER_PUBLIC_KEY } });
    const signer = new HoldingSigner({ openTransport: device.factory(), software: true }, t.engine.services.configuration, t.engine.events);
    await signer.sign(evmUnsigned(usdt, BigInt(DEVNET_EVM_CHAIN_IDS.polygon)), holdingPath('polygon'), usdt);
    expect(device.reviews.at(-1)).toMatchObject({ kind: 'token-transfer', ticker: 'USDT', decimals: 6 });
  });
});

describe('USB plug and unplug', () => {
  it('reach the renderer as device.plugged events, and an unplug drops the connection', async () => {
    t = await startTestEngine({ withdrawalTrackIntervalMs: 0 });
    const events: EngineEvent[] = [];
    t.engine.events.subscribe((e) => events.push(e));
    const device = new VirtualLedger({ mnemonic: REGISTERED, app: 'eth' });
    const signer = new HoldingSigner(
      { openTransport: device.factory(), software: true, watchDevices: device.watcher() },
      t.engine.services.configuration,
      t.engine.events,
    );
    await signer.address('polygon', holdingPath('polygon'), false);
    expect(signer.state).toBe('ready');

    device.unplug();
    device.plugIn('eth');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.filter((e) => e.type === 'device.plugged')).toEqual([
      { type: 'device.plugged', plugged: true, model: 'nanoX' },
      { type: 'device.plugged', plugged: false, model: 'nanoX' },
      { type: 'device.plugged', plugged: true, model: 'nanoX' },
    ]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'device.status', state: 'not-connected' }));
    // the next request opens the device plugged in again
    await expect(signer.address('polygon', holdingPath('polygon'), false)).resolves.toMatchObject({ address: HOLDING_EVM });

    await signer.close();
    device.unplug();
    expect(events.filter((e) => e.type === 'device.plugged')).toHaveLength(3);
  });
});
