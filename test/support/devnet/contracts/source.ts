import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Kept apart from compile.ts so checking the artifact's freshness never loads solc-js (~0.3 s). */
export const TEST_TOKEN_SOURCE = fileURLToPath(new URL('./TestToken.sol', import.meta.url));

export function testTokenSourceSha256(): string {
  return createHash('sha256').update(readFileSync(TEST_TOKEN_SOURCE)).digest('hex');
}
