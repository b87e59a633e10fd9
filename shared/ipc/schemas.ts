import { z } from 'zod';
import { CHAINS, NETWORK_PROFILES } from '../domain/chains';
import { isBaseUnits } from '../money';

/** Reusable request pieces: every renderer payload is untrusted input. */
export const empty = z.object({}).strict();
export const chain = z.enum(CHAINS);
export const networkProfile = z.enum(NETWORK_PROFILES);
export const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Must be an identifier.');
export const assetId = z.string().min(3).max(80).regex(/^(polygon|bsc|tron):[A-Za-z0-9]+$/, 'Must be an asset id like polygon:USDT.');
export const baseUnits = z
  .string()
  .refine(isBaseUnits, 'Must be a whole number of base units as a decimal string, at most 2^256-1.');
export const positiveBaseUnits = baseUnits.refine((v) => isBaseUnits(v) && BigInt(v) > 0n, 'Must be greater than zero.');
export const idempotencyKey = z.string().min(8).max(128).regex(/^[A-Za-z0-9:_-]+$/, 'Must be a key of letters, digits, : _ -.');
export const label = z.string().trim().min(1).max(120);
export const reason = z.string().trim().min(3).max(500);
export const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) endpoints are allowed.');
export const cursor = z.string().max(200).optional();
export const pageSize = z.number().int().min(1).max(500).default(100);
export const passphrase = z.string().min(8, 'At least 8 characters.').max(1024);
