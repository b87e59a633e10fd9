import Eth from '@ledgerhq/hw-app-eth';
import Trx from '@ledgerhq/hw-app-trx';
import { describe, expect, it } from 'vitest';
import {
  describeStatusWord,
  deviceStateForStatusWord,
  StatusWord,
  type DeviceState,
} from '@engine/signer/status-words';
import { SignerError, toSignerError } from '@engine/signer/signer-error';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

const MNEMONIC = 'test test test test test test test test test test test junk';

describe('status words', () => {
  it.each<[number, DeviceState | null]>([
    [0x9000, 'ready'],
    [0x6985, 'rejected'],
    [0x6a80, null],
    [0x6d00, 'wrong-app'],
    [0x6e00, 'wrong-app'],
    [0x6e01, 'wrong-app'],
    [0x6511, 'wrong-app'],
    [0x6807, 'wrong-app'],
    [0x5515, 'locked'],
    [0x6b0c, 'locked'],
    [0x6982, 'locked'],
    [0x6700, null],
  ])('0x%s maps to %s', (statusWord, state) => {
    expect(deviceStateForStatusWord(statusWord)).toBe(state);
  });

  it('names a status word for logs', () => {
    expect(describeStatusWord(StatusWord.rejectedOnDevice)).toBe('0x6985 rejectedOnDevice');
    expect(describeStatusWord(0x6f42)).toBe('0x6f42');
  });
});

describe('status words answered by the virtual device, as the libraries raise them', () => {
  it.each([
    { dashboard: 0x6d00 },
    { dashboard: 0x6e00 },
    { dashboard: 0x6511 },
    { dashboard: 0x6e01 },
  ])('no app open, dashboard answers $dashboard: wrong-app', async ({ dashboard }) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'none', dashboardStatusWord: dashboard });
    const failure = await new Eth(device).getAddress("44'/60'/0'/0/0").catch(toSignerError);
    expect(failure).toBeInstanceOf(SignerError);
    expect(failure).toMatchObject({ state: 'wrong-app', statusWord: dashboard });
  });

  it.each([{ locked: 0x5515 }, { locked: 0x6b0c }])('locked device answering $locked: locked', async ({ locked }) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'tron', locked: true, lockedStatusWord: locked });
    const failure = await new Trx(device).getAddress("44'/195'/0'/0/0").catch(toSignerError);
    expect(failure).toMatchObject({ reason: 'locked', state: 'locked', statusWord: locked });
  });

  it('rejection on the device (0x6985): rejected', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    device.rejectNextConfirmation();
    const failure = await new Eth(device).getAddress("44'/60'/0'/0/0", true).catch(toSignerError);
    expect(failure).toMatchObject({ reason: 'rejected', state: 'rejected', statusWord: 0x6985 });
  });

  it('invalid data (0x6a80): the device stays ready, the payload is refused', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
    const failure = await new Eth(device).provideERC20TokenInformation('0455534454').catch(toSignerError);
    expect(failure).toMatchObject({ reason: 'invalid-data', state: 'ready', statusWord: 0x6a80 });
  });

  it('an unknown instruction in the open app (0x6d00): wrong-app', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'tron' });
    const failure = await device.send(0xe0, 0x7f, 0, 0).catch(toSignerError);
    expect(failure).toMatchObject({ state: 'wrong-app', statusWord: 0x6d00 });
  });
});

describe('errors from the transport layer', () => {
  it.each([
    [{ name: 'DisconnectedDeviceDuringOperation', message: 'gone' }, 'disconnected'],
    [{ name: 'DisconnectedDevice', message: 'gone' }, 'disconnected'],
    [{ name: 'CantOpenDevice', message: 'cannot open' }, 'not-connected'],
    [{ name: 'TransportError', id: 'NoDeviceFound', message: 'none' }, 'not-connected'],
    [{ name: 'EthAppPleaseEnableContractData', message: 'blind signing' }, 'ready'],
    [new Error('something else'), 'ready'],
  ])('%o leaves the device %s', (thrown, state) => {
    expect(toSignerError(thrown).state).toBe(state);
  });

  it('crosses IPC as data with a named status word', () => {
    const failure = toSignerError(Object.assign(new Error('x'), { statusCode: 0x6985 }));
    expect(failure.toFailure()).toEqual({
      code: 'signer:rejected',
      message: expect.stringContaining('Nothing was signed'),
      details: { state: 'rejected', statusWord: '0x6985 rejectedOnDevice' },
    });
  });
});
