import { ContractFactory } from 'ethers';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { SystemStatus } from '@shared/domain/system';
import type { WalletView } from '@shared/domain/wallets';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { startTronDevnode } from '@test/devnet/tron';
import { callOk, startTestEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';

/** The engine's chain side on the devnet: profiles, addresses from the seed, custom tokens, health. */
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const artifact = JSON.parse(readFileSync(new URL('../../support/devnet/TestToken.json', import.meta.url), 'utf8')) as { abi: unknown[]; bytecode: string };

let polygon: EvmDevnet;
let tron: Awaited<ReturnType<typeof startTronDevnode>>;
let t: TestEngine;

beforeAll(async () => {
  [polygon, tron] = await Promise.all([startEvmDevnet({ chain: 'polygon' }), startTronDevnode({})]);
  t = await startTestEngine();
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: polygon.url });
  await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: tron.url });
  await callOk(t.engine, 'system:restore', { mnemonic: MNEMONIC, passphrase: TEST_PASSPHRASE });
});
afterAll(async () => {
  await t.dispose();
  await Promise.all([polygon.stop(), tron.stop()]);
});

const call = (channel: string, payload: unknown) => t.engine.api.call(channel, payload, { door: 'test' });

describe('chains through the engine', () => {
  it('derives deposit addresses by BIP-44 from the restored seed, one index per EVM address', async () => {
    const first = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'first' });
    const tronWallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'tron' });
    const bsc = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'bsc', label: 'bsc' });
    // Published BIP-44 vectors for the "abandon ... about" mnemonic.
    expect(first).toMatchObject({ address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94', derivationIndex: 0, status: 'active' });
    expect(tronWallet).toMatchObject({ address: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', derivationIndex: 0 });
    // BNB Chain shares Polygon's coin type, so it takes the next index instead of reusing the address.
    expect(bsc.derivationIndex).toBe(1);
    expect(bsc.address).not.toBe(first.address);
  });

  it('refuses a restore over an existing seed', async () => {
    expect(await call('system:restore', { mnemonic: MNEMONIC, passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('exports a backup that is encrypted, not the words', async () => {
    const { backup } = await callOk<{ backup: string }>(t.engine, 'system:exportBackup', { passphrase: TEST_PASSPHRASE, backupPassphrase: 'a different passphrase' });
    expect(backup).toContain('aes-256-gcm');
    expect(backup).not.toContain('abandon');
    expect(await call('system:exportBackup', { passphrase: 'wrong passphrase', backupPassphrase: 'x'.repeat(12) })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('reports each devnet chain reachable with its head block', async () => {
    const status = await callOk<SystemStatus>(t.engine, 'system:status', {});
    expect(status.chains.find((c) => c.chain === 'polygon')).toMatchObject({ reachable: true });
    expect(status.chains.find((c) => c.chain === 'tron')).toMatchObject({ reachable: true });
  });

  it('registers a custom token with symbol and decimals read from its contract', async () => {
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, polygon.funder);
    const token = await factory.deploy('Euro Coin (devnet)', 'EURC', 6);
    await token.waitForDeployment();
    const contract = await token.getAddress();
    const asset = await callOk<Asset>(t.engine, 'configuration:addToken', { chain: 'polygon', contract: contract.toLowerCase() });
    expect(asset).toEqual({ id: `polygon:${contract}`, chain: 'polygon', symbol: 'EURC', decimals: 6, contract });
    const assets = await callOk<Asset[]>(t.engine, 'configuration:assets', { chain: 'polygon' });
    expect(assets.map((a) => a.symbol)).toEqual(['POL', 'USDT', 'USDC', 'EURC']);
    expect(await call('configuration:addToken', { chain: 'polygon', contract })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it.each([
    ['a Tron address on Polygon', 'polygon', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'invalid_address'],
    ['an EVM address on Tron', 'tron', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 'invalid_address'],
    ['a bad EIP-55 checksum', 'polygon', '0xc2132d05D31c914a87C6611C10748AEb04B58e8F', 'invalid_address'],
    ['a Tron address with a broken base58 check', 'tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'invalid_address'],
    ['an address with no contract behind it', 'polygon', '0x1111111111111111111111111111111111111111', 'chain_unavailable'],
  ])('refuses %s as a token', async (_name, chain, contract, code) => {
    expect(await call('configuration:addToken', { chain, contract })).toMatchObject({ ok: false, error: { code } });
  });
});

describe('the fee floor setting', () => {
  it('tips at least 30 gwei on Polygon by default, follows a changed floor, and has none on Tron', async () => {
    const configuration = await callOk<{ chains: Record<string, { feeFloorWei: string | null }> }>(t.engine, 'configuration:get', {});
    expect(configuration.chains.polygon!.feeFloorWei).toBe('30000000000');
    expect(configuration.chains.tron!.feeFloorWei).toBeNull();
    const pol = (await t.engine.services.assets.list('polygon')).find((a: Asset) => a.contract === null)!;
    const quote = async () => (await t.engine.services.chains.adapter('polygon')).estimateFee({ asset: pol, from: polygon.funder.address, to: polygon.funder.address, amount: 1n });
    expect((await quote()).detail.maxPriorityFeePerGas).toBe('30000000000');
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', feeFloorWei: '45000000000' });
    expect((await quote()).detail.maxPriorityFeePerGas).toBe('45000000000');
    expect(await call('configuration:update', { chain: 'tron', feeFloorWei: '1' })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
