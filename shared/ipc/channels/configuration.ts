import { z } from 'zod';
import type { Asset } from '../../domain/assets';
import type { Configuration } from '../../domain/configuration';
import { channel } from '../define';
import * as s from '../schemas';

export const configurationChannels = {
  get: channel<Configuration>()('configuration:get', s.empty),
  update: channel<Configuration>()(
    'configuration:update',
    z
      .object({
        profile: s.networkProfile.optional(),
        chain: s.chain.optional(),
        rpcUrl: s.httpUrl.optional(),
        confirmations: z.number().int().min(1).max(1000).optional(),
        /** wei per gas: Polygon's least priority fee, BNB Chain's least gas price. */
        feeFloorWei: s.baseUnits.optional(),
      })
      .strict()
      .refine((r) => (r.rpcUrl === undefined && r.confirmations === undefined && r.feeFloorWei === undefined) || r.chain !== undefined, {
        message: 'rpcUrl, confirmations and feeFloorWei need a chain.',
      })
      .refine((r) => r.feeFloorWei === undefined || r.chain !== 'tron', { message: 'Tron has no fee per gas.' }),
  ),
  assets: channel<Asset[]>()('configuration:assets', z.object({ chain: s.chain.optional() }).strict()),
  addToken: channel<Asset>()(
    'configuration:addToken',
    z.object({ chain: s.chain, contract: z.string().trim().min(20).max(64) }).strict(),
  ),
} as const;
