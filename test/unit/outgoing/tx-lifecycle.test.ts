import { Transaction, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { RefusalKind } from '@engine/outgoing/refusals';
import {
  assertLifecycleMove,
  decideAfterRefusal,
  movePermitted,
  nextPhase,
  replacementFloor,
  replacementFloorOf,
  TX_TRANSITIONS,
  tronMayStillBeMined,
  type RefusalDecision,
} from '@engine/outgoing/tx-lifecycle';

const GWEI = 10n ** 9n;

describe('the transition table', () => {
  it.each([
    ['build', 'built', 'sign'],
    ['sign', 'signed', 'broadcast'],
    ['broadcast', 'accepted', 'track'],
    ['broadcast', 'refused_reprice', 'replace'],
    ['broadcast', 'mined', 'track'],
    ['track', 'stuck', 'replace'],
    ['track', 'mined', 'final'],
    ['replace', 'signed', 'broadcast'],
    ['replace', 'mined', 'track'],
    ['final', 'reorged', 'track'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextPhase(from, event)).toBe(to);
  });

  it('refuses a move the table does not list, and leaves final only for tracking after a reorg', () => {
    expect(() => nextPhase('track', 'signed')).toThrow(/no move from track on signed/);
    expect(() => nextPhase('final', 'retry')).toThrow(/no move from final on retry/);
    expect(TX_TRANSITIONS.final).toEqual({ reorged: 'track' });
    // One move out of final: a reorged transaction is followed again, never rebuilt, re-signed or re-sent as new.
    for (const phase of ['build', 'sign', 'broadcast', 'replace', 'cancel'] as const) expect(movePermitted('final', phase), phase).toBe(false);
    expect(movePermitted('final', 'track')).toBe(true);
  });

  it('lets an owner step build and sign at once, or sign a replacement and send it, but not skip past tracking', () => {
    expect(movePermitted('build', 'broadcast')).toBe(true);
    expect(movePermitted('track', 'broadcast')).toBe(true);
    expect(movePermitted('broadcast', 'build')).toBe(true);
    expect(movePermitted('sign', 'final', 1)).toBe(false);
  });

  it("checks an owner's declared moves through its state-to-phase map", () => {
    const phases = { approved: 'build', signed: 'broadcast', broadcast: 'track', confirmed: 'final' } as const;
    expect(() => assertLifecycleMove('withdrawal', phases, ['signed'], 'broadcast')).not.toThrow();
    expect(() => assertLifecycleMove('withdrawal', phases, ['requested' as 'approved'], 'approved')).not.toThrow();
    expect(() => assertLifecycleMove('withdrawal', phases, ['confirmed'], 'approved')).toThrow(/confirmed -> approved is no move/);
    expect(() => assertLifecycleMove('withdrawal', phases, ['confirmed'], 'broadcast')).not.toThrow();
  });
});

describe('after a refusal', () => {
  it.each<[string, RefusalKind, boolean, boolean, RefusalDecision]>([
    ['polygon', 'replacement_underpriced', false, false, 'reprice'],
    ['polygon', 'fee_too_low', false, true, 'reprice'],
    ['polygon', 'nonce_too_low', true, true, 'follow_mined'],
    ['polygon', 'nonce_too_low', false, true, 'keep_following'],
    ['polygon', 'nonce_too_low', false, false, 'rebuild'],
    ['bsc', 'already_known', false, false, 'track'],
    ['bsc', 'insufficient_funds', false, false, 'wait_funds'],
    ['bsc', 'intrinsic_gas_too_low', false, false, 'rebuild'],
    ['bsc', 'intrinsic_gas_too_low', false, true, 'keep_following'],
    ['polygon', 'execution_reverted', false, false, 'give_up'],
    ['polygon', 'execution_reverted', false, true, 'keep_following'],
    ['tron', 'tapos', false, false, 'rebuild'],
    ['tron', 'expired', false, true, 'keep_following'],
    ['tron', 'expired', true, false, 'follow_mined'],
    ['tron', 'duplicate', false, false, 'rebuild'],
    ['tron', 'server_busy', false, false, 'retry_later'],
    ['tron', 'bandwidth', false, false, 'wait_funds'],
    ['tron', 'signature', false, true, 'keep_following'],
  ])('%s %s (one of ours mined: %s, others live: %s) -> %s', (chain, kind, oneOfOursMined, othersLive, decision) => {
    expect(decideAfterRefusal(kind, { oneOfOursMined, othersLive }), chain).toBe(decision);
  });
});

describe('replacement pricing', () => {
  it('pays every fee field at least 12.5% over the replaced one, rounded up', () => {
    expect(replacementFloor({ maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 30n * GWEI })).toEqual({
      maxFeePerGas: 112_500_000_000n,
      maxPriorityFeePerGas: 33_750_000_000n,
    });
    expect(replacementFloor({ gasPrice: 3n })).toEqual({ gasPrice: 4n });
  });

  it('clears the dearest of several earlier signatures of the nonce, read from their bytes', async () => {
    const key = Wallet.createRandom();
    const signed = async (maxFee: bigint, tip: bigint) =>
      key.signTransaction(Transaction.from({ type: 2, chainId: 1, nonce: 7, to: key.address, gasLimit: 21_000n, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip }));
    const floor = replacementFloorOf([await signed(50n * GWEI, 40n * GWEI), await signed(80n * GWEI, 30n * GWEI)]);
    expect(floor).toEqual({ maxFeePerGas: 90n * GWEI, maxPriorityFeePerGas: 45n * GWEI });
  });
});

it('a Tron transaction may be mined until the head passes its expiration', () => {
  const raw = JSON.stringify({ raw_data: { expiration: 1_700_000_060_000 } });
  expect(tronMayStillBeMined(raw, 1_700_000_060)).toBe(true);
  expect(tronMayStillBeMined(raw, 1_700_000_061)).toBe(false);
});
