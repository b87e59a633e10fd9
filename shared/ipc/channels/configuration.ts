import { z } from 'zod';
import type { Asset } from '../../domain/assets';
import { MAX_ENDPOINTS, type ChainEndpointHealth, type Configuration } from '../../domain/configuration';
import { textField } from '../../validation/text';
import { channel } from '../define';
import * as s from '../schemas';

export const configurationChannels = {
  get: channel<Configuration>()('configuration:get', s.empty),
  // The network is not a setting: each network is its own workspace (system:switchNetwork opens another).
  update: channel<Configuration>()(
    'configuration:update',
    z
      .object({
        chain: s.chain,
        rpcUrl: s.httpUrl.optional(),
        /** Ordered endpoints, preferred first (failover goes down the list). */
        rpcUrls: z.array(s.httpUrl).min(1).max(MAX_ENDPOINTS).optional(),
        confirmations: z.number().int().min(1).max(1000).optional(),
        ownNode: z.boolean().optional(),
        /** wei per gas: Polygon's least priority fee, BNB Chain's least gas price. */
        feeFloorWei: s.baseUnits.optional(),
        /** Native base units: below this the chain's gas tank is low (alert, dashboard). */
        gasTankThreshold: s.baseUnits.optional(),
      })
      .strict()
      .refine(
        (r) => r.rpcUrl !== undefined || r.rpcUrls !== undefined || r.confirmations !== undefined || r.ownNode !== undefined || r.feeFloorWei !== undefined || r.gasTankThreshold !== undefined,
        { message: 'Give an endpoint, a confirmation depth, whether the node is yours, a fee floor or a gas tank threshold.' },
      )
      .refine((r) => r.feeFloorWei === undefined || r.chain !== 'tron', { message: 'Tron has no fee per gas.' }),
  ),
  // Setup on mainnet and testnet: the officer checked each chain's endpoint; its watcher starts only then.
  confirmEndpoints: channel<Configuration>()(
    'configuration:confirmEndpoints',
    z.object({ chains: z.array(s.chain).min(1).max(3) }).strict(),
  ),
  /** Each chain's endpoints as last found (head, latency, last fault); confirmed endpoints are asked afresh. */
  endpointHealth: channel<ChainEndpointHealth[]>()('configuration:endpointHealth', s.empty),
  assets: channel<Asset[]>()('configuration:assets', z.object({ chain: s.chain.optional() }).strict()),
  addToken: channel<Asset>()(
    'configuration:addToken',
    z.object({ chain: s.chain, contract: textField(20, 64) }).strict(),
  ),
} as const;
