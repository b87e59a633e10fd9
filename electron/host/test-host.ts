import type { EngineConfig } from '@engine/engine';
import type { ScryptParams } from '@engine/custody/seed-vault';
import type { NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';

/** The variable the E2E suite sets on the hosts it starts; nothing else may. */
export const TEST_HOST_VARIABLE = 'TREASURY_TEST_HOST';

/** Cheap key stretching (the unit tests' cost): a first start or sign-in spends milliseconds, not seconds, in scrypt. */
export const WEAK_TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** The gas tank's balance read every 2 s instead of once a minute, so a low tank's alert shows within the E2E step. */
export const TEST_GAS_TANK_CHECK_MS = 2_000;

/**
 * What a headless host's workspace changes for the E2E suite: nothing (production settings) unless the suite
 * set TREASURY_TEST_HOST=1, and then only on the devnet, whose keys sign for private chain ids alone: cheap
 * scrypt and a frequent gas tank read. A testnet or mainnet workspace never gets them. Any other value is
 * refused, so a typo cannot quietly mean either.
 */
export function testHostSettings(network: NetworkProfile, env: NodeJS.ProcessEnv = process.env): Pick<EngineConfig, 'scrypt' | 'sweeps'> {
  const value = env[TEST_HOST_VARIABLE];
  if (value === undefined || value === '') return {};
  if (value !== '1') throw new DomainError('validation', `${TEST_HOST_VARIABLE} is for the E2E tests and takes only 1; unset it to run the host.`);
  if (network !== 'devnet') return {};
  return { scrypt: WEAK_TEST_SCRYPT, sweeps: { gasTankCheckMs: TEST_GAS_TANK_CHECK_MS } };
}
