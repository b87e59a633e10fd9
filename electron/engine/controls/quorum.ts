import type { Kysely } from 'kysely';
import type { QuorumAction } from '@shared/domain/controls';
import { DomainError } from '@shared/result';
import type { Database } from '../db/schema';
import { QUORUM_ACTION_LABELS, QUORUM_ACTIONS } from '@shared/domain/controls';
import type { Role } from '@shared/domain/operators';
import { assertNotMaker } from '../operators/maker-checker';
import { roleMayCall } from '../operators/roles';
import type { ControlsSettingsStore } from './controls-settings';

type Db = Kysely<Database>;

/** An item waiting for approvers: its kind in the approvals table, its id, and who made it. */
export interface ApprovableItem {
  type: string;
  id: string;
  maker: string | null;
  /** "requested this withdrawal": the maker's refusal says it */
  madeWhat: string;
  /** what a refusal names it by ({ withdrawalId }, { entryId }, ...) */
  details: Record<string, unknown>;
}

export interface QuorumProgress {
  approvals: string[];
  needed: number;
  reached: boolean;
}

/**
 * n of m approvals, after BitGo's and Fireblocks' policy engines: an item needs `quorum[action]` distinct
 * approvers (the role table decides who may approve at all), never its maker. Each approval is a row, written
 * in the caller's transaction with the caller's audit record; the caller applies the item once `reached`.
 */
export class Quorum {
  constructor(
    private readonly db: Db,
    private readonly controls: ControlsSettingsStore,
    private readonly now: () => number = Date.now,
  ) {}

  async approve(trx: Db, action: QuorumAction, item: ApprovableItem, operator: string): Promise<QuorumProgress> {
    assertNotMaker(item.maker, operator, item.madeWhat, item.details);
    const approvals = await this.approvals(trx, item.type, item.id);
    const needed = (await this.controls.get(trx)).quorum[action];
    if (approvals.includes(operator)) {
      throw new DomainError('already_approved', `You already approved this; it needs ${needed - approvals.length} more ${needed - approvals.length === 1 ? 'approval' : 'approvals'} from other operators.`, {
        ...item.details,
        approvals,
        needed,
      });
    }
    await trx.insertInto('item_approvals').values({ item_type: item.type, item_id: item.id, operator, approved_at: new Date(this.now()).toISOString() }).execute();
    const after = [...approvals, operator];
    return { approvals: after, needed, reached: after.length >= needed };
  }

  async approvals(ex: Db, type: string, id: string): Promise<string[]> {
    const rows = await ex.selectFrom('item_approvals').select('operator').where('item_type', '=', type).where('item_id', '=', id).orderBy('approved_at').execute();
    return rows.map((r) => r.operator);
  }

  /** Approvals of many items at once, for a page of a list. */
  async approvalsOf(type: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    const byItem = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byItem;
    const rows = await this.db.selectFrom('item_approvals').select(['item_id', 'operator']).where('item_type', '=', type).where('item_id', 'in', [...ids]).orderBy('approved_at').execute();
    for (const row of rows) byItem.get(row.item_id)?.push(row.operator);
    return byItem;
  }

  /** The items with who approved each so far (views for the window and its allowed actions). */
  async withApprovals<T extends { id: string }>(type: string, items: T[]): Promise<Array<T & { approvals: string[] }>> {
    const byItem = await this.approvalsOf(type, items.map((i) => i.id));
    return items.map((item) => ({ ...item, approvals: byItem.get(item.id) ?? [] }));
  }

  async needed(action: QuorumAction, ex: Db = this.db): Promise<number> {
    return (await this.controls.get(ex)).quorum[action];
  }
}

/** The channel whose callers approve each kind of item: the role table decides who counts as an approver. */
export const APPROVING_CHANNEL: Record<QuorumAction, string> = {
  withdrawal: 'withdrawals:approve',
  whitelist: 'withdrawals:addressBookApprove',
  companyCredit: 'transfers:approveCompanyCredit',
  onrampCredit: 'ramps:onramp:approveCredit',
  policyChange: 'policy:approveProposal',
};

/**
 * Refuses quorums nobody could reach: each must be at most the active operators whose role may approve
 * that kind of item, less one (the maker, who may hold that role too, never approves their own item).
 */
export async function assertQuorumsReachable(ex: Db, quorum: Partial<Record<QuorumAction, number>>): Promise<void> {
  const active = await ex.selectFrom('operators').select('role').where('disabled', '=', 0).execute();
  for (const action of QUORUM_ACTIONS) {
    const wanted = quorum[action];
    if (wanted === undefined) continue;
    const approvers = active.filter((o) => roleMayCall(o.role as Role, APPROVING_CHANNEL[action])).length;
    const reachable = Math.max(approvers - 1, 0);
    if (wanted > reachable) {
      throw new DomainError(
        'quorum_unreachable',
        `${QUORUM_ACTION_LABELS[action]} cannot need ${wanted} approvers: only ${reachable} active ${reachable === 1 ? 'operator' : 'operators'} besides the maker may approve it.`,
        { action, wanted, reachable },
      );
    }
  }
}
