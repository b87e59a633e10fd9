import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_REPLAY_WINDOW_SECONDS } from '@shared/domain/webhooks';

/** HMAC-SHA256 of `<timestamp>.<body>` under one secret, hex. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The Treasury-Signature header value: `t=<unix>,v1=<hex>` with one v1 per secret that signs (two during a rotation). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${webhookSignature(secret, timestamp, body)}`)].join(',');
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'too_old' | 'mismatch' };

/**
 * What a receiver does (the README shows the same steps): parse t and every v1, refuse a timestamp outside the
 * replay window, and accept when any v1 equals the HMAC under its secret (compared in constant time).
 */
export function verifyWebhookSignature(header: string, body: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000), windowSeconds = WEBHOOK_REPLAY_WINDOW_SECONDS): SignatureCheck {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - timestamp) > windowSeconds) return { ok: false, reason: 'too_old' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'hex');
  const match = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
