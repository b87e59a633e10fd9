import type { Kysely } from 'kysely';
import { CHAIN_LABELS } from '@shared/domain/chains';
import { QUORUM_ACTION_LABELS, QUORUM_ACTIONS, type ControlsSettings } from '@shared/domain/controls';
import type { Role } from '@shared/domain/operators';
import { RISK_LEVEL_LABELS } from '@shared/domain/screening';
import type { AssetWithdrawalRules } from '@shared/domain/withdrawals';
import { formatAmountGrouped } from '@shared/money';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database } from '../db/schema';
import type { OperatorService } from '../operators/operator-service';
import type { WithdrawalPolicyService } from '../withdraw/withdrawal-policy';
import type { ControlsPatch, ControlsSettingsStore } from './controls-settings';
import type { ProposalApplier } from './proposals';
import { assertQuorumsReachable } from './quorum';

/** What each kind of policy change does when a second admin approves it, and how it reads in words. */

export function controlsApplier(controls: ControlsSettingsStore, db: Kysely<Database>, assets: AssetRegistry): ProposalApplier<ControlsPatch> {
  return {
    async describe(patch) {
      if (patch.quorum) await assertQuorumsReachable(db, patch.quorum);
      const { previous, next } = await controls.preview(patch);
      const changes = [...describeControls(previous, next), ...(await describeOnrampThresholds(assets, previous, next))];
      return changes.length > 0 ? changes.join('; ') : 'Controls unchanged';
    },
    async apply(trx, patch, approver, proposal) {
      // Operators may have been disabled since it was proposed.
      if (patch.quorum) await assertQuorumsReachable(trx, patch.quorum);
      await controls.apply(trx, patch, approver, proposal);
    },
  };
}

function describeControls(previous: ControlsSettings, next: ControlsSettings): string[] {
  const changes: string[] = [];
  if (previous.whitelistTimeLockHours !== next.whitelistTimeLockHours) changes.push(`Whitelist time lock: ${previous.whitelistTimeLockHours} h → ${next.whitelistTimeLockHours} h`);
  if (previous.transfersToUnownedWallets !== next.transfersToUnownedWallets) {
    changes.push(`Internal transfers into the company's own wallets: ${next.transfersToUnownedWallets ? 'allowed' : 'refused'}`);
  }
  const levels = (l: ControlsSettings['riskLevelsToAnyDestination']) => (l.length === 0 ? 'none' : l.map((x) => RISK_LEVEL_LABELS[x].toLowerCase()).join(', '));
  if (levels(previous.riskLevelsToAnyDestination) !== levels(next.riskLevelsToAnyDestination)) {
    changes.push(`Clients who may pay destinations not whitelisted: ${levels(previous.riskLevelsToAnyDestination)} → ${levels(next.riskLevelsToAnyDestination)}`);
  }
  if (previous.newDestinationCoolOffHours !== next.newDestinationCoolOffHours) {
    changes.push(`Cool-off for a client's new destinations: ${previous.newDestinationCoolOffHours} h → ${next.newDestinationCoolOffHours} h`);
  }
  if (previous.uboThresholdPercent !== next.uboThresholdPercent) {
    changes.push(`Beneficial owners who must be verified: ${previous.uboThresholdPercent}% or more → ${next.uboThresholdPercent}% or more`);
  }
  for (const action of QUORUM_ACTIONS) {
    if (previous.quorum[action] !== next.quorum[action]) changes.push(`${QUORUM_ACTION_LABELS[action]} approvers: ${previous.quorum[action]} → ${next.quorum[action]}`);
  }

  return changes;
}

async function describeOnrampThresholds(assets: AssetRegistry, previous: ControlsSettings, next: ControlsSettings): Promise<string[]> {
  const sorted = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
  if (sorted(previous.onrampCreditApprovalAbove) === sorted(next.onrampCreditApprovalAbove)) return [];
  const list: string[] = [];
  for (const [assetId, above] of Object.entries(next.onrampCreditApprovalAbove)) {
    const asset = await assets.get(assetId);
    list.push(`${asset.symbol} on ${CHAIN_LABELS[asset.chain]} above ${formatAmountGrouped(BigInt(above), asset.decimals)} ${asset.symbol}`);
  }
  return [`Covered on-ramp credits needing approvers: ${list.length > 0 ? list.join(', ') : 'none'}`];
}

const RULE_LABELS: Record<keyof AssetWithdrawalRules, string> = {
  perWithdrawalLimit: 'per withdrawal',
  dailyLimit: 'per day, all withdrawals',
  approvalThreshold: 'approval threshold',
  walletDailyLimit: 'per wallet, 24 hours',
  walletMonthlyLimit: 'per wallet, 30 days',
  walletHourlyCount: 'withdrawals per wallet per hour',
  clientDailyLimit: 'per client, 24 hours',
  clientMonthlyLimit: 'per client, 30 days',
};

export function withdrawalRulesApplier(policy: WithdrawalPolicyService, assets: AssetRegistry): ProposalApplier<{ assetId: string; rules: AssetWithdrawalRules }> {
  return {
    async describe({ assetId, rules }) {
      const asset = await assets.get(assetId);
      const previous = (await policy.get()).assets[assetId] ?? {};
      const show = (key: keyof AssetWithdrawalRules, value: string | number | undefined) =>
        value === undefined ? 'none' : key === 'walletHourlyCount' ? String(value) : `${formatAmountGrouped(BigInt(value), asset.decimals)} ${asset.symbol}`;
      const changes = (Object.keys(RULE_LABELS) as Array<keyof AssetWithdrawalRules>)
        .filter((key) => previous[key] !== rules[key])
        .map((key) => `${RULE_LABELS[key]}: ${show(key, previous[key])} → ${show(key, rules[key])}`);
      return `${asset.symbol} on ${CHAIN_LABELS[asset.chain]} limits: ${changes.length > 0 ? changes.join('; ') : 'unchanged'}`;
    },
    async apply(trx, { assetId, rules }, approver, proposal) {
      await policy.applyRules(trx, assetId, rules, approver, proposal);
    },
  };
}

export interface OperatorChange {
  operatorId: string;
  role?: Role;
  disabled?: boolean;
  /** the proposer's operator id: an admin neither demotes nor disables themselves */
  proposerId: string;
  /** enabling an admin just created (created disabled until a second admin approves) */
  newAdmin?: boolean;
}

export function operatorApplier(operators: OperatorService): ProposalApplier<OperatorChange> {
  const check = (change: OperatorChange, ex?: Kysely<Database>) =>
    operators.checkUpdate({ operatorId: change.proposerId }, { operatorId: change.operatorId, ...(change.role ? { role: change.role } : {}), ...(change.disabled !== undefined ? { disabled: change.disabled } : {}) }, ex);
  return {
    async describe(change) {
      const { row, role, disabled } = await check(change);
      if (change.newAdmin) return `New admin ${row.name}: may sign in once approved`;
      const parts: string[] = [];
      if (role !== row.role) parts.push(`role ${row.role} → ${role}`);
      if (disabled !== Boolean(row.disabled)) parts.push(disabled ? 'disabled' : 'enabled again');
      return `Operator ${row.name}: ${parts.length > 0 ? parts.join(', ') : 'unchanged'}`;
    },
    async apply(trx, change, approver, proposal) {
      const { row, role, disabled } = await check(change, trx);
      await operators.applyUpdate(trx, approver, { operatorId: change.operatorId, role, disabled }, row, proposal);
    },
    afterApply(change) {
      operators.endSessionsOf(change.operatorId);
    },
  };
}
