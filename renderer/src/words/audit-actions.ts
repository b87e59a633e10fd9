import type { BankAccountStatus, KycStatus } from '@shared/domain/clients';
import type { CompanyCreditState } from '@shared/domain/controls';
import type { OffRampState, OnRampState } from '@shared/domain/ramps';

/**
 * The audit log's action codes as what the operator did, to follow their name ("alice approved a withdrawal").
 * Every action the engine writes has a line here (test/unit/renderer/audit-words.test.ts reads the engine for
 * them); the code itself stays in the record's details for support.
 */
const ONRAMP: Record<OnRampState, string> = {
  requested: 'issued on-ramp payment instructions',
  fiat_received: 'recorded the fiat received for an on-ramp',
  verified: 'verified an on-ramp’s payment',
  quoted: 'quoted an on-ramp’s rate and fee',
  credited: 'credited an on-ramp to the client’s wallet',
  completed: 'completed an on-ramp',
  cancelled: 'cancelled an on-ramp',
  expired: 'let an on-ramp expire unpaid',
};
const OFFRAMP: Record<OffRampState, string> = {
  held: 'held a client’s crypto for an off-ramp',
  crypto_pending: 'sent an off-ramp’s crypto to the withdrawals pipeline',
  crypto_sent: 'saw an off-ramp’s crypto confirmed on chain',
  converted: 'recorded an off-ramp’s conversion',
  fiat_paid: 'recorded an off-ramp’s fiat payout',
  completed: 'completed an off-ramp',
  refunded: 'refunded an off-ramp to the client’s wallet',
};
const KYC: Record<KycStatus, string> = {
  draft: 'reopened a client’s KYC as a draft',
  submitted: 'submitted a client’s KYC for review',
  verified: 'verified a client’s KYC',
  rejected: 'rejected a client’s KYC',
  suspended: 'suspended a client',
};
const BANK_ACCOUNT: Record<BankAccountStatus, string> = {
  unverified: 'marked a bank account unverified',
  verified: 'verified a client’s bank account',
  disabled: 'disabled a client’s bank account',
};
const COMPANY_CREDIT: Record<CompanyCreditState, string> = {
  requested: 'asked for a company credit',
  approved: 'approved a company credit',
  rejected: 'rejected a company credit',
};
// The ledger's transfer kinds (electron/engine/db/schema.ts TransferKind).
const LEDGER: Record<'posted' | 'pending' | 'post_pending' | 'void_pending', string> = {
  posted: 'booked a ledger transfer',
  pending: 'held funds in the ledger',
  post_pending: 'booked held funds in the ledger',
  void_pending: 'released held funds in the ledger',
};

const family = (prefix: string, words: Record<string, string>) => Object.fromEntries(Object.entries(words).map(([state, w]) => [`${prefix}.${state}`, w]));

export const AUDIT_ACTION_WORDS: Readonly<Record<string, string>> = {
  ...family('onramp', ONRAMP),
  ...family('offramp', OFFRAMP),
  ...family('kyc', KYC),
  ...family('bank_account', BANK_ACCOUNT),
  ...family('company_credit', COMPANY_CREDIT),
  ...family('ledger', LEDGER),
  'access.refused': 'was refused an action their role does not allow',
  'access.unauthenticated': 'tried an action without being signed in',
  'control.refused': 'was stopped by a control',
  'alert.acknowledged': 'acknowledged an alert',
  'alert.raised': 'raised an alert',
  'alert.resolved': 'resolved an alert',
  'alerts.settings_changed': 'changed the alert settings',
  'api.call': 'called the API',
  'api.rate_limited': 'was slowed down by the API rate limit',
  'api.refused': 'was refused by the API',
  'api_key.created': 'created an API key',
  'api_key.revoked': 'revoked an API key',
  'api_key.rotated': 'rotated an API key',
  'api_key.updated': 'changed an API key',
  'asset.registered': 'registered an asset',
  'audit.bundle_exported': 'exported the audit bundle',
  'audit.export_downloaded': 'downloaded an audit export',
  'audit.report_exported': 'exported the audit report',
  'backup.created': 'made a backup',
  'backup.failed': 'tried a backup that failed',
  'backup.key_recorded': 'recorded the backup key',
  'backup.restore_requested': 'asked to restore a backup',
  'backup.restored': 'restored a backup',
  'backup.settings_changed': 'changed the backup settings',
  'bank_account.added': 'added a client’s bank account',
  'client.closed': 'closed a client',
  'client.created': 'created a client',
  'client.erased': 'erased a client’s personal data',
  'client.erasure_rejected': 'turned down the erasure of a client’s data',
  'client.erasure_requested': 'asked to erase a client’s personal data',
  'client.risk_assessed': 'assessed a client’s risk',
  'client.updated': 'changed a client’s details',
  'clients.retention_changed': 'changed how long client records are kept',
  'company_credit.approval_recorded': 'approved a company credit (more approvals needed)',
  'controls.changed': 'changed the controls',
  'custody.backup_exported': 'exported the seed backup',
  'custody.initialized': 'set up custody',
  'custody.locked': 'locked the treasury',
  'custody.recovery_check_failed': 'failed the recovery words check',
  'custody.recovery_confirmed': 'confirmed the recovery words',
  'custody.recovery_words_shown': 'showed the recovery words',
  'custody.restored': 'restored custody from the recovery words',
  'custody.unlocked': 'unlocked the treasury',
  'deny_list.imported': 'imported a deny list',
  'deposit.confirmed': 'saw a deposit confirmed',
  'deposit.credited_by_hand': 'credited a deposit by hand',
  'deposit.minimum_changed': 'changed a deposit minimum',
  'deposit.orphaned': 'saw a deposit dropped by a chain reorganisation',
  'deposit.seen': 'saw a deposit arrive',
  'gas_tank.energy_staked': 'staked TRX for energy in a gas tank',
  'gas_tank.energy_unstaked': 'unstaked TRX from a gas tank (withdrawable after the unstaking period)',
  'gas_tank.unstaked_withdrawn': 'withdrew unstaked TRX back into a gas tank',
  'holding.registered': 'registered a holding wallet',
  'kyb.document_added': 'added a company document',
  'kyb.owner_added': 'added a beneficial owner',
  'kyb.owner_removed': 'removed a beneficial owner',
  'kyc.document_added': 'added a KYC document',
  'kyc.document_viewed': 'opened a KYC document',
  'operator.created': 'created an operator',
  'operator.passphrase_changed': 'changed their passphrase',
  'operator.passphrase_reset': 'reset an operator’s passphrase',
  'operator.seed_access_granted': 'gave an operator access to the seed',
  'operator.seed_installed': 'installed the seed for an operator',
  'operator.service_unlocked': 'unlocked the background service',
  'operator.session_expired': 'was signed out when the session expired',
  'operator.sign_in_refused': 'was refused sign-in',
  'operator.signed_in': 'signed in',
  'operator.signed_out': 'signed out',
  'operator.updated': 'changed an operator',
  'policy.applied': 'applied a policy change',
  'policy.approval_recorded': 'approved a policy change (more approvals needed)',
  'policy.proposed': 'proposed a policy change',
  'policy.rejected': 'rejected a policy change',
  'ramps.settings': 'changed the ramp settings',
  'settings.changed': 'changed the settings',
  'settings.security_changed': 'changed the security settings',
  'sweep.broadcast': 'sent a sweep to the chain',
  'sweep.confirmed': 'saw a sweep confirmed',
  'sweep.energy_delegated': 'lent energy to a deposit address for a sweep',
  'sweep.energy_reclaimed': 'took back energy lent for a sweep',
  'sweep.error': 'hit an error in a sweep',
  'sweep.failed': 'saw a sweep fail',
  'sweep.gas_broadcast': 'sent gas for a sweep',
  'sweep.gas_funded': 'funded a sweep’s gas',
  'sweep.gas_ready': 'saw a sweep’s gas arrive',
  'sweep.gas_signed': 'signed gas for a sweep',
  'sweep.grown': 'added deposits to a sweep',
  'sweep.planned': 'planned a sweep',
  'sweep.refused': 'saw a sweep refused by the node',
  'sweep.refused_but_mined': 'saw a refused sweep mined after all',
  'sweep.reorged': 'saw a sweep undone by a chain reorganisation',
  'sweep.replacement_unsent': 'could not send a sweep’s replacement',
  'sweep.retry': 'retried a sweep',
  'sweep.rule_changed': 'changed a sweep rule',
  'sweep.schedule_ran': 'ran the sweep schedule',
  'sweep.signed': 'signed a sweep',
  'sweep.waiting': 'put a sweep on hold',
  'unidentified_funds.recovered': 'recovered unidentified funds',
  'unidentified_funds.recovery_proposed': 'proposed recovering unidentified funds',
  'unidentified_funds.recovery_rejected': 'rejected a recovery of unidentified funds',
  'unidentified_funds.seen': 'saw unidentified funds arrive',
  'sweep.gas_reclaim_requested': 'asked for gas change to go back to a gas tank',
  'sweep.gas_return_planned': 'planned sending gas change back to a gas tank',
  'sweep.gas_returned': 'saw gas change arrive back at a gas tank',
  'unidentified_funds.return_approved': 'approved returning unidentified funds to their sender',
  'unidentified_funds.return_failed': 'saw a return of unidentified funds fail',
  'unidentified_funds.return_reorged': 'saw a return of unidentified funds undone by a chain reorganisation',
  'unidentified_funds.returned': 'saw unidentified funds returned to their sender',
  'valuation.feed_read': 'read prices from the price feed',
  'valuation.prices_entered': 'entered prices',
  'valuation.settings_changed': 'changed the valuation settings',
  'wallet.associated': 'linked a wallet to a client',
  'wallet.created': 'created a wallet',
  'wallet.renamed': 'renamed a wallet',
  'wallet.status': 'changed a wallet’s status',
  'watch.reorg': 'saw a chain reorganisation',
  'webhook.endpoint_created': 'added a webhook endpoint',
  'webhook.endpoint_updated': 'changed a webhook endpoint',
  'webhook.replay_requested': 'asked to send a webhook again',
  'webhook.secret_rotated': 'rotated a webhook secret',
  'withdrawal.address_added': 'added an address to the address book',
  'withdrawal.address_approval_recorded': 'approved a whitelisting (more approvals needed)',
  'withdrawal.address_approved': 'approved a whitelisted address',
  'withdrawal.address_removed': 'removed an address from the address book',
  'withdrawal.approval_recorded': 'approved a withdrawal (more approvals needed)',
  'withdrawal.approved': 'approved a withdrawal',
  'withdrawal.broadcast': 'sent a withdrawal to the chain',
  'withdrawal.cancelled': 'cancelled a withdrawal',
  'withdrawal.confirmed': 'saw a withdrawal confirmed',
  'withdrawal.expired': 'let a withdrawal expire',
  'withdrawal.failed': 'saw a withdrawal fail',
  'withdrawal.fee_schedule_changed': 'changed the withdrawal fees',
  'withdrawal.nonce_released': 'released a withdrawal’s transaction number',
  'withdrawal.nonce_reserved': 'reserved a withdrawal’s transaction number',
  'withdrawal.policy_changed': 'changed the withdrawal policy',
  'withdrawal.reorged': 'saw a withdrawal undone by a chain reorganisation',
  'withdrawal.replaced': 'replaced a stuck withdrawal with a higher fee',
  'withdrawal.requested': 'requested a withdrawal',
  'withdrawal.resign_needed': 'found a withdrawal that must be signed again',
  'withdrawal.signed': 'signed a withdrawal on the Ledger',
  'workspace.created': 'created the workspace',
  'workspace.migrated': 'migrated the workspace',
  'workspace.switch_requested': 'asked to switch network',
};

export function hasActionWords(action: string): boolean {
  return Object.hasOwn(AUDIT_ACTION_WORDS, action);
}

/** What the operator did, in words; an action this table does not know yet is read out by its parts. */
export function auditActionSentence(action: string, change?: Record<string, unknown>): string {
  // An uncovered on-ramp credit stays at `quoted` while it waits for approval: the same action, another deed.
  if (action === 'onramp.quoted' && change?.creditRequested === true) return 'asked to credit an on-ramp (waits for another operator’s approval)';
  if (hasActionWords(action)) return AUDIT_ACTION_WORDS[action]!;
  const [area = action, ...rest] = action.split('.');
  return rest.length ? `${area.replace(/_/g, ' ')}: ${rest.join(' ').replace(/_/g, ' ')}` : action.replace(/_/g, ' ');
}

const ENTITY_KINDS: Record<string, string> = {
  onramp: 'on-ramp',
  offramp: 'off-ramp',
  api_key: 'API key',
  kyc: 'KYC',
  policy_proposal: 'policy proposal',
  address_book: 'address book entry',
  webhook_endpoint: 'webhook endpoint',
  webhook_delivery: 'webhook delivery',
  unidentified_funds: 'unidentified funds',
  price_rates: 'prices',
  ramp_setting: 'ramp settings',
  holding_wallet: 'holding wallet',
  audit_bundle: 'audit bundle',
  audit_export: 'audit export',
};

/** An entity type as a noun ("on-ramp", "ledger transfer"). */
export function auditEntityKind(type: string): string {
  return ENTITY_KINDS[type] ?? type.replace(/_/g, ' ');
}
