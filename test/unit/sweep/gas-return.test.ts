import { describe, expect, it } from 'vitest';
import { worthReturning } from '@engine/sweep/gas-return';

/** Gas change goes back to the tank only when the tank gains: the fee of sending it is less than the change. */
describe('worthReturning', () => {
  it.each([
    ['no change', 0n, 0n, false],
    ['a fee larger than the change', 1_000n, 2_000n, false],
    ['a fee equal to the change (the tank gains nothing)', 2_000n, 2_000n, false],
    ['a fee just under the change', 2_001n, 2_000n, true],
    ['a free transfer (Tron bandwidth) of any change', 1n, 0n, true],
    // Measured in test/integration/sweep/gas-return.test.ts: one token sweep's change against the return's fee.
    ['polygon devnet: 1093500359975207 wei of change, 649062343524000 wei quoted', 1_093_500_359_975_207n, 649_062_343_524_000n, true],
    ['bsc devnet: 57055192222968 wei of change, 29339781975000 wei quoted', 57_055_192_222_968n, 29_339_781_975_000n, true],
    ['tron devnode: 4154120 sun of change, 268000 sun of bandwidth', 4_154_120n, 268_000n, true],
  ] as const)('%s', (_, change, fee, worth) => {
    expect(worthReturning(change, fee)).toBe(worth);
  });
});
