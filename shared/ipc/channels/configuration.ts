import { z } from 'zod';
import type { Asset } from '../../domain/assets';
import type { Configuration } from '../../domain/configuration';
import { textField } from '../../validation/text';
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
      })
      .strict()
      .refine((r) => (r.rpcUrl === undefined && r.confirmations === undefined) || r.chain !== undefined, {
        message: 'rpcUrl and confirmations need a chain.',
      }),
  ),
  assets: channel<Asset[]>()('configuration:assets', z.object({ chain: s.chain.optional() }).strict()),
  addToken: channel<Asset>()(
    'configuration:addToken',
    z.object({ chain: s.chain, contract: textField(20, 64) }).strict(),
  ),
} as const;
