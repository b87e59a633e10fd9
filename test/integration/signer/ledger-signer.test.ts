import Eth from '@ledgerhq/hw-app-eth';
import {
  HDNodeWallet,
  Interface,
  Mnemonic,
  sha256,
  Signature,
  SigningKey,
  Transaction,
} from 'ethers';
import { describe, expect, it } from 'vitest';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';
import { LedgerSigner, tronAddressFromPublicKey } from '@engine/signer/ledger-signer';
import { SignerError, toSignerError } from '@engine/signer/signer-error';
import type { DeviceState } from '@engine/signer/status-words';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { TronSetting } from '@test/virtual-ledger/tron-app';
import { tronRawData } from '@test/virtual-ledger/tron-raw-data';
import { VirtualLedger, type VirtualLedgerOptions } from '@test/virtual-ledger/virtual-ledger';

const MNEMONIC = 'test test test test test test test test test test test junk';
const EVM_PATH = "m/44'/60'/0'/0/0";
const TRON_PATH = "m/44'/195'/0'/0/0";
const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const POLYGON_USDT = '0xc2132D05D31c914a87C6611C10748AEb04B58e8F';
const erc20 = new Interface(['function transfer(address to, uint256 amount)']);
// The virtual device signs for the devnet's private chain ids only, as the app would for its one chain.
const POLYGON = BigInt(DEVNET_EVM_CHAIN_IDS.polygon);
const BSC = BigInt(DEVNET_EVM_CHAIN_IDS.bsc);

// raw_data of a TRX transfer as hw-app-trx's own tests sign it, less its memo (field 10), which
// Treasury never sends and a factory-fresh Tron app refuses
const TRON_MEMO = `522c${Buffer.from('CryptoChain-TronSR Ledger Transactions Tests').toString('hex')}`;
const TRON_RAW_DATA_WITH_MEMO =
  `0a023dce220895da42177db0050740d8e0a5feed2d${TRON_MEMO}5a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a1541c8599111f29c1e1e061265b4af93ea1f274ad78a121541c8599111f29c1e1e061265b4af93ea1f274ad78a1880c2d72f709d94a2feed2d`;
const TRON_RAW_DATA = TRON_RAW_DATA_WITH_MEMO.replace(TRON_MEMO, '');
const TRON_SELF = 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH';

const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), 'm');
const holdingEvmAddress = root.derivePath(EVM_PATH).address;
const tronPublicKey = SigningKey.computePublicKey(root.derivePath(TRON_PATH).publicKey, false);

function setup(options: Partial<VirtualLedgerOptions> = {}) {
  const device = new VirtualLedger({
    mnemonic: MNEMONIC,
    app: 'eth',
    ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY },
    ...options,
  });
  const states: DeviceState[] = [];
  const signer = new LedgerSigner({ openTransport: device.factory(), onStateChange: (state) => states.push(state) });
  return { device, signer, states };
}

function polygonTransfer(): Transaction {
  return Transaction.from({
    type: 2,
    chainId: POLYGON,
    nonce: 7,
    maxPriorityFeePerGas: 30_000_000_000n,
    maxFeePerGas: 60_000_000_000n,
    gasLimit: 21_000n,
    to: RECIPIENT,
    value: 1_500_000_000_000_000_000n,
  });
}

function polygonUsdtTransfer(amount: bigint): Transaction {
  return Transaction.from({
    type: 2,
    chainId: POLYGON,
    nonce: 8,
    maxPriorityFeePerGas: 30_000_000_000n,
    maxFeePerGas: 60_000_000_000n,
    gasLimit: 65_000n,
    to: POLYGON_USDT,
    value: 0n,
    data: erc20.encodeFunctionData('transfer', [RECIPIENT, amount]),
  });
}

const polygonUsdt = withTestSignature({ ticker: 'USDT', contractAddress: POLYGON_USDT, decimals: 6, chainId: DEVNET_EVM_CHAIN_IDS.polygon });

function recoveredTronAddress(rawDataHex: string, signatureHex: string): string {
  const recoveryId = Number.parseInt(signatureHex.slice(128), 16);
  const signature = Signature.from({
    r: `0x${signatureHex.slice(0, 64)}`,
    s: `0x${signatureHex.slice(64, 128)}`,
    v: 27 + recoveryId,
  });
  const publicKey = SigningKey.recoverPublicKey(sha256(`0x${rawDataHex}`), signature);
  return tronAddressFromPublicKey(publicKey);
}

describe('LedgerSigner over the virtual Ledger', () => {
  describe('addresses', () => {
    it.each(['polygon', 'bsc'] as const)("reads the %s holding address at m/44'/60'/0'/0/0", async (chain) => {
      const { signer } = setup();
      await expect(signer.getAddress(chain, EVM_PATH)).resolves.toEqual({
        address: holdingEvmAddress,
        publicKey: SigningKey.computePublicKey(root.derivePath(EVM_PATH).publicKey, false),
      });
      expect(signer.state).toBe('ready');
    });

    it("reads the Tron holding address at m/44'/195'/0'/0/0", async () => {
      const { signer } = setup({ app: 'tron' });
      await expect(signer.getAddress('tron', TRON_PATH)).resolves.toEqual({
        address: 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6',
        publicKey: tronPublicKey,
      });
    });

    it('shows the address on the device when asked to', async () => {
      const { signer, device } = setup();
      await signer.getAddress('bsc', EVM_PATH, { display: true });
      expect(device.reviews).toEqual([{ app: 'Ethereum', kind: 'address', address: holdingEvmAddress }]);
    });

    it('refuses a path of the wrong coin before talking to the device', async () => {
      const { signer, device } = setup();
      await expect(signer.getAddress('polygon', TRON_PATH)).rejects.toMatchObject({ reason: 'invalid-request' });
      expect(device.exchanges).toHaveLength(0);
    });
  });

  describe('EVM signing', () => {
    it('signs an EIP-1559 Polygon transaction that recovers to the holding address', async () => {
      const { signer, device } = setup();
      const tx = polygonTransfer();

      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);

      expect([0, 1]).toContain(signature.v);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(device.reviews).toEqual([
        { app: 'Ethereum', kind: 'transfer', chainId: POLYGON, to: RECIPIENT, value: 1_500_000_000_000_000_000n },
      ]);
    });

    it('signs a legacy EIP-155 BNB Chain transaction with the full chain-id v', async () => {
      const { signer } = setup();
      const tx = Transaction.from({
        type: 0,
        chainId: BSC,
        nonce: 3,
        gasPrice: 3_000_000_000n,
        gasLimit: 21_000n,
        to: RECIPIENT,
        value: 250_000_000_000_000_000n,
      });

      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);

      expect([BSC * 2n + 35n, BSC * 2n + 36n].map(Number)).toContain(signature.v);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(tx.chainId).toBe(BSC);
    });

    it('signs a legacy Polygon transaction although v no longer fits the byte the device answers', async () => {
      const { signer } = setup();
      const tx = Transaction.from({
        type: 0,
        chainId: POLYGON,
        nonce: 1,
        gasPrice: 50_000_000_000n,
        gasLimit: 21_000n,
        to: RECIPIENT,
        value: 1n,
      });
      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);
      expect([POLYGON * 2n + 35n, POLYGON * 2n + 36n].map(Number)).toContain(signature.v);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
    });

    it('provides the token so the device shows "USDT 25" and the recipient in clear', async () => {
      const { signer, device } = setup();
      const tx = polygonUsdtTransfer(25_000_000n);

      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized, polygonUsdt);

      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(device.reviews).toEqual([
        {
          app: 'Ethereum',
          kind: 'token-transfer',
          chainId: POLYGON,
          ticker: 'USDT',
          decimals: 6,
          contract: POLYGON_USDT,
          recipient: RECIPIENT,
          amount: 25_000_000n,
        },
      ]);
      // PROVIDE_ERC20_TOKEN_INFORMATION went before the transaction
      expect(device.exchanges.map((exchange) => exchange.command.slice(0, 4))).toEqual(['b001', 'e00a', 'e004']);
    });

    it('signs a long contract call sent in several chunks, saying first that the device blind-signs it', async () => {
      const { signer, states } = setup({ ethereum: { blindSigning: true, tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
      const tx = Transaction.from({
        type: 2,
        chainId: POLYGON,
        nonce: 9,
        maxPriorityFeePerGas: 1n,
        maxFeePerGas: 2n,
        gasLimit: 500_000n,
        to: POLYGON_USDT,
        data: `0x12345678${'ab'.repeat(600)}`,
      });
      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(states).toEqual(['awaiting-blind-confirmation', 'ready']);
    });

    it('signs a long legacy BNB Chain call sent in several chunks', async () => {
      const { signer, device } = setup({ ethereum: { blindSigning: true, tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
      const tx = Transaction.from({
        type: 0,
        chainId: BSC,
        nonce: 4,
        gasPrice: 3_000_000_000n,
        gasLimit: 300_000n,
        to: RECIPIENT,
        data: `0x87654321${'cd'.repeat(700)}`,
      });
      const signature = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);
      tx.signature = Signature.from(signature);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(device.exchanges.filter((exchange) => exchange.command.startsWith('e00480')).length).toBeGreaterThan(1);
      expect(device.reviews.at(-1)).toMatchObject({ kind: 'blind-signing', chainId: BSC });
    });

    it('a public chain id reaches the device and is refused there (0x6a80), with no screen shown', async () => {
      const { signer, device } = setup();
      const mainnetPolygon = Transaction.from({ ...polygonTransfer().toJSON(), chainId: 137n });
      const failure = signer.signEvmTransaction(EVM_PATH, mainnetPolygon.unsignedSerialized);
      await expect(failure).rejects.toMatchObject({ reason: 'invalid-data', state: 'ready', statusWord: 0x6a80 });
      expect(device.reviews).toEqual([]);
    });

    it('without token information and blind signing off: the named state, and the transaction is never sent', async () => {
      const { signer, device } = setup();
      const failure = signer.signEvmTransaction(EVM_PATH, polygonUsdtTransfer(1n).unsignedSerialized);
      await expect(failure).rejects.toMatchObject({ reason: 'blind-signing-required', state: 'ready' });
      await expect(failure).rejects.toThrow(/Enable blind signing in the Ethereum app’s settings/);
      expect(device.exchanges.map((exchange) => exchange.command.slice(0, 4))).toEqual(['b001', 'e006']);
    });

    it('and sent anyway, the app itself refuses it (0x6a80), which hw-app-eth reports as the same state', async () => {
      const { device } = setup();
      const failure = new Eth(device).signTransaction("44'/60'/0'/0/0", polygonUsdtTransfer(1n).unsignedSerialized.slice(2), null);
      await expect(failure.catch((error: unknown) => toSignerError(error))).resolves.toMatchObject({ reason: 'blind-signing-required' });
      expect(device.reviews).toEqual([]);
    });

    it('a token descriptor not signed by the key the device trusts is refused, and named so', async () => {
      const { signer } = setup({ ethereum: {} });
      const failure = signer.signEvmTransaction(EVM_PATH, polygonUsdtTransfer(1n).unsignedSerialized, polygonUsdt);
      await expect(failure).rejects.toMatchObject({ reason: 'token-descriptor-refused', statusWord: 0x6a80 });
    });

    it('refuses token information for another contract before talking to the device', async () => {
      const { signer, device } = setup();
      const otherToken = withTestSignature({ ...polygonUsdt, contractAddress: RECIPIENT });
      const failure = signer.signEvmTransaction(EVM_PATH, polygonUsdtTransfer(1n).unsignedSerialized, otherToken);
      await expect(failure).rejects.toMatchObject({ reason: 'invalid-request' });
      expect(device.exchanges).toHaveLength(0);
    });
  });

  describe('Tron signing', () => {
    it('signs raw_data; the signature recovers over sha256(raw_data) to the holding address', async () => {
      const { signer, device } = setup({ app: 'tron' });

      const signature = await signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA);

      expect(signature).toMatch(/^[0-9a-f]{128}0[01]$/);
      expect(recoveredTronAddress(TRON_RAW_DATA, signature)).toBe('TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6');
      expect(device.reviews).toEqual([
        { app: 'Tron', kind: 'trx-transfer', to: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', amount: 100_000_000n, memo: false, rawDataHex: TRON_RAW_DATA },
      ]);
    });

    it('never sends a memo: refused before the device is asked', async () => {
      const { signer, device } = setup({ app: 'tron', tron: { flags: TronSetting.dataAllowed } });
      await expect(signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA_WITH_MEMO)).rejects.toMatchObject({ reason: 'invalid-request' });
      expect(device.exchanges).toEqual([]);
    });

    it('TRC-10 token names with a TRX transfer are refused by the app (0x6a80)', async () => {
      const { signer } = setup({ app: 'tron' });
      const failure = signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA, ['0a0631303032303012034254541806']);
      await expect(failure).rejects.toMatchObject({ reason: 'invalid-data', statusWord: 0x6a80 });
    });

    it('signs a raw_data too long for one APDU, sent in chunks cut at field boundaries', async () => {
      const { signer, device } = setup({ app: 'tron', tron: { flags: TronSetting.customContracts } });
      const longRawData = tronRawData({
        contract: { type: 'trigger', owner: TRON_SELF, contract: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf', data: Buffer.from(`12345678${'ab'.repeat(32 * 3)}`, 'hex') },
        feeLimit: 100_000_000n,
      });
      // hw-app-trx puts at most 250 bytes in an APDU, the 21-byte path included
      expect(longRawData.length / 2 + 21).toBeGreaterThan(250);

      const signature = await signer.signTronTransaction(TRON_PATH, longRawData);

      expect(recoveredTronAddress(longRawData, signature)).toBe('TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6');
      expect(device.exchanges.slice(1).map((exchange) => exchange.command.slice(4, 6))).toEqual(['00', '90']);
      expect(device.reviews.at(-1)).toMatchObject({ kind: 'custom-contract', selector: '12345678' });
    });

    it('is deterministic: the same request gives the same signature', async () => {
      const { signer } = setup({ app: 'tron' });
      const first = await signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA);
      const second = await signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA);
      expect(second).toBe(first);
    });
  });

  describe('device states', () => {
    it('a rejection on the device signs nothing and leaves the device ready for a new attempt', async () => {
      const { signer, device, states } = setup();
      const tx = polygonTransfer();
      device.rejectNextConfirmation();

      const failure = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(SignerError);
      expect(failure).toMatchObject({ reason: 'rejected', state: 'rejected', statusWord: 0x6985 });
      expect(signer.state).toBe('rejected');
      expect(device.exchanges.at(-1)?.response).toBe('6985');
      expect(tx.signature).toBeNull();

      const retried = await signer.signEvmTransaction(EVM_PATH, tx.unsignedSerialized);
      tx.signature = Signature.from(retried);
      expect(tx.from).toBe(holdingEvmAddress);
      expect(states).toEqual(['awaiting-confirmation', 'rejected', 'awaiting-confirmation', 'ready']);
    });

    it('shows "awaiting confirmation" while the device screen is up', async () => {
      const { signer, device } = setup({ app: 'tron' });
      device.holdNextConfirmation();

      const signing = signer.signTronTransaction(TRON_PATH, TRON_RAW_DATA);
      const review = await device.whenPrompted();

      expect(review).toMatchObject({ app: 'Tron', kind: 'trx-transfer' });
      expect(signer.state).toBe('awaiting-confirmation');
      device.approve();
      await expect(signing).resolves.toMatch(/^[0-9a-f]{130}$/);
      expect(signer.state).toBe('ready');
    });

    it('a cable pulled mid-signature gives "disconnected", then "not connected" until plugged back', async () => {
      const { signer, device } = setup();
      device.disconnectAtNextConfirmation();

      await expect(signer.signEvmTransaction(EVM_PATH, polygonTransfer().unsignedSerialized)).rejects.toMatchObject({
        reason: 'disconnected',
      });
      expect(signer.state).toBe('disconnected');

      await expect(signer.getAddress('polygon', EVM_PATH)).rejects.toMatchObject({ reason: 'not-connected' });
      expect(signer.state).toBe('not-connected');

      device.plugIn('eth');
      await expect(signer.getAddress('polygon', EVM_PATH)).resolves.toMatchObject({ address: holdingEvmAddress });
      expect(signer.state).toBe('ready');
    });

    it('a locked device gives "locked"', async () => {
      const { signer, device } = setup({ locked: true });
      await expect(signer.checkDevice('polygon')).resolves.toBe('locked');
      device.unlock();
      await expect(signer.checkDevice('polygon')).resolves.toBe('ready');
    });

    it.each([
      { open: 'tron', chain: 'polygon', message: /Tron is open; open the Ethereum app/ },
      { open: 'eth', chain: 'tron', message: /Ethereum is open; open the Tron app/ },
      { open: 'none', chain: 'bsc', message: /Open the Ethereum app/ },
    ] as const)('$open open for a $chain request gives "wrong app"', async ({ open, chain, message }) => {
      const { signer } = setup({ app: open });
      const path = chain === 'tron' ? TRON_PATH : EVM_PATH;
      await expect(signer.getAddress(chain, path)).rejects.toMatchObject({ reason: 'wrong-app', message });
      expect(signer.state).toBe('wrong-app');
    });
  });

  describe('one request at a time', () => {
    it('hw-app-eth alone refuses a second concurrent call; the signer queues it instead', async () => {
      const bare = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth' });
      bare.holdNextConfirmation();
      const eth = new Eth(bare);
      const first = eth.getAddress("44'/60'/0'/0/0", true);
      await bare.whenPrompted();
      await expect(eth.getAddress("44'/60'/0'/0/1")).rejects.toThrow(/busy/i);
      bare.approve();
      await first;

      const { signer, device } = setup();
      device.holdNextConfirmation();
      const signing = signer.signEvmTransaction(EVM_PATH, polygonTransfer().unsignedSerialized);
      const reading = signer.getAddress('bsc', "m/44'/60'/0'/0/1");
      await device.whenPrompted();
      const exchangesWhileHeld = device.exchanges.length;
      expect(signer.pendingRequests).toBe(2);

      device.approve();
      const [signature, address] = await Promise.all([signing, reading]);
      expect(signature.r).toMatch(/^0x[0-9a-f]{64}$/);
      expect(address.address).toBe(root.derivePath("m/44'/60'/0'/0/1").address);
      // the address request reached the device only after the signature was answered
      const after = device.exchanges.slice(exchangesWhileHeld).map((exchange) => exchange.command.slice(0, 4));
      expect(after).toEqual(['e004', 'b001', 'e002']);
    });

    it('serves many concurrent requests in order', async () => {
      const { signer } = setup();
      const paths = [0, 1, 2, 3, 4].map((index) => `m/44'/60'/0'/0/${index}`);
      const addresses = await Promise.all(paths.map((path) => signer.getAddress('polygon', path)));
      expect(addresses.map((entry) => entry.address)).toEqual(paths.map((path) => root.derivePath(path).address));
    });
  });
});
