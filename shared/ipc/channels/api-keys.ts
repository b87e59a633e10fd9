import { z } from 'zod';
import { API_SCOPES, type ApiKeySecret, type ApiKeyView } from '../../domain/api-keys';
import { channel } from '../define';
import * as s from '../schemas';
import { operatorName } from './operators';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** 4 or 6 for an IPv4 or IPv6 address as written (no zone, no embedded IPv4), 0 otherwise; the renderer has no node:net. */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (IPV4.test(text)) return 4;
  const halves = text.split('::');
  if (halves.length > 2) return 0;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const count = groups.reduce((n, g) => n + g.length, 0);
  if (!groups.every((g) => g.every((group) => HEX_GROUP.test(group)))) return 0;
  return (halves.length === 2 ? count < 8 : count === 8) ? 6 : 0;
}

/** One address or CIDR range (IPv4 or IPv6) calls with a key may come from. */
export const ipRange = z
  .string()
  .max(64)
  .refine((value) => {
    const [address, bits, extra] = value.split('/');
    if (extra !== undefined || !address) return false;
    const family = ipFamily(address);
    if (family === 0) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  }, 'Must be an IP address or a CIDR range like 203.0.113.0/24.');

const keyOptions = {
  scopes: z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length),
  ipAllowlist: z.array(ipRange).max(50).default([]),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
  /** Days until the key stops working; none: until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
};

/** Integration API keys, in the system area: an admin creates, rotates and revokes them; the secret is shown once. */
export const apiKeyChannels = {
  listApiKeys: channel<ApiKeyView[]>()('system:apiKeys:list', s.empty),
  createApiKey: channel<ApiKeySecret>()('system:apiKeys:create', z.object({ name: operatorName, ...keyOptions }).strict()),
  /** A new secret; the old one keeps working for `overlapHours` (0: stops at once). */
  rotateApiKey: channel<ApiKeySecret>()(
    'system:apiKeys:rotate',
    z.object({ keyId: s.id, overlapHours: z.number().int().min(0).max(24 * 30).default(24) }).strict(),
  ),
  updateApiKey: channel<ApiKeyView>()(
    'system:apiKeys:update',
    z.object({ keyId: s.id, scopes: keyOptions.scopes.optional(), ipAllowlist: z.array(ipRange).max(50).optional(), rateLimitPerMinute: keyOptions.rateLimitPerMinute.unwrap().optional() }).strict(),
  ),
  revokeApiKey: channel<ApiKeyView>()('system:apiKeys:revoke', z.object({ keyId: s.id }).strict()),
} as const;
