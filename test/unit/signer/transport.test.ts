import { describe, expect, it } from 'vitest';
import { LedgerSigner } from '@engine/signer/ledger-signer';
import { nodeHidTransportFactory } from '@engine/signer/transport';

describe('node-hid transport', () => {
  it('loads nothing until a device is needed, then reports "not connected" without a device', async () => {
    const signer = new LedgerSigner({ openTransport: nodeHidTransportFactory({ openTimeoutMs: 200, listenTimeoutMs: 200 }) });
    expect(signer.state).toBe('not-connected');
    // this machine has no Ledger (and maybe no HID stack): either way the answer is a state, not a crash
    await expect(signer.checkDevice('polygon')).resolves.toBe('not-connected');
  });
});
