import { describe, expect, it } from 'vitest';
import { LedgerSigner } from '@engine/signer/ledger-signer';
import {
  assertSoftwareSignerAllowed,
  SoftwareSignerRefusedError,
} from '@engine/signer/software-signer-policy';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';

const MNEMONIC = 'test test test test test test test test test test test junk';

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
});
