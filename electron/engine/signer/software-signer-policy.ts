import type { NetworkProfile } from '@shared/domain/chains';

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

export function isSoftwareSignerAllowed(profile: NetworkProfile): boolean {
  return profile === 'devnet';
}

export function assertSoftwareSignerAllowed(profile: NetworkProfile): void {
  if (!isSoftwareSignerAllowed(profile)) throw new SoftwareSignerRefusedError(profile);
}
