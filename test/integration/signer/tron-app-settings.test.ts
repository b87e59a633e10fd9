import Trx from '@ledgerhq/hw-app-trx';
import { describe, expect, it } from 'vitest';
import { LedgerSigner } from '@engine/signer/ledger-signer';
import { toSignerError } from '@engine/signer/signer-error';
import { TronSetting } from '@test/virtual-ledger/tron-app';
import { trc20TransferData, tronRawData } from '@test/virtual-ledger/tron-raw-data';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

/*
 * The Tron app as a factory-fresh device has it (every setting off, app-tron 0.7): what clear-signs,
 * what needs a setting, and what Treasury's signer says to the officer for each.
 */
const MNEMONIC = 'test test test test test test test test test test test junk';
const PATH = "m/44'/195'/0'/0/0";
const HOLDING = 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6';
const RECIPIENT = 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH';
const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
// a TRC-20 the app's compiled list does not have (a custom token registered by contract)
const CUSTOM_TOKEN = 'TXLAQ63Xg1NAzckPwKHvzw7CSEmLMEqcdj';

function tronDevice(flags = 0) {
  const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'tron', tron: { flags } });
  return { device, signer: new LedgerSigner({ openTransport: device.factory() }) };
}

const usdtTransfer = (memo?: string) =>
  tronRawData({
    contract: { type: 'trigger', owner: HOLDING, contract: USDT, data: trc20TransferData(RECIPIENT, 25_000_000n) },
    feeLimit: 30_000_000n,
    ...(memo === undefined ? {} : { memo }),
  });
const customTransfer = tronRawData({
  contract: { type: 'trigger', owner: HOLDING, contract: CUSTOM_TOKEN, data: trc20TransferData(RECIPIENT, 7n) },
  feeLimit: 30_000_000n,
});

describe('Tron app settings on a real device, as the virtual one enforces them', () => {
  it('USDT clear-signs on a factory-fresh app: ticker, amount and recipient on screen', async () => {
    const { device, signer } = tronDevice();
    const signature = await signer.signTronTransaction(PATH, usdtTransfer());
    expect(signature).toMatch(/^[0-9a-f]{130}$/);
    expect(device.reviews).toEqual([
      expect.objectContaining({ kind: 'token-transfer', ticker: 'USDT', decimals: 6, contract: USDT, recipient: RECIPIENT, amount: 25_000_000n, memo: false }),
    ]);
  });

  it('a custom TRC-20 with "Custom contracts" off: the named state, no screen shown (0x6a8d)', async () => {
    const { device, signer } = tronDevice();
    const failure = signer.signTronTransaction(PATH, customTransfer);
    await expect(failure).rejects.toMatchObject({ reason: 'custom-contracts-required', state: 'ready', statusWord: 0x6a8d });
    await expect(failure).rejects.toThrow(/Enable “Custom contracts” in the Tron app’s settings/);
    expect(device.reviews).toEqual([]);
  });

  it('the same custom TRC-20 once the officer enables "Custom contracts": contract and method on screen', async () => {
    const { device, signer } = tronDevice();
    await expect(signer.signTronTransaction(PATH, customTransfer)).rejects.toMatchObject({ reason: 'custom-contracts-required' });
    device.tronApp.setSetting(TronSetting.customContracts, true);
    await expect(signer.signTronTransaction(PATH, customTransfer)).resolves.toMatch(/^[0-9a-f]{130}$/);
    expect(device.reviews).toEqual([expect.objectContaining({ kind: 'custom-contract', contract: CUSTOM_TOKEN, selector: 'a9059cbb' })]);
  });

  it('a memo reaches the app only from outside Treasury, and is refused unless "Transactions data" is on (0x6a8b)', async () => {
    const { device } = tronDevice();
    const withMemo = usdtTransfer('invoice 42');
    const refused = await new Trx(device).signTransaction(PATH, withMemo, []).catch(toSignerError);
    expect(refused).toMatchObject({ reason: 'data-not-allowed', statusWord: 0x6a8b });
    device.tronApp.setSetting(TronSetting.dataAllowed, true);
    await expect(new Trx(device).signTransaction(PATH, withMemo, [])).resolves.toMatch(/^[0-9a-f]{130}$/);
    expect(device.reviews.at(-1)).toMatchObject({ kind: 'token-transfer', memo: true });
  });

  it('Treasury never sends a memo, whatever the app settings', async () => {
    const { device, signer } = tronDevice(0x0f);
    await expect(signer.signTronTransaction(PATH, usdtTransfer('invoice 42'))).rejects.toMatchObject({ reason: 'invalid-request' });
    expect(device.exchanges).toEqual([]);
  });

  it('signing by hash is refused unless "Sign by hash" is on (0x6a8c); Treasury has no such call', async () => {
    const { device, signer } = tronDevice();
    const hash = 'abfcd07e44a6bfc18efb18062c8e588c34f187e3d2b286d4411781acdf6692eb';
    expect(await new Trx(device).signTransactionHash("44'/195'/0'/0/0", hash).catch(toSignerError)).toMatchObject({
      reason: 'sign-by-hash-not-allowed',
      statusWord: 0x6a8c,
    });
    device.tronApp.setSetting(TronSetting.signByHash, true);
    await expect(new Trx(device).signTransactionHash("44'/195'/0'/0/0", hash)).resolves.toMatch(/^[0-9a-f]{130}$/);
    expect(device.reviews.at(-1)).toEqual({ app: 'Tron', kind: 'hash', hash });
    expect('signTronTransactionHash' in signer).toBe(false);
  });

  it('answers its configuration with the settings bits and version, as hw-app-trx reads them', async () => {
    const { device } = tronDevice(TronSetting.customContracts | TronSetting.signByHash);
    expect(await new Trx(device).getAppConfiguration()).toMatchObject({
      version: '0.7.1',
      allowContract: true,
      allowData: false,
      signByHash: true,
      truncateAddress: false,
    });
  });
});
