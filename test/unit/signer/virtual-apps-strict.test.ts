import Eth from '@ledgerhq/hw-app-eth';
import { Interface, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { SIGNER_MESSAGES, toSignerError, type SignerErrorReason } from '@engine/signer/signer-error';
import { withTestSignature, TEST_TOKEN_SIGNING_PUBLIC_KEY } from '@test/virtual-ledger/token-signing-key';
import { TronSetting } from '@test/virtual-ledger/tron-app';
import { tronRawData } from '@test/virtual-ledger/tron-raw-data';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { DEVNET_EVM_CHAIN_IDS } from '@shared/domain/devnet-chains';

/*
 * Commands the libraries never send on purpose but a version mismatch or a bug would: each answered
 * with the status word app-ethereum (1.23, SDK status_words.h) or app-tron (0.7, app_errors.h) answers,
 * each named for the officer. Sources: app-ethereum src/main.c, cmd_sign_tx.c, cmd_get_public_key.c,
 * cmd_provide_token_info.c; app-tron src/handlers/sign.c, get_public_key.c, sign_txn_hash.c, parse.c.
 */
const MNEMONIC = 'test test test test test test test test test test test junk';
const PATH_BYTES = '058000002c8000003c800000000000000000000000';
const TRON_PATH_BYTES = '058000002c800000c3800000000000000000000000';

const apdu = (cla: number, ins: number, p1: number, p2: number, dataHex = '') => {
  const data = Buffer.from(dataHex, 'hex');
  return Buffer.concat([Buffer.from([cla, ins, p1, p2, data.length]), data]);
};

async function statusWord(device: VirtualLedger, bytes: Buffer): Promise<number> {
  const response = await device.exchange(bytes);
  return response.readUInt16BE(response.length - 2);
}

const evmTx = Transaction.from({
  type: 2,
  chainId: BigInt(DEVNET_EVM_CHAIN_IDS.polygon),
  nonce: 1,
  maxPriorityFeePerGas: 1n,
  maxFeePerGas: 2n,
  gasLimit: 21_000n,
  to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  value: 1n,
}).unsignedSerialized.slice(2);

const tronTransfer = tronRawData({
  contract: { type: 'transfer', owner: 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6', to: 'TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH', amount: 1n },
});
// Transaction.Contract of type 20 (CustomContract), which the app does not decode
const tronUnknownContract = tronTransfer.replace(/5a([0-9a-f]{2})0801/, (_m, length: string) => `5a${length}0814`);

interface Case {
  name: string;
  app: 'eth' | 'tron';
  bytes: Buffer;
  statusWord: number;
  reason: SignerErrorReason;
}

const CASES: Case[] = [
  { name: 'Lc longer than the data', app: 'eth', bytes: Buffer.from('e00400000500', 'hex'), statusWord: 0x6a87, reason: 'app-protocol' },
  { name: 'Lc longer than the data', app: 'tron', bytes: Buffer.from('e00400000500', 'hex'), statusWord: 0x6a87, reason: 'app-protocol' },
  { name: 'another CLA', app: 'eth', bytes: apdu(0xe1, 0x02, 0, 0, PATH_BYTES), statusWord: 0x6e00, reason: 'wrong-app' },
  { name: 'another CLA', app: 'tron', bytes: apdu(0xe1, 0x02, 0, 0, TRON_PATH_BYTES), statusWord: 0x6e00, reason: 'wrong-app' },
  { name: 'an instruction it lacks', app: 'eth', bytes: apdu(0xe0, 0x7f, 0, 0), statusWord: 0x6d00, reason: 'wrong-app' },
  { name: 'address with P1 2', app: 'eth', bytes: apdu(0xe0, 0x02, 2, 0, PATH_BYTES), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'address with P2 2', app: 'eth', bytes: apdu(0xe0, 0x02, 0, 2, PATH_BYTES), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'address with P1 2', app: 'tron', bytes: apdu(0xe0, 0x02, 2, 0, TRON_PATH_BYTES), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'address with an empty path', app: 'tron', bytes: apdu(0xe0, 0x02, 0, 0, '00'), statusWord: 0x6a8a, reason: 'wrong-path' },
  { name: 'address with an unreadable path', app: 'eth', bytes: apdu(0xe0, 0x02, 0, 0, '00'), statusWord: 0x6a80, reason: 'invalid-data' },
  { name: 'sign with P2 3', app: 'eth', bytes: apdu(0xe0, 0x04, 0, 3, PATH_BYTES + evmTx), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'sign with P1 0x40', app: 'eth', bytes: apdu(0xe0, 0x04, 0x40, 0, PATH_BYTES + evmTx), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'a continuation with no first chunk', app: 'eth', bytes: apdu(0xe0, 0x04, 0x80, 0, evmTx), statusWord: 0x6980, reason: 'app-protocol' },
  { name: 'a transaction type it does not know (3)', app: 'eth', bytes: apdu(0xe0, 0x04, 0, 0, `${PATH_BYTES}03c0`), statusWord: 0x6501, reason: 'app-protocol' },
  { name: 'a tampered token descriptor', app: 'eth', bytes: apdu(0xe0, 0x0a, 0, 0, '0455534454'), statusWord: 0x6a80, reason: 'invalid-data' },
  { name: 'sign with P2 1', app: 'tron', bytes: apdu(0xe0, 0x04, 0x10, 1, TRON_PATH_BYTES + tronTransfer), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'sign with P1 0x40', app: 'tron', bytes: apdu(0xe0, 0x04, 0x40, 0, TRON_PATH_BYTES + tronTransfer), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'a continuation with no first chunk', app: 'tron', bytes: apdu(0xe0, 0x04, 0x90, 0, tronTransfer), statusWord: 0x6b00, reason: 'app-protocol' },
  { name: 'sign with an empty path', app: 'tron', bytes: apdu(0xe0, 0x04, 0x10, 0, `00${tronTransfer}`), statusWord: 0x6a8a, reason: 'wrong-path' },
  { name: 'a chunk cut inside a field', app: 'tron', bytes: apdu(0xe0, 0x04, 0x10, 0, TRON_PATH_BYTES + tronTransfer.slice(0, -6)), statusWord: 0x6a80, reason: 'invalid-data' },
  { name: 'a contract type it does not decode', app: 'tron', bytes: apdu(0xe0, 0x04, 0x10, 0, TRON_PATH_BYTES + tronUnknownContract), statusWord: 0x6a80, reason: 'invalid-data' },
  { name: 'a token name with a TRX transfer', app: 'tron', bytes: apdu(0xe0, 0x04, 0xa8, 0, '0a0631303032303012034254541806'), statusWord: 0x6a80, reason: 'invalid-data' },
];

describe('the virtual apps answer malformed or out-of-sequence commands as the real apps do', () => {
  it.each(CASES)('$app: $name → $statusWord', async ({ app, bytes, statusWord: expected, reason }) => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app });
    expect((await statusWord(device, bytes)).toString(16)).toBe(expected.toString(16));
    expect(toSignerError(Object.assign(new Error('x'), { statusCode: expected })).reason).toBe(reason);
    expect(device.reviews).toEqual([]);
  });

  it('Tron: a 31-byte hash with "Sign by hash" on is a wrong length (0x6700)', async () => {
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'tron', tron: { flags: TronSetting.signByHash } });
    expect(await statusWord(device, apdu(0xe0, 0x05, 0, 0, TRON_PATH_BYTES + 'ab'.repeat(31)))).toBe(0x6700);
  });

  it('Ethereum: any refusal resets the app context, so a token provided before it is forgotten', async () => {
    const usdt = withTestSignature({ ticker: 'USDT', contractAddress: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', decimals: 6, chainId: DEVNET_EVM_CHAIN_IDS.polygon });
    const device = new VirtualLedger({ mnemonic: MNEMONIC, app: 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
    const eth = new Eth(device);
    const transfer = Transaction.from({
      type: 2,
      chainId: BigInt(DEVNET_EVM_CHAIN_IDS.polygon),
      nonce: 1,
      maxPriorityFeePerGas: 1n,
      maxFeePerGas: 2n,
      gasLimit: 60_000n,
      to: usdt.contractAddress,
      data: new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 5n]),
    }).unsignedSerialized.slice(2);
    const { tokenDescriptorPayload } = await import('@engine/signer/token-descriptor');
    await eth.provideERC20TokenInformation(tokenDescriptorPayload(usdt));
    expect(await statusWord(device, apdu(0xe0, 0x02, 2, 0, PATH_BYTES))).toBe(0x6b00);
    const failure = await eth.signTransaction("44'/60'/0'/0/0", transfer, null).catch(toSignerError);
    expect(failure).toMatchObject({ reason: 'blind-signing-required' });
  });
});

describe('every status word the apps and the libraries can return is a named state with an action', () => {
  it.each([0x6a80, 0x6a87, 0x6a8a, 0x6a8b, 0x6a8c, 0x6a8d, 0x6b00, 0x6980, 0x6985, 0x5515, 0x6e00, 0x6d00, 0x6511, 0x6e01, 0x6700, 0x6501])(
    '0x%s',
    (word) => {
      const failure = toSignerError(Object.assign(new Error('TransportStatusError'), { statusCode: word }));
      expect(failure.reason).not.toBe('device-error');
      expect(failure.message).toBe(SIGNER_MESSAGES[failure.reason]);
      // the officer never reads a status word; logs keep it
      expect(failure.message).not.toMatch(/0x[0-9a-f]{4}|\b6a8|\b69[0-9a-f]{2}\b/i);
      expect(failure.statusWord).toBe(word);
    },
  );

  it('an unknown word is still a sentence with an action, not a code', () => {
    const failure = toSignerError(Object.assign(new Error('TransportStatusError'), { statusCode: 0x6f42 }));
    expect(failure).toMatchObject({ reason: 'device-error', statusWord: 0x6f42 });
    expect(failure.message).not.toMatch(/6f42/i);
  });
});
