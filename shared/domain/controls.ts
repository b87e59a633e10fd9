import type { RiskLevel } from './screening';

/**
 * The controls' own settings (electron/engine/controls): one policy screen shows them beside the
 * withdrawal rules. Defaults apply until an admin changes them.
 */
export interface ControlsSettings {
  /** Hours between a whitelist addition's approval and its first use. */
  whitelistTimeLockHours: number;
  /** Whether internal transfers may land in wallets that belong to no client (the company's own). */
  transfersToUnownedWallets: boolean;
  /** Client risk levels that may withdraw to destinations not whitelisted; the others only to whitelisted ones. */
  riskLevelsToAnyDestination: RiskLevel[];
  /** Cool-off: hours a destination must have been in the address book before it is paid; 0: none (then unknown destinations are paid after a second approval). */
  newDestinationCoolOffHours: number;
  /** How many distinct approvers, none of them the item's maker, each kind of item needs (n of m). */
  quorum: Record<QuorumAction, number>;
  /**
   * A business client is verified only once every beneficial owner holding at least this share (percent)
   * is a verified individual; 25% is the FATF/EU AMLD threshold, some regimes use 10%.
   */
  uboThresholdPercent: number;
  /**
   * Per asset (base units): a covered on-ramp credit above this needs approvers as an uncovered one always
   * does; an asset without a figure credits covered amounts on the maker's word.
   */
  onrampCreditApprovalAbove: Record<string, string>;
}

/**
 * The items that wait for approvers, after BitGo's and Fireblocks' policy engines: each needs `quorum[action]`
 * distinct approvers with the right to approve it, none of them its maker.
 */
export const QUORUM_ACTIONS = ['withdrawal', 'whitelist', 'companyCredit', 'onrampCredit', 'policyChange'] as const;
export type QuorumAction = (typeof QUORUM_ACTIONS)[number];
export const QUORUM_ACTION_LABELS: Record<QuorumAction, string> = {
  withdrawal: 'Withdrawal approval',
  whitelist: 'Whitelisting a destination',
  companyCredit: 'Company credit',
  onrampCredit: 'On-ramp credit',
  policyChange: 'Policy and role change',
};
export const QUORUM_MAX = 5;

export const DEFAULT_CONTROLS: ControlsSettings = {
  whitelistTimeLockHours: 24,
  transfersToUnownedWallets: true,
  riskLevelsToAnyDestination: ['low', 'medium'],
  newDestinationCoolOffHours: 0,
  quorum: { withdrawal: 1, whitelist: 1, companyCredit: 1, onrampCredit: 1, policyChange: 1 },
  uboThresholdPercent: 25,
  onrampCreditApprovalAbove: {},
};

/**
 * A policy or role change: it takes effect only when admins other than its proposer approve it (the
 * policy-change quorum); anyone allowed may reject it, its proposer included (withdrawing it).
 */
export const PROPOSAL_KINDS = ['controls', 'withdrawal_rules', 'operator'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATES = ['pending', 'applied', 'rejected'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];
export const PROPOSAL_ACTIONS = ['approve', 'reject'] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

export interface PolicyProposalView {
  id: string;
  kind: ProposalKind;
  /** The change in words: what it was and what it becomes. */
  summary: string;
  state: ProposalState;
  proposedBy: string;
  proposedAt: string;
  approvals: string[];
  approvalsNeeded: number;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  allowedActions?: ProposalAction[];
}

/** What the signed-in operator may do with a withdrawal now: the window shows these buttons and no others. */
export const WITHDRAWAL_ACTIONS = ['approve', 'sign', 'replace', 'cancel'] as const;
export type WithdrawalAction = (typeof WITHDRAWAL_ACTIONS)[number];

/** What the signed-in operator may do with an address book entry now. */
export const ADDRESS_BOOK_ACTIONS = ['approve', 'remove'] as const;
export type AddressBookAction = (typeof ADDRESS_BOOK_ACTIONS)[number];

/**
 * A company credit: it raises what the company owes beyond its reserves (uncovered credit), so it is a
 * request until a second operator approves it, which books it.
 */
export const COMPANY_CREDIT_STATES = ['requested', 'approved', 'rejected'] as const;
export type CompanyCreditState = (typeof COMPANY_CREDIT_STATES)[number];
export const COMPANY_CREDIT_ACTIONS = ['approve', 'reject'] as const;
export type CompanyCreditAction = (typeof COMPANY_CREDIT_ACTIONS)[number];

export interface CompanyCreditView {
  id: string;
  idempotencyKey: string;
  walletId: string;
  assetId: string;
  /** base units */
  amount: string;
  reason: string;
  state: CompanyCreditState;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The ledger transfer approval booked. */
  transferId: string | null;
  /** True when the key had been used before with the same content: nothing new was written. */
  replayed?: boolean;
  /** Who approved it so far (its quorum may need more than one). */
  approvals?: string[];
  /** What the signed-in operator may do with it now (the list answers it). */
  allowedActions?: CompanyCreditAction[];
}
