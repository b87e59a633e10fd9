import { describe, expect, it } from 'vitest';
import { internalTrx } from '@engine/chains/tron/internal-trx';
import { tronAddressFromHex } from '@engine/chains/tron/address';
import type { NodeInternalTransaction } from '@engine/chains/tron/node-client';

const OURS = '41' + '11'.repeat(20);
const OTHER = '41' + '22'.repeat(20);
const CONTRACT = '41' + '33'.repeat(20);
const CALL = Buffer.from('call').toString('hex');
const ref = { number: 120n, hash: 'ab'.repeat(32), parentHash: 'cd'.repeat(32), timestamp: 0 };
const move = (to: string, values: NodeInternalTransaction['callValueInfo'], extra: Partial<NodeInternalTransaction> = {}): NodeInternalTransaction => ({
  hash: 'ee'.repeat(32),
  caller_address: CONTRACT,
  transferTo_address: to,
  callValueInfo: values,
  note: CALL,
  ...extra,
});

describe('TRX moved by contract calls, from a transaction info (java-tron internal_transactions)', () => {
  // [what, internal transactions, expected (amount, event index) found for our address]
  const cases: Array<[string, NodeInternalTransaction[], Array<[bigint, number]>]> = [
    ['a forwarded payment', [move(OURS, [{ callValue: 5_000_000 }])], [[5_000_000n, -2]]],
    ['int64 printed as a string', [move(OURS, [{ callValue: '9007199254740993' }])], [[9_007_199_254_740_993n, -2]]],
    ['a rejected call moves nothing', [move(OURS, [{ callValue: 5_000_000 }], { rejected: true })], []],
    ['a TRC-10 token (tokenId set) is no TRX', [move(OURS, [{ callValue: 7, tokenId: '1002000' }])], []],
    ['a call without value (proto3 leaves callValue out)', [move(OURS, [{}])], []],
    ['TRX to another address counts for the numbering only', [move(OTHER, [{ callValue: 1 }]), move(OURS, [{ callValue: 2 }])], [[2n, -3]]],
    ['TRX and TRC-10 in one call: the TRX part', [move(OURS, [{ callValue: 3 }, { callValue: 8, tokenId: '1002000' }])], [[3n, -2]]],
  ];
  it.each(cases)('%s', (_what, internal, expected) => {
    const found = internalTrx({ id: 'ff'.repeat(32), internal_transactions: internal }, ref, new Set([tronAddressFromHex(OURS)]));
    expect(found.map((f) => [f.amount, f.eventIndex])).toEqual(expected);
    for (const f of found) expect(f).toMatchObject({ kind: 'internal_native', contract: null, from: tronAddressFromHex(CONTRACT), to: tronAddressFromHex(OURS), blockNumber: 120n, txHash: 'ff'.repeat(32) });
  });

  it('finds nothing in an info without internal transactions (a node without saveInternalTx)', () => {
    expect(internalTrx({ id: 'ff'.repeat(32) }, ref, new Set([tronAddressFromHex(OURS)]))).toEqual([]);
  });
});
