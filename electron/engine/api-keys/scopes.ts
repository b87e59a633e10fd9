import type { ApiScope } from '@shared/domain/api-keys';

/**
 * Which scope an API key needs for each engine channel the /v1 routes call: the key's half of the role
 * table. A channel with no line here is refused to every key (default deny).
 */
export const API_CHANNEL_SCOPES: Readonly<Record<string, ApiScope>> = {
  'wallets:list': 'read',
  'wallets:get': 'read',
  'transfers:history': 'read',
  'audit:reconcile': 'read',
  'holding:balances': 'read',
  'holding:address': 'read',
  'withdrawals:get': 'read',
  'clients:get': 'read',
  'clients:bankAccounts:list': 'read',
  'ramps:onramp:get': 'read',
  'ramps:offramp:get': 'read',
  'ramps:offramp:simulate': 'read',
  'configuration:assets': 'read',
  'statements:get': 'read',
  'statements:issue': 'read',
  'alerts:list': 'read',
  'wallets:create': 'wallets',
  'wallets:setStatus': 'wallets',
  'wallets:rename': 'wallets',
  'withdrawals:request': 'withdrawals',
  'transfers:internal': 'withdrawals',
  'holding:companyWithdraw': 'withdrawals',
  'ramps:onramp:request': 'ramps',
  'ramps:offramp:request': 'ramps',
  'clients:create': 'clients',
  'clients:kyc:addIdentityDocument': 'clients',
  'clients:kyc:addProofOfAddress': 'clients',
  'clients:kyc:submit': 'clients',
  'clients:kyb:addCompanyDocument': 'clients',
  'clients:kyb:addOwner': 'clients',
  'clients:bankAccounts:add': 'clients',
  'clients:wallets:associate': 'clients',
};

export function apiScopeOf(channel: string): ApiScope | undefined {
  return Object.hasOwn(API_CHANNEL_SCOPES, channel) ? API_CHANNEL_SCOPES[channel] : undefined;
}
