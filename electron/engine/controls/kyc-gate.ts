import type { KycStatus } from '@shared/domain/clients';
import { DomainError } from '@shared/result';
import type { GuardedWalletRow } from '../db/schema';

/**
 * KYC gates on money movements, checked on the wallet rows a transfer reads in its own transaction
 * (`GuardedWalletRow` carries the owning client's status). A wallet of a client sends (withdrawal,
 * internal transfer out, off-ramp hold) only while that client is verified; money lands only in a
 * verified client's wallet, or in a wallet of no client where the policy allows; a suspended client's
 * wallets are frozen both ways. Wallets of no client are the company's own: they are not gated on sending.
 */
export function assertMaySend(wallet: GuardedWalletRow): void {
  const status = wallet.client_kyc_status;
  if (status === null || status === 'verified') return;
  if (status === 'suspended') throw suspended(wallet, 'send');
  throw new DomainError('kyc_not_verified', `Wallet "${wallet.label}" belongs to a client whose KYC is ${status}: it can send only once the client is verified.`, {
    walletId: wallet.id,
    clientId: wallet.client_id,
    kycStatus: status,
  });
}

export function assertMayReceive(wallet: GuardedWalletRow, unownedAllowed: boolean): void {
  const status = wallet.client_kyc_status;
  if (status === 'verified') return;
  if (status === null) {
    if (unownedAllowed) return;
    throw new DomainError('recipient_not_allowed', `Wallet "${wallet.label}" belongs to no client, and the policy lets transfers land only in verified clients' wallets.`, {
      walletId: wallet.id,
    });
  }
  if (status === 'suspended') throw suspended(wallet, 'receive');
  throw new DomainError('recipient_kyc_not_verified', `Wallet "${wallet.label}" belongs to a client whose KYC is ${status}: it can receive only once the client is verified.`, {
    walletId: wallet.id,
    clientId: wallet.client_id,
    kycStatus: status,
  });
}

/** A client's own status for flows that start from the client (the ramps): the same codes as the wallet gates. */
export function assertClientVerified(client: { id: string; kyc_status: KycStatus }, what: string): void {
  if (client.kyc_status === 'verified') return;
  if (client.kyc_status === 'suspended') {
    throw new DomainError('client_suspended', `The client is suspended: ${what} is frozen until the client is reinstated.`, { clientId: client.id, kycStatus: 'suspended' });
  }
  throw new DomainError('kyc_not_verified', `The client's KYC is ${client.kyc_status}; only verified clients may use ${what}.`, { clientId: client.id, kycStatus: client.kyc_status });
}

function suspended(wallet: GuardedWalletRow, way: 'send' | 'receive'): DomainError {
  return new DomainError('client_suspended', `Wallet "${wallet.label}" belongs to a suspended client: it can neither send nor receive until the client is reinstated.`, {
    walletId: wallet.id,
    clientId: wallet.client_id,
    kycStatus: 'suspended',
    way,
  });
}
