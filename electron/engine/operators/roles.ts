import { ROLES, type Role } from '@shared/domain/operators';

/**
 * Who may call each channel: the one role table. The dispatcher enforces it before any handler runs,
 * and the role test reads it to call every channel as every role. A channel with no line here is refused
 * to everyone (default deny), so a new channel is unreachable until someone decides who may call it.
 *
 * `anonymous`: 'always' channels answer without a session (status, sign-in); 'first-start' channels
 * answer without one only while no operator exists yet (setup, restore). With a session, `roles` decides.
 * Admin is on every line: it can create any operator anyway; maker-checker still binds it.
 */
export interface ChannelAccess {
  roles: readonly Role[];
  anonymous?: 'always' | 'first-start';
  /** Calls that only read the session or status do not count as activity for the idle timeout. */
  idleNeutral?: boolean;
}

const everyone: readonly Role[] = ROLES;
const admin: readonly Role[] = ['admin'];
const officer: readonly Role[] = ['admin', 'officer'];
const approver: readonly Role[] = ['admin', 'approver'];
const auditor: readonly Role[] = ['admin', 'auditor'];

export const CHANNEL_ACCESS: Readonly<Record<string, ChannelAccess>> = {
  // system: status and sessions
  'system:status': { roles: everyone, anonymous: 'always', idleNeutral: true },
  'system:session': { roles: everyone, anonymous: 'always', idleNeutral: true },
  'system:signIn': { roles: everyone, anonymous: 'always' },
  'system:unlock': { roles: everyone, anonymous: 'always' },
  'system:setup': { roles: admin, anonymous: 'first-start' },
  'system:restore': { roles: admin, anonymous: 'first-start' },
  'system:lock': { roles: everyone },
  'system:signOut': { roles: everyone },
  'system:stayActive': { roles: everyone },
  'system:changePassphrase': { roles: everyone },
  'system:exportBackup': { roles: admin },
  'system:recovery:reveal': { roles: admin },
  'system:recovery:status': { roles: everyone, idleNeutral: true },
  'system:recovery:confirm': { roles: admin },
  // workspaces: which network this is, for every screen; only an admin (or a first start) opens another
  'system:workspaces': { roles: everyone, anonymous: 'always', idleNeutral: true },
  'system:switchNetwork': { roles: admin, anonymous: 'first-start' },
  // system: operators and security settings
  'system:operators:list': { roles: auditor },
  'system:operators:create': { roles: admin },
  'system:operators:update': { roles: admin },
  'system:operators:resetPassphrase': { roles: admin },
  'system:security:get': { roles: everyone },
  'system:security:update': { roles: admin },
  // integration API keys: an admin creates, rotates and revokes them (the secret is shown once)
  'system:apiKeys:list': { roles: admin },
  'system:apiKeys:create': { roles: admin },
  'system:apiKeys:rotate': { roles: admin },
  'system:apiKeys:update': { roles: admin },
  'system:apiKeys:revoke': { roles: admin },
  // backups of the books: everyone sees whether they are fresh; an admin chooses folders and restores (a fresh
  // workstation restores before any operator exists, with the recovery words)
  // webhooks: endpoints carry money facts to another system and hold a signing secret; an auditor reads the log
  'webhooks:list': { roles: auditor },
  'webhooks:create': { roles: admin },
  'webhooks:update': { roles: admin },
  'webhooks:rotateSecret': { roles: admin },
  'webhooks:deliveries': { roles: auditor },
  'webhooks:replay': { roles: admin },
  'backups:status': { roles: everyone, idleNeutral: true },
  'backups:updateSettings': { roles: admin },
  'backups:run': { roles: officer },
  'backups:list': { roles: auditor, anonymous: 'first-start' },
  'backups:preview': { roles: admin, anonymous: 'first-start' },
  'backups:restore': { roles: admin, anonymous: 'first-start' },
  // configuration: reading is for everyone, changing settings is the admin's
  'configuration:get': { roles: everyone },
  'configuration:assets': { roles: everyone },
  'configuration:endpointHealth': { roles: everyone },
  'configuration:update': { roles: admin },
  'configuration:addToken': { roles: admin },
  'configuration:confirmEndpoints': { roles: admin },
  // wallets and transfers: the officer's work
  'wallets:create': { roles: officer },
  'wallets:setStatus': { roles: officer },
  'wallets:rename': { roles: officer },
  'wallets:list': { roles: everyone },
  'wallets:get': { roles: everyone },
  'wallets:deposits': { roles: everyone },
  'wallets:depositMinimums': { roles: everyone },
  'wallets:setDepositMinimum': { roles: admin },
  'wallets:creditBelowMinimum': { roles: officer },
  'wallets:unidentifiedFunds': { roles: everyone },
  'wallets:proposeStrayRecovery': { roles: officer },
  'wallets:decideStrayRecovery': { roles: officer },
  'transfers:internal': { roles: officer },
  'transfers:companyCredit': { roles: officer },
  // uncovered credit: a second operator with the approver's rights books it (never its requester)
  'transfers:approveCompanyCredit': { roles: approver },
  'transfers:rejectCompanyCredit': { roles: ['admin', 'officer', 'approver'] },
  'transfers:companyCredits': { roles: everyone },
  'transfers:history': { roles: everyone },
  // withdrawals: officers request, approvers approve and sign (never their own request)
  'withdrawals:request': { roles: officer },
  'withdrawals:approve': { roles: approver },
  'withdrawals:sign': { roles: approver },
  'withdrawals:replace': { roles: approver },
  'withdrawals:cancel': { roles: ['admin', 'officer', 'approver'] },
  'withdrawals:list': { roles: everyone },
  'withdrawals:get': { roles: everyone },
  'withdrawals:feeEstimate': { roles: everyone },
  'withdrawals:depth': { roles: everyone, idleNeutral: true },
  'withdrawals:clientFeeQuote': { roles: everyone },
  'withdrawals:quote': { roles: everyone },
  'withdrawals:feeScheduleGet': { roles: everyone },
  // the fees clients pay are policy
  'withdrawals:feeScheduleSet': { roles: admin },
  'withdrawals:addressBookList': { roles: everyone },
  'withdrawals:addressBookAdd': { roles: officer },
  'withdrawals:addressBookApprove': { roles: officer },
  'withdrawals:addressBookRemove': { roles: officer },
  'withdrawals:policyGet': { roles: everyone },
  'withdrawals:policySet': { roles: admin },
  'withdrawals:controlsGet': { roles: everyone },
  'withdrawals:controlsSet': { roles: admin },
  // holding wallet: registering the Ledger address is a setting; a company withdrawal is a request
  'holding:balances': { roles: everyone },
  'holding:address': { roles: everyone },
  'holding:register': { roles: admin },
  'holding:companyWithdraw': { roles: officer },
  // sweeps: rules are policy, a manual sweep is officer's work
  'sweeps:list': { roles: everyone },
  'sweeps:rules': { roles: everyone },
  'sweeps:gasTanks': { roles: everyone },
  'sweeps:alerts': { roles: everyone },
  // alerts: everyone sees them; whoever works the queues acknowledges; the thresholds are the admin's
  'alerts:list': { roles: everyone, idleNeutral: true },
  'alerts:counts': { roles: everyone, idleNeutral: true },
  'alerts:acknowledge': { roles: ['admin', 'officer', 'approver'] },
  'alerts:settings': { roles: everyone },
  'alerts:updateSettings': { roles: admin },
  'sweeps:updateRule': { roles: admin },
  'sweeps:sweepNow': { roles: officer },
  'sweeps:sweepChain': { roles: officer },
  'sweeps:stakeEnergy': { roles: officer },
  'sweeps:unstakeEnergy': { roles: officer },
  'sweeps:withdrawUnstaked': { roles: officer },
  'sweeps:reclaimGasChange': { roles: officer },
  // clients and KYC: officers keep the records and review them; everyone reads
  'clients:create': { roles: officer },
  'clients:update': { roles: officer },
  'clients:get': { roles: everyone },
  'clients:list': { roles: everyone },
  'clients:kyc:addIdentityDocument': { roles: officer },
  'clients:kyc:addProofOfAddress': { roles: officer },
  'clients:kyc:submit': { roles: officer },
  'clients:kyc:verify': { roles: officer },
  'clients:kyc:reject': { roles: officer },
  'clients:kyc:suspend': { roles: officer },
  'clients:kyc:reinstate': { roles: officer },
  'clients:setRiskLevel': { roles: officer },
  // personal documents: the officers who review them and the auditors who check the review, never approvers
  'clients:kyc:documentFile': { roles: ['admin', 'officer', 'auditor'] },
  'clients:kyc:verifyFiles': { roles: everyone },
  'clients:kyb:addCompanyDocument': { roles: officer },
  'clients:kyb:addOwner': { roles: officer },
  'clients:kyb:removeOwner': { roles: officer },
  'clients:bankAccounts:add': { roles: officer },
  'clients:bankAccounts:verify': { roles: officer },
  'clients:bankAccounts:disable': { roles: officer },
  'clients:bankAccounts:list': { roles: everyone },
  'clients:wallets:associate': { roles: officer },
  'clients:wallets:list': { roles: everyone },
  // retention and erasure: officers close clients and ask for erasure; a second operator decides (four eyes)
  'clients:close': { roles: officer },
  'clients:erasure:request': { roles: officer },
  'clients:erasure:decide': { roles: ['admin', 'officer', 'approver'] },
  'clients:erasure:list': { roles: everyone },
  'clients:retention:get': { roles: everyone },
  'clients:retention:set': { roles: admin },
  // ramps: the company's receiving accounts and liquidity addresses are settings; each step is officer's work
  'ramps:settings:get': { roles: everyone },
  'ramps:settings:setReceivingAccount': { roles: admin },
  'ramps:settings:setOffRampDestination': { roles: admin },
  'ramps:settings:setOnRampTtl': { roles: admin },
  'ramps:onramp:request': { roles: officer },
  'ramps:onramp:recordFiat': { roles: officer },
  'ramps:onramp:verify': { roles: officer },
  'ramps:onramp:quote': { roles: officer },
  'ramps:onramp:credit': { roles: officer },
  // an uncovered credit (or a covered one above the threshold) is booked by approvers other than who asked for it
  'ramps:onramp:approveCredit': { roles: approver },
  'ramps:onramp:complete': { roles: officer },
  'ramps:onramp:cancel': { roles: officer },
  'ramps:onramp:expire': { roles: officer },
  'ramps:onramp:get': { roles: everyone },
  'ramps:onramp:list': { roles: everyone },
  'ramps:offramp:request': { roles: officer },
  'ramps:offramp:simulate': { roles: everyone },
  'ramps:offramp:sendCrypto': { roles: officer },
  'ramps:offramp:follow': { roles: officer },
  'ramps:offramp:convert': { roles: officer },
  'ramps:offramp:recordPayout': { roles: officer },
  'ramps:offramp:complete': { roles: officer },
  'ramps:offramp:refund': { roles: officer },
  'ramps:offramp:get': { roles: everyone },
  'ramps:offramp:list': { roles: everyone },
  // policy: the officer imports the deny list (each import a new version); everyone sees its versions
  'policy:denyListImport': { roles: officer },
  'policy:denyListVersions': { roles: everyone },
  // policy and role changes: an admin proposes (withdrawals:policySet, withdrawals:controlsSet,
  // system:operators:update), another admin approves; any admin may reject, the proposer withdrawing it
  'policy:proposals': { roles: everyone },
  'policy:approveProposal': { roles: admin },
  'policy:rejectProposal': { roles: admin },
  // audit: everyone reads the trail; exports are the auditor's
  'audit:list': { roles: everyone },
  'audit:verify': { roles: everyone },
  'audit:reconcile': { roles: everyone },
  'audit:mode': { roles: everyone, anonymous: 'always', idleNeutral: true },
  'audit:integrity': { roles: everyone },
  'audit:reconciliation': { roles: everyone },
  'audit:explainBalance': { roles: everyone },
  'audit:trace': { roles: everyone },
  'audit:liabilityProof': { roles: everyone },
  'audit:exportBundle': { roles: auditor },
  'audit:exportCsv': { roles: auditor },
  'audit:exportReport': { roles: auditor },
  'audit:readExport': { roles: auditor },
  'audit:verifyBundle': { roles: auditor },
  // one activity feed across wallets, its CSV, and Ctrl+K: reading only, for everyone who sees wallets
  'activity:list': { roles: everyone },
  'activity:exportCsv': { roles: everyone },
  'activity:search': { roles: everyone },
  // client statements: officers and auditors issue them (each recorded by its hash); anyone may check a copy
  'statements:get': { roles: ['admin', 'officer', 'auditor'] },
  'statements:issue': { roles: ['admin', 'officer', 'auditor'] },
  'statements:verify': { roles: everyone },
  // valuation: everyone reads values; officers enter rates and read the feed; where prices come from is a setting
  'valuation:prices': { roles: everyone },
  'valuation:setPrices': { roles: officer },
  'valuation:updateSettings': { roles: admin },
  'valuation:refreshFeed': { roles: officer },
  'valuation:totals': { roles: everyone },
  'valuation:series': { roles: everyone },
  'valuation:snapshot': { roles: officer },
};

export function channelAccess(channel: string): ChannelAccess | undefined {
  return Object.hasOwn(CHANNEL_ACCESS, channel) ? CHANNEL_ACCESS[channel] : undefined;
}

export function roleMayCall(role: Role, channel: string): boolean {
  return channelAccess(channel)?.roles.includes(role) ?? false;
}

/** Contract channels with no line in the table: refused to everyone until one is added. */
export function channelsWithoutAccess(channels: readonly string[]): string[] {
  return channels.filter((name) => channelAccess(name) === undefined);
}
