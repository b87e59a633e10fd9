import type { Kysely } from 'kysely';
import { CHAIN_LABELS, type Chain } from '@shared/domain/chains';
import type { AlertKind } from '@shared/domain/alerts';
import { formatAmount } from '@shared/money';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { Database } from '../db/schema';
import { balanceOf } from '../ledger/balance';
import type { Ledger } from '../ledger/ledger';
import { PollingLoop } from '../watch/polling-loop';
import type { AlertCenter } from './alert-center';

type Db = Kysely<Database>;

const MINUTE = 60_000;

/**
 * Causes that are states rather than events, looked at on a timer: approvals waiting too long, sweeps and
 * withdrawals broadcast but not confirming, uncovered credit above its limit. Each raises its alert while it
 * holds (repeats count on the standing one) and resolves it when it no longer does.
 */
export class AlertMonitor {
  private loop: PollingLoop | null = null;

  constructor(
    private readonly deps: { db: Db; alerts: AlertCenter; configuration: ConfigurationService; assets: AssetRegistry; ledger: Ledger },
    private readonly options: { intervalMs?: number; now?: () => number; log?: (message: string, error?: unknown) => void } = {},
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = new PollingLoop('alert monitor', async () => {
      await this.check();
      return false;
    }, this.options.intervalMs ?? 30_000, this.options.log);
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = null;
  }

  /** One look at every cause, as of `at` (tests move it). */
  async check(at: number = this.options.now ? this.options.now() : Date.now()): Promise<void> {
    const { profile } = await this.deps.configuration.get();
    const settings = await this.deps.alerts.settings();
    await this.approvals(profile, at - settings.approvalWaitMinutes * MINUTE, at);
    await this.stuck(profile, at - settings.stuckMinutes * MINUTE, at);
    await this.uncovered(profile, settings.uncoveredCreditLimits);
  }

  private async approvals(profile: string, before: number, at: number): Promise<void> {
    const { db } = this.deps;
    const cutoff = new Date(before).toISOString();
    const withdrawals = await db.selectFrom('withdrawals').select('created_at').where('profile', '=', profile).where('state', '=', 'requested').where('created_at', '<=', cutoff).execute();
    const credits = await db.selectFrom('company_credits').select('created_at').where('state', '=', 'requested').where('created_at', '<=', cutoff).execute();
    const recoveries = await db.selectFrom('unidentified_funds').select('proposed_at as created_at').where('profile', '=', profile).where('recovery_state', '=', 'proposed').where('proposed_at', '<=', cutoff).execute();
    const waiting = [...withdrawals, ...credits, ...recoveries];
    if (waiting.length === 0) {
      await this.deps.alerts.resolve(profile, 'approvals_waiting', 'approvals');
      return;
    }
    const oldest = waiting.map((w) => w.created_at!).sort()[0]!;
    const minutes = Math.floor((at - Date.parse(oldest)) / MINUTE);
    const parts = [count(withdrawals.length, 'withdrawal'), count(credits.length, 'uncovered credit'), count(recoveries.length, 'recovery of unidentified funds', 'recoveries of unidentified funds')].filter(Boolean);
    await this.deps.alerts.raise({
      profile,
      kind: 'approvals_waiting',
      subject: 'approvals',
      message: `${parts.join(', ')} ${waiting.length === 1 ? 'waits' : 'wait'} for a second operator's approval, the oldest for ${duration(minutes)}.`,
      details: { withdrawals: withdrawals.length, companyCredits: credits.length, strayRecoveries: recoveries.length, oldest },
    });
  }

  private async stuck(profile: string, before: number, at: number): Promise<void> {
    const { db } = this.deps;
    const cutoff = new Date(before).toISOString();
    const sweeps = await db.selectFrom('sweeps as s').innerJoin('wallets as w', 'w.id', 's.wallet_id').select(['s.id', 's.chain', 's.asset_id', 's.amount', 's.updated_at', 'w.label']).where('s.profile', '=', profile).where('s.state', '=', 'broadcast').where('s.updated_at', '<=', cutoff).execute();
    const seen = new Set<string>();
    for (const sweep of sweeps) {
      const subject = `sweep:${sweep.id}`;
      seen.add(subject);
      await this.deps.alerts.raise({
        profile,
        kind: 'sweep_stuck',
        chain: sweep.chain as Chain,
        subject,
        message: `The sweep of ${await this.amount(sweep.asset_id, sweep.amount)} from wallet "${sweep.label}" on ${CHAIN_LABELS[sweep.chain as Chain]} was sent ${duration(minutesSince(sweep.updated_at, at))} ago and is not confirmed yet.`,
        details: { sweepId: sweep.id, since: sweep.updated_at },
      });
    }
    await this.resolveAllBut(profile, 'sweep_stuck', seen);

    const withdrawals = await db.selectFrom('withdrawals').select(['id', 'chain', 'asset_id', 'amount', 'destination', 'updated_at']).where('profile', '=', profile).where('state', '=', 'broadcast').where('updated_at', '<=', cutoff).execute();
    const sent = new Set<string>();
    for (const withdrawal of withdrawals) {
      const subject = `withdrawal:${withdrawal.id}`;
      sent.add(subject);
      await this.deps.alerts.raise({
        profile,
        kind: 'withdrawal_stuck',
        chain: withdrawal.chain as Chain,
        subject,
        message: `The withdrawal of ${await this.amount(withdrawal.asset_id, withdrawal.amount)} to ${withdrawal.destination} on ${CHAIN_LABELS[withdrawal.chain as Chain]} was sent ${duration(minutesSince(withdrawal.updated_at, at))} ago and is not confirmed yet: look it up in the explorer, or replace it with a higher fee.`,
        details: { withdrawalId: withdrawal.id, since: withdrawal.updated_at },
      });
    }
    await this.resolveAllBut(profile, 'withdrawal_stuck', sent);
  }

  private async uncovered(profile: string, limits: Record<string, string>): Promise<void> {
    const over = new Set<string>();
    for (const { assetId, kind, totals } of await this.deps.ledger.totalsByKind()) {
      if (kind !== 'uncovered_credit') continue;
      const posted = balanceOf(kind, totals).posted;
      const limit = BigInt(limits[assetId] ?? '0');
      if (posted <= limit) continue;
      const subject = `asset:${assetId}`;
      over.add(subject);
      const asset = await this.deps.assets.get(assetId);
      await this.deps.alerts.raise({
        profile,
        kind: 'uncovered_credit_high',
        chain: asset.chain,
        subject,
        message: `Uncovered credit in ${asset.symbol} on ${CHAIN_LABELS[asset.chain]} stands at ${formatAmount(posted, asset.decimals)} ${asset.symbol}, above its limit of ${formatAmount(limit, asset.decimals)} ${asset.symbol}: clients hold balances the company has not received on chain.`,
        details: { assetId, uncovered: posted.toString(), limit: limit.toString() },
      });
    }
    await this.resolveAllBut(profile, 'uncovered_credit_high', over);
  }

  private async resolveAllBut(profile: string, kind: AlertKind, keep: Set<string>): Promise<void> {
    for (const subject of await this.deps.alerts.standingSubjects(profile, kind)) {
      if (!keep.has(subject)) await this.deps.alerts.resolve(profile, kind, subject);
    }
  }

  private async amount(assetId: string, amount: string): Promise<string> {
    const asset = await this.deps.assets.get(assetId);
    return `${formatAmount(BigInt(amount), asset.decimals)} ${asset.symbol}`;
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return n === 0 ? '' : `${n} ${n === 1 ? one : many}`;
}

function minutesSince(iso: string, at: number): number {
  return Math.floor((at - Date.parse(iso)) / MINUTE);
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
