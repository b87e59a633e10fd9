import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';

const seeds = new AsyncLocalStorage<{ seed: string; next: number }>();

/** Runs an idempotent request's work so the ids it creates are derived from its key (see effectId). */
export function withEffectSeed<T>(seed: string, work: () => Promise<T>): Promise<T> {
  return seeds.run({ seed, next: 0 }, work);
}

/**
 * The id of a new row (wallet, client, ramp, bank account): random, except inside an idempotent request,
 * where the n-th id is derived from its key. A repeat that re-runs a request cut short by a crash then
 * meets the row the first run committed, by id, and answers it instead of making a second one.
 */
export function effectId(): string {
  const store = seeds.getStore();
  if (!store) return randomUUID();
  const hex = createHash('sha256').update(`${store.seed}\n${store.next++}`).digest('hex');
  // UUID layout, version 8 (custom), RFC 9562 variant.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
