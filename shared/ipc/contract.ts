import type { z } from 'zod';
import { apiKeyChannels } from './channels/api-keys';
import { auditChannels } from './channels/audit';
import { backupChannels } from './channels/backups';
import { clientChannels } from './channels/clients';
import { configurationChannels } from './channels/configuration';
import { holdingChannels } from './channels/holding';
import { operatorChannels } from './channels/operators';
import { rampChannels } from './channels/ramps';
import { systemChannels } from './channels/system';
import { transferChannels } from './channels/transfers';
import { walletChannels } from './channels/wallets';
import { withdrawalChannels } from './channels/withdrawals';
import { sweepChannels } from './channels/sweeps';
import { alertChannels } from './channels/alerts';
import { statementChannels } from './channels/statements';
import { valuationChannels } from './channels/valuation';
import { webhookChannels } from './channels/webhooks';
import { policyChannels } from './channels/policy';
import { activityChannels } from './channels/activity';

/**
 * Every IPC channel, once, one file per product area under ./channels. Keys are the method names
 * preload exposes (`treasury.system.status()`), `name` is the wire channel. Main registers one handler
 * per entry; the compiler keeps preload, renderer and handlers in step with this object.
 */
export const contract = {
  // Operators and sessions live in the system area: system:signIn, system:operators:create, ...
  system: { ...systemChannels, ...operatorChannels, ...apiKeyChannels },
  configuration: configurationChannels,
  wallets: walletChannels,
  transfers: transferChannels,
  audit: auditChannels,
  withdrawals: withdrawalChannels,
  holding: holdingChannels,
  clients: clientChannels,
  ramps: rampChannels,
  sweeps: sweepChannels,
  backups: backupChannels,
  alerts: alertChannels,
  statements: statementChannels,
  valuation: valuationChannels,
  webhooks: webhookChannels,
  policy: policyChannels,
  activity: activityChannels,
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
