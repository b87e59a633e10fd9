import { describe, expect, it } from 'vitest';
import { internalNativeTransfers, recipientTopicChunks, unknownTokenTransfers } from '@engine/chains/evm/stray-scan';

const OURS = '0x1111111111111111111111111111111111111111';
const OTHER = '0x2222222222222222222222222222222222222222';
const CONTRACT = '0x3333333333333333333333333333333333333333';
const wanted = new Set([OURS]);
const block = { number: 7n, hash: '0xb7', txHashes: ['0xt0', '0xt1'] };
const call = (to: string, value: string, extra: Record<string, unknown> = {}) => ({ type: 'CALL', from: CONTRACT, to, value, ...extra });

/** callTracer frames as geth and anvil print them: the top frame is the transaction itself. */
const cases: Array<[string, unknown, Array<[string, bigint, number]>]> = [
  ['a contract forwarding value', { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x5', calls: [call(OURS, '0x5')] }, [['0xt0', 5n, -2]]],
  ['the top-level payment itself is a deposit, not a stray', { type: 'CALL', from: OTHER, to: OURS, value: '0x5' }, []],
  ['a failed inner call moved nothing', { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x5', calls: [call(OURS, '0x5', { error: 'execution reverted' })] }, []],
  [
    'nor did the calls below a failed frame',
    { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x0', calls: [call(CONTRACT, '0x5', { error: 'execution reverted', calls: [call(OURS, '0x5')] })] },
    [],
  ],
  ['a reverted transaction moved nothing', { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x5', error: 'execution reverted', calls: [call(OURS, '0x5')] }, []],
  ['DELEGATECALL repeats the value, it moves none', { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x5', calls: [{ type: 'DELEGATECALL', from: CONTRACT, to: OURS, value: '0x5' }] }, []],
  [
    'indexes count every value-moving call, ours or not',
    { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x9', calls: [call(OTHER, '0x4'), call(OURS, '0x0'), call(OURS, '0x5')] },
    [['0xt0', 5n, -3]],
  ],
  ['selfdestruct sends the balance', { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x0', calls: [{ type: 'SELFDESTRUCT', from: CONTRACT, to: OURS, value: '0x8' }] }, [['0xt0', 8n, -2]]],
];

describe('internal native transfers from callTracer output', () => {
  it.each(cases)('%s', (_name, frame, expected) => {
    const found = internalNativeTransfers('polygon', block, [{ result: frame as never }], wanted);
    expect(found.map((f) => [f.txHash, f.amount, f.eventIndex])).toEqual(expected);
  });

  it('takes the hash anvil prints, else the block transaction at the same index', () => {
    const frame = { type: 'CALL', from: OTHER, to: CONTRACT, value: '0x1', calls: [call(OURS, '0x1')] } as never;
    const found = internalNativeTransfers('bsc', block, [{ result: { type: 'CALL', from: OTHER, to: OTHER } as never }, { result: frame }, { txHash: '0xnamed', result: frame }], wanted);
    expect(found.map((f) => f.txHash)).toEqual(['0xt1', '0xnamed']);
  });
});

describe('unknown token Transfer logs', () => {
  const topic = (address: string) => '0x' + address.slice(2).padStart(64, '0');
  const log = (address: string, to: string, amount: bigint, extraTopic = false) => ({
    address,
    topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef', topic(OTHER), topic(to), ...(extraTopic ? [topic(OTHER)] : [])],
    data: '0x' + amount.toString(16).padStart(64, '0'),
    blockNumber: '0x7',
    blockHash: '0xb7',
    transactionHash: '0xt0',
    transactionIndex: '0x0',
    logIndex: '0x2',
  });
  it('keeps transfers of contracts outside the registry to our addresses; drops registry tokens, NFTs and zero amounts', () => {
    const known = new Set([OTHER.toLowerCase()]);
    const found = unknownTokenTransfers('polygon', [log(CONTRACT, OURS, 9n), log(OTHER, OURS, 9n), log(CONTRACT, OURS, 0n), log(CONTRACT, OURS, 1n, true), log(CONTRACT, OTHER, 9n)], known, wanted);
    expect(found.map((f) => [f.contract?.toLowerCase(), f.amount, f.eventIndex])).toEqual([[CONTRACT, 9n, 2]]);
  });
  it('chunks 100,000 recipients into 100 topic lists of 1000', () => {
    const many = new Set(Array.from({ length: 100_000 }, (_, i) => '0x' + i.toString(16).padStart(40, '0')));
    const chunks = recipientTopicChunks(many);
    expect(chunks.map((c) => c.length)).toEqual(Array(100).fill(1000));
    expect(chunks[0]![1]).toBe('0x' + '1'.padStart(64, '0'));
  });
});
