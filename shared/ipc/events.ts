import type { AlertKind } from '../domain/alerts';
import type { Chain } from '../domain/chains';

/**
 * Push events, main -> renderer, on one subscription channel. Amounts are base-unit strings.
 */
export type EngineEvent =
  | { type: 'configuration.changed'; profile: string }
  | { type: 'balance.changed'; walletId: string; assetId: string; posted: string; pending: string; available: string }
  | { type: 'deposit.seen'; depositId: string; walletId: string; assetId: string; amount: string; txHash: string }
  | { type: 'deposit.confirmed'; depositId: string; walletId: string; assetId: string; amount: string; txHash: string }
  | { type: 'withdrawal.status'; withdrawalId: string; state: string }
  // A new alert (not a repeat of a standing one): the doors show a desktop notification, the bell refreshes.
  | { type: 'alert.raised'; alert: { id: string; kind: AlertKind; title: string; chain: Chain | null; message: string } }
  | { type: 'alert.acknowledged'; alertId: string }
  // A sweep (or its gas top-up from the tank) moved: holdings, gas tanks and coverage read differently now.
  | { type: 'sweep.status'; sweepId: string; chain: string; state: string }
  // An on-ramp or off-ramp moved (another operator's step, the chain confirming its crypto leg, an expiry).
  | { type: 'ramp.status'; rampKind: 'onramp' | 'offramp'; rampId: string; state: string }
  | { type: 'session.ended'; reason: 'signed_out' | 'idle' | 'revoked' }
  | { type: 'device.status'; state: string; detail?: string }
  // A Ledger plugged into or pulled out of a USB port (model as the USB product id names it).
  | { type: 'device.plugged'; plugged: boolean; model?: string }
  // The door closed this network's workspace and opened another: the window reloads into it.
  | { type: 'workspace.switched'; network: string }
  /** Desktop app: the engine hit an unexpected error and was rebuilt (sessions ended), or gave up after repeated ones. */
  | { type: 'engine.restarted' }
  | { type: 'engine.stopped' };

export const EVENTS_CHANNEL = 'events';
