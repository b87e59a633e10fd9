import type { NetworkProfile } from '@shared/domain/chains';
import { DEVNET_EVM_CHAIN_IDS, isDevnetEvmChainId } from '@shared/domain/devnet-chains';

/**
 * A software stand-in for the Ledger (the virtual device) holds its seed in memory. That is fine for a
 * devnet with play money and never for real or public-testnet funds, whose keys live on hardware.
 */
export class SoftwareSignerRefusedError extends Error {
  override readonly name = 'SoftwareSignerRefusedError';
  readonly profile: NetworkProfile;

  constructor(profile: NetworkProfile) {
    super(`A software signer is refused on the ${profile} profile: connect a Ledger device.`);
    this.profile = profile;
  }
}

/**
 * The software signer's seed may be a published test mnemonic, so a transaction it signs for a public
 * chain id could be replayed there; it signs for the devnet's private chain ids only (an allowlist).
 */
export class SoftwareSignerChainRefusedError extends Error {
  override readonly name = 'SoftwareSignerChainRefusedError';
  readonly chainId: bigint;

  constructor(chainId: bigint) {
    const allowed = Object.values(DEVNET_EVM_CHAIN_IDS).join(' and ');
    super(`A software signer signs only for the devnet's chains (${allowed}), not for chain id ${chainId}.`);
    this.chainId = chainId;
  }
}

export function isSoftwareSignerAllowed(profile: NetworkProfile): boolean {
  return profile === 'devnet';
}

export function assertSoftwareSignerAllowed(profile: NetworkProfile): void {
  if (!isSoftwareSignerAllowed(profile)) throw new SoftwareSignerRefusedError(profile);
}

export function assertSoftwareSignerChainAllowed(chainId: bigint): void {
  if (!isDevnetEvmChainId(chainId)) throw new SoftwareSignerChainRefusedError(chainId);
}
