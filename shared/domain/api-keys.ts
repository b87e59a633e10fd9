/**
 * Keys of the integration API (/v1). Scopes, as an integration engineer asks for them: `read` for every GET,
 * `wallets` to create and change virtual wallets, `withdrawals` to move funds out (client and holding),
 * `ramps` for fiat on and off, `clients` for clients, their documents, bank accounts and wallet association.
 */
export const API_SCOPES = ['read', 'wallets', 'withdrawals', 'ramps', 'clients'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  read: 'Read',
  wallets: 'Wallets',
  withdrawals: 'Withdrawals',
  ramps: 'Ramps',
  clients: 'Clients',
};

export interface ApiKeyView {
  id: string;
  name: string;
  /** The secret's first characters, to tell keys apart; never enough to use one. */
  prefix: string;
  scopes: ApiScope[];
  /** Addresses and CIDR ranges calls may come from; empty: any. */
  ipAllowlist: string[];
  rateLimitPerMinute: number;
  expiresAt: string | null;
  revokedAt: string | null;
  /** After a rotation, until when the previous secret still works. */
  previousValidUntil: string | null;
  createdBy: string;
  createdAt: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** What creating or rotating a key answers, once: the secret itself is never stored nor shown again. */
export interface ApiKeySecret {
  key: ApiKeyView;
  secret: string;
}
