import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLiabilityTree, checkLiabilityProof, type LiabilityLeaf } from '@engine/audit/liability-proof';

const leaf = (clientId: string, balance: bigint): LiabilityLeaf => ({ clientId, balance: balance.toString(), nonce: randomBytes(32).toString('hex') });

describe('proof of liabilities (Merkle sum tree)', () => {
  it('every client proof checks against the root, and the root sums every balance', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 30n }), { minLength: 1, maxLength: 40 }), (balances) => {
        const leaves = balances.map((b, i) => leaf(`client:${i}`, b));
        const { root, proofs } = buildLiabilityTree('bsc:USDT', leaves);
        expect(root.total).toBe(balances.reduce((a, b) => a + b, 0n).toString());
        expect(root.leaves).toBe(balances.length);
        for (const proof of proofs) expect(checkLiabilityProof(proof, root)).toEqual({ ok: true });
      }),
      { numRuns: 60 },
    );
  });

  const { root, proofs } = buildLiabilityTree('polygon:USDT', [leaf('client:a', 500n), leaf('client:b', 7n), leaf('client:c', 1_000n), leaf('client:d', 0n), leaf('client:e', 42n)]);
  const proof = proofs[2]!;
  it.each([
    ['a balance shown higher than the one committed', { ...proof, leaf: { ...proof.leaf, balance: '1001' } }, 'does not lead'],
    ['a different nonce', { ...proof, leaf: { ...proof.leaf, nonce: '00'.repeat(32) } }, 'does not lead'],
    ['a sibling hash changed', { ...proof, path: proof.path.map((p, i) => (i === 0 ? { ...p, hash: 'ff'.repeat(32) } : p)) }, 'does not lead'],
    ['a sibling sum lowered (hiding liabilities)', { ...proof, path: proof.path.map((p, i) => (i === proof.path.length - 1 ? { ...p, sum: '1' } : p)) }, 'does not lead'],
    ['a negative sibling sum', { ...proof, path: proof.path.map((p, i) => (i === 0 ? { ...p, sum: '-5' } : p)) }, 'negative or malformed'],
    ['a proof for another asset', { ...proof, assetId: 'bsc:USDT' }, 'is for bsc:USDT'],
  ])('refuses %s', (_name, tampered, reason) => {
    const verdict = checkLiabilityProof(tampered, root);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ reason: expect.stringContaining(reason) });
  });

  it('refuses a root whose total was lowered', () => {
    expect(checkLiabilityProof(proof, { ...root, total: '1' })).toMatchObject({ ok: false });
  });

  it('an unpaired node is not paired with itself (a balance never counts twice)', () => {
    const three = buildLiabilityTree('tron:USDT', [leaf('client:a', 1n), leaf('client:b', 2n), leaf('client:c', 4n)]);
    expect(three.root.total).toBe('7');
    expect(three.proofs[2]!.path).toHaveLength(1);
  });

  it('a single client: the root is the leaf, with an empty path', () => {
    const one = buildLiabilityTree('tron:TRX', [leaf('wallet:x', 9n)]);
    expect(one.proofs[0]!.path).toEqual([]);
    expect(checkLiabilityProof(one.proofs[0]!, one.root)).toEqual({ ok: true });
  });
});
