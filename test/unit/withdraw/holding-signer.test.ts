import { Signature, Transaction } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import type { Chain } from '@shared/domain/chains';
import type { EngineEvent } from '@shared/ipc/events';
import { DomainError } from '@shared/result';
import { holdingPath } from '@engine/withdraw';
import { HoldingSigner } from '@engine/withdraw/holding-signer';
import { parseUnsigned, serializeUnsigned } from '@engine/withdraw/withdrawal-records';
import type { UnsignedTransaction } from '@engine/chains/adapter';
import { devnetSoftwareSigner } from '../../../electron/host/devnet-signer';
import { startTestEngine, type TestEngine } from '@test/engine';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

const MNEMONIC = 'test test test test test test test test test test test junk';
let t: TestEngine | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function signerOn(profile: 'devnet' | 'mainnet', device: VirtualLedger, software = true) {
  t = await startTestEngine({ network: profile, withdrawalTrackIntervalMs: 0 });
  const events: EngineEvent[] = [];
  t.engine.events.subscribe((e) => events.push(e));
  const signer = new HoldingSigner({ openTransport: device.factory(), software }, t.engine.services.configuration, t.engine.events);
  return { signer, events };
}

const polygonNative: Asset = { id: 'polygon:POL', chain: 'polygon', symbol: 'POL', decimals: 18, contract: null };
const unsignedFor = (chainId: bigint): UnsignedTransaction => {
  const tx = Transaction.from({
    type: 2,
    chainId,
    nonce: 0,
    maxPriorityFeePerGas: 1n,
    maxFeePerGas: 2n,
    gasLimit: 21_000n,
    to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    value: 1n,
  });
  return {
    chain: 'polygon',
    intent: { asset: polygonNative, from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: tx.to!, amount: 1n, nonce: 0 },
    signingPayload: tx.unsignedSerialized,
    fee: { maxFee: 42_000n, detail: {} },
    body: {},
  };
};

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('HoldingSigner', () => {
  it.each([
    ['polygon', 0, "m/44'/60'/0'/0/0"],
    ['bsc', 2, "m/44'/60'/2'/0/0"],
    ['tron', 0, "m/44'/195'/0'/0/0"],
  ] as const)('puts the %s holding wallet of account %i at %s', (chain, account, path) => {
    expect(holdingPath(chain as Chain, account)).toBe(path);
  });

  it.each([
    ['locked', (d: VirtualLedger) => d.lock(), 'locked'],
    ['the Tron app open for an EVM address', (d: VirtualLedger) => d.open('tron'), 'wrong-app'],
    ['the dashboard open', (d: VirtualLedger) => d.open('none'), 'wrong-app'],
    ['unplugged', (d: VirtualLedger) => d.unplug(), 'not-connected'],
  ])('answers a device %s as the device error with that state, and pushes the change', async (_name, arrange, state) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    arrange(device);
    const { signer, events } = await signerOn('devnet', device);
    const error = await refusal(signer.address('polygon', holdingPath('polygon'), false));
    expect(error).toMatchObject({ code: 'device', details: { state } });
    expect(signer.state).toBe(state);
    // the renderer hears of every change; an unplugged device was never anything but not connected
    if (state !== 'not-connected') expect(events).toContainEqual(expect.objectContaining({ type: 'device.status', state }));
  });

  it('refuses a software device on mainnet without a single exchange', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const { signer } = await signerOn('mainnet', device);
    expect(await refusal(signer.address('polygon', holdingPath('polygon'), false))).toMatchObject({ code: 'forbidden' });
    expect(device.exchanges).toHaveLength(0);
  });

  describe('a software device signs for the devnet chain ids only', () => {
    it.each([137n, 56n, 80002n, 97n, 1n])('refuses a payload for chain id %s as forbidden, with no signing command sent', async (chainId) => {
      const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
      const { signer } = await signerOn('devnet', device);
      const error = await refusal(signer.sign(unsignedFor(chainId), holdingPath('polygon'), polygonNative));
      expect(error).toMatchObject({ code: 'forbidden', details: { chainId: chainId.toString() } });
      expect(device.exchanges.filter((e) => e.command.startsWith('e004'))).toEqual([]);
      expect(signer.state).not.toBe('awaiting-confirmation');
    });

    it('signs the devnet Polygon chain id', async () => {
      const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
      const { signer } = await signerOn('devnet', device);
      const unsigned = unsignedFor(BigInt(DEVNET_EVM_CHAIN_IDS.polygon));
      const signature = await signer.sign(unsigned, holdingPath('polygon'), polygonNative);
      const tx = Transaction.from(unsigned.signingPayload);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    });
  });

  it('takes a hardware device on mainnet', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const { signer } = await signerOn('mainnet', device, false);
    expect((await signer.address('polygon', holdingPath('polygon'), false)).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(signer.source).toBe('ledger');
  });

  it('says no Ledger is configured when the door gave none', async () => {
    t = await startTestEngine({ withdrawalTrackIntervalMs: 0 });
    const signer = new HoldingSigner(undefined, t.engine.services.configuration, t.engine.events);
    expect(await refusal(signer.address('tron', holdingPath('tron'), false))).toMatchObject({ code: 'device', details: { state: 'not-connected' } });
  });
});

describe('the devnet door signer', () => {
  it('opens the app each chain needs on the virtual device, one request at a time', async () => {
    t = await startTestEngine({ withdrawalTrackIntervalMs: 0 });
    const config = await devnetSoftwareSigner();
    const signer = new HoldingSigner(config, t.engine.services.configuration, t.engine.events);
    const [polygon, tron, bsc] = await Promise.all([
      signer.address('polygon', holdingPath('polygon'), false),
      signer.address('tron', holdingPath('tron'), false),
      signer.address('bsc', holdingPath('bsc'), false),
    ]);
    expect(polygon.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(bsc.address).toBe(polygon.address);
    expect(tron.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(signer.source).toBe('virtual-ledger');
  });

  it('refuses to sign a Polygon mainnet (chain id 137) payload', async () => {
    t = await startTestEngine({ withdrawalTrackIntervalMs: 0 });
    const signer = new HoldingSigner(await devnetSoftwareSigner(), t.engine.services.configuration, t.engine.events);
    const error = await refusal(signer.sign(unsignedFor(137n), holdingPath('polygon'), polygonNative));
    expect(error).toMatchObject({ code: 'forbidden', details: { chainId: '137' } });
  });
});

describe('stored unsigned transactions', () => {
  it('keep their bigints through the database text', () => {
    const unsigned: UnsignedTransaction = {
      chain: 'bsc',
      intent: {
        asset: { id: 'bsc:USDT', chain: 'bsc', symbol: 'USDT', decimals: 18, contract: '0x55d398326f99059fF775485246999027B3197955' },
        from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        amount: 123_456_789_012_345_678_901_234_567n,
        nonce: 7,
      },
      signingPayload: '0xe7',
      fee: { maxFee: 2n ** 70n, detail: { gasPrice: '3000000000' } },
      body: { nonce: 7 },
    };
    const back = parseUnsigned(serializeUnsigned(unsigned));
    expect(back).toEqual(unsigned);
    expect(typeof back.intent.amount).toBe('bigint');
  });
});
