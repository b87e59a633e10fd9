import { z } from 'zod';
import { CHAINS, NETWORK_PROFILES } from '../domain/chains';
import { isBaseUnits } from '../money';
import { multilineText, plainText, textField } from '../validation/text';

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
/** Free text goes through one rule (validation/text.ts): no control characters or lone surrogates, stored NFC. */
export const label = textField(1, 120);
export const reason = multilineText(3, 500);
/** Optional free text up to `max` characters, single-line or not; and search boxes. */
export const optionalText = (max: number) => textField(0, max).optional();
export const memo = multilineText(0, 500).optional();
export const search = textField(0, 120).optional();
/** A chain address as typed: its form is checked per chain by the engine. */
export const address = textField(20, 100);
export const httpUrl = plainText(z.string())
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) endpoints are allowed.');
export const cursor = plainText(z.string().max(200)).optional();
export const pageSize = z.number().int().min(1).max(500).default(100);
export const passphrase = z.string().min(8, 'At least 8 characters.').max(1024);
