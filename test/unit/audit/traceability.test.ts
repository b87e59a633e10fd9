import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAIN_SETTINGS } from '@shared/domain/configuration';
import { explorerTxUrl } from '@engine/audit/traceability';

describe('explorer links follow the profile', () => {
  const hash = `0x${'12'.repeat(32)}`;
  it.each([
    ['mainnet', 'polygon', `https://polygonscan.com/tx/${hash}`],
    ['mainnet', 'bsc', `https://bscscan.com/tx/${hash}`],
    ['mainnet', 'tron', `https://tronscan.org/#/transaction/${'12'.repeat(32)}`],
    ['testnet', 'polygon', `https://amoy.polygonscan.com/tx/${hash}`],
    ['testnet', 'tron', `https://nile.tronscan.org/#/transaction/${'12'.repeat(32)}`],
    ['devnet', 'polygon', null],
  ] as const)('%s %s', (profile, chain, url) => {
    expect(explorerTxUrl({ chains: DEFAULT_CHAIN_SETTINGS[profile] }, chain, hash)).toBe(url);
  });
});
