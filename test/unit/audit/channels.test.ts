import { describe, expect, it } from 'vitest';
import { contract } from '@shared/ipc/contract';

/** The audit channels refuse what the renderer must never send, and accept what the screen sends. */
const a = contract.audit;
const HASH = 'ab'.repeat(32);

describe('audit channel schemas', () => {
  it.each([
    ['integrity with a field', a.integrity, { deep: true }],
    ['reconciliation of an unknown chain', a.reconciliation, { chains: ['ethereum'] }],
    ['reconciliation of no chain', a.reconciliation, { chains: [] }],
    ['explainBalance without an asset', a.explainBalance, { walletId: 'w1' }],
    ['explainBalance with a negative cursor', a.explainBalance, { walletId: 'w1', assetId: 'polygon:USDT', cursor: '-1' }],
    ['explainBalance with a cursor that is not a number', a.explainBalance, { walletId: 'w1', assetId: 'polygon:USDT', cursor: '1 or 1=1' }],
    ['trace of transfer 0', a.trace, { transferId: '0' }],
    ['trace with a number instead of a string', a.trace, { transferId: 5 }],
    ['liabilityProof naming both a wallet and a client', a.liabilityProof, { assetId: 'polygon:USDT', walletId: 'w1', clientId: 'c1' }],
    ['liabilityProof naming neither', a.liabilityProof, { assetId: 'polygon:USDT' }],
    ['exportBundle with a path the renderer picked', a.exportBundle, { includeDocuments: true, file: '/etc/passwd' }],
    ['exportCsv of an unknown kind', a.exportCsv, { kind: 'clients' }],
    ['verifyBundle with a relative path', a.verifyBundle, { file: 'bundle.tar' }],
    ['verifyBundle with a NUL byte', a.verifyBundle, { file: '/tmp/a\0b.tar' }],
    ['verifyBundle with an anchor that is no SHA-256', a.verifyBundle, { file: '/tmp/a.tar', anchor: { seq: 1, hash: 'xyz' } }],
    ['verifyBundle with an extra field', a.verifyBundle, { file: '/tmp/a.tar', write: true }],
  ])('refuses %s', (_name, ch, payload) => {
    expect(ch.request.safeParse(payload).success).toBe(false);
  });

  it.each([
    ['integrity', a.integrity, {}],
    ['reconciliation of all chains', a.reconciliation, {}],
    ['reconciliation of two chains', a.reconciliation, { chains: ['polygon', 'tron'] }],
    ['explainBalance, second page', a.explainBalance, { walletId: 'w1', assetId: 'bsc:USDT', cursor: '42', limit: 50 }],
    ['trace', a.trace, { transferId: '17' }],
    ['liabilityProof for a client', a.liabilityProof, { assetId: 'tron:USDT', clientId: 'c-1' }],
    ['exportBundle with KYC files', a.exportBundle, { includeDocuments: true }],
    ['exportCsv of balances', a.exportCsv, { kind: 'balances' }],
    ['verifyBundle with an anchor', a.verifyBundle, { file: '/home/auditor/bundle.tar', anchor: { seq: 12, hash: HASH } }],
    ['verifyBundle on Windows', a.verifyBundle, { file: 'C:\\audit\\bundle.tar' }],
    ['mode', a.mode, {}],
  ])('accepts %s', (_name, ch, payload) => {
    expect(ch.request.safeParse(payload).success).toBe(true);
  });
});
