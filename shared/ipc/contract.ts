import { z } from 'zod';
import type { Configuration } from '../domain/configuration';
import type { SystemStatus } from '../domain/system';
import { channel } from './define';
import * as s from './schemas';

/**
 * Every IPC channel, once. Keys are the method names preload exposes (`treasury.system.status()`),
 * `name` is the wire channel. Main registers one handler per entry; the compiler keeps preload,
 * renderer and handlers in step with this object.
 */
export const contract = {
  system: {
    status: channel<SystemStatus>()('system:status', s.empty),
  },
  configuration: {
    get: channel<Configuration>()('configuration:get', s.empty),
    update: channel<Configuration>()(
      'configuration:update',
      z
        .object({
          profile: s.networkProfile.optional(),
          chain: s.chain.optional(),
          rpcUrl: s.httpUrl.optional(),
          confirmations: z.number().int().min(1).max(1000).optional(),
        })
        .strict()
        .refine((r) => (r.rpcUrl === undefined && r.confirmations === undefined) || r.chain !== undefined, {
          message: 'rpcUrl and confirmations need a chain.',
        }),
    ),
  },
} as const;

export type Contract = typeof contract;
export type Area = keyof Contract;

/** Flat list of every channel, for registration loops and the completeness test. */
export function allChannels(): Array<{ area: string; method: string; name: string; request: z.ZodType }> {
  const list: Array<{ area: string; method: string; name: string; request: z.ZodType }> = [];
  for (const [area, methods] of Object.entries(contract)) {
    for (const [method, ch] of Object.entries(methods as Record<string, { name: string; request: z.ZodType }>)) {
      list.push({ area, method, name: ch.name, request: ch.request });
    }
  }
  return list;
}
