import { createHash } from 'node:crypto';

/**
 * Proof of liabilities: a Merkle sum tree over client balances of one asset. Each leaf commits to one
 * client's balance with a random nonce (so a proof reveals nothing about the neighbours); each node
 * commits to its children's hashes and the sum of their balances, so the root carries the total the
 * company owes and a client who checks their proof knows their balance is counted in it.
 *
 * This file needs nothing but node:crypto on purpose: it is the independent checker, and the scheme is
 * short enough to re-implement in any language:
 *   leaf = sha256("leaf|" + assetId + "|" + clientId + "|" + balance + "|" + nonce)
 *   node = sha256("node|" + left.hash + "|" + right.hash + "|" + (left.sum + right.sum))
 * Balances and sums are decimal strings of base units. An unpaired node moves up a level unchanged
 * (it is never paired with itself, which would let one balance count twice).
 */
export interface LiabilityLeaf {
  clientId: string;
  /** Decimal string of base units, never negative. */
  balance: string;
  /** 32 random bytes, hex. */
  nonce: string;
}

export interface SumNode {
  hash: string;
  sum: string;
}

export interface LiabilityProof {
  assetId: string;
  leaf: LiabilityLeaf;
  /** From the leaf up: the sibling at each level and which side it sits on. */
  path: Array<{ side: 'left' | 'right'; hash: string; sum: string }>;
}

export interface LiabilityRoot {
  assetId: string;
  hash: string;
  /** The total of every client balance in the tree. */
  total: string;
  leaves: number;
}

const DIGITS = /^(0|[1-9][0-9]*)$/;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function leafHash(assetId: string, leaf: LiabilityLeaf): string {
  return sha256(`leaf|${assetId}|${leaf.clientId}|${leaf.balance}|${leaf.nonce}`);
}

export function nodeOf(left: SumNode, right: SumNode): SumNode {
  const sum = (BigInt(left.sum) + BigInt(right.sum)).toString();
  return { hash: sha256(`node|${left.hash}|${right.hash}|${sum}`), sum };
}

/** The independent check: does this proof lead to this root? Needs only the two. */
export function checkLiabilityProof(proof: LiabilityProof, root: Pick<LiabilityRoot, 'assetId' | 'hash' | 'total'>): { ok: true } | { ok: false; reason: string } {
  if (proof.assetId !== root.assetId) return { ok: false, reason: `The proof is for ${proof.assetId}, the root for ${root.assetId}.` };
  if (!DIGITS.test(proof.leaf.balance)) return { ok: false, reason: 'The leaf balance is not a whole non-negative number.' };
  let node: SumNode = { hash: leafHash(proof.assetId, proof.leaf), sum: proof.leaf.balance };
  for (const [level, sibling] of proof.path.entries()) {
    if (!DIGITS.test(sibling.sum)) return { ok: false, reason: `The sibling at level ${level} has a negative or malformed sum.` };
    node = sibling.side === 'left' ? nodeOf(sibling, node) : nodeOf(node, sibling);
  }
  if (node.hash !== root.hash) return { ok: false, reason: 'The proof does not lead to the published root.' };
  if (node.sum !== root.total) return { ok: false, reason: `The proof sums to ${node.sum}, the root states ${root.total}.` };
  return { ok: true };
}

/** Builds the tree over the leaves (in the order given) and answers the root and each leaf's proof. */
export function buildLiabilityTree(assetId: string, leaves: LiabilityLeaf[]): { root: LiabilityRoot; proofs: LiabilityProof[] } {
  if (leaves.length === 0) return { root: { assetId, hash: sha256(`empty|${assetId}`), total: '0', leaves: 0 }, proofs: [] };
  let level: SumNode[] = leaves.map((leaf) => ({ hash: leafHash(assetId, leaf), sum: leaf.balance }));
  // Which node of the current level each leaf's path passes through.
  const position = leaves.map((_, i) => i);
  const paths: LiabilityProof['path'][] = leaves.map(() => []);
  while (level.length > 1) {
    const next: SumNode[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeOf(level[i]!, level[i + 1]!) : level[i]!);
    for (let leaf = 0; leaf < leaves.length; leaf++) {
      const at = position[leaf]!;
      const siblingAt = at % 2 === 0 ? at + 1 : at - 1;
      if (siblingAt < level.length) {
        const sibling = level[siblingAt]!;
        paths[leaf]!.push({ side: at % 2 === 0 ? 'right' : 'left', hash: sibling.hash, sum: sibling.sum });
      }
      position[leaf] = at >> 1;
    }
    level = next;
  }
  const top = level[0]!;
  return {
    root: { assetId, hash: top.hash, total: top.sum, leaves: leaves.length },
    proofs: leaves.map((leaf, i) => ({ assetId, leaf, path: paths[i]! })),
  };
}
