import { z } from 'zod';
import type { DenyListVersionView } from '../../domain/screening';
import { PROPOSAL_STATES, type PolicyProposalView } from '../../domain/controls';
import { channel } from '../define';
import * as s from '../schemas';

/** The deny list file as text: up to 4 MiB (a list of 100,000 addresses with their sources fits). */
export const DENY_LIST_CSV_MAX = 4 * 1024 * 1024;

export const policyChannels = {
  /** A CSV of chain,address,source: every row checked first (bad rows named by line, nothing imported), then a new list version. */
  denyListImport: channel<DenyListVersionView>()(
    'policy:denyListImport',
    z.object({ fileName: s.label, csv: z.string().min(1).max(DENY_LIST_CSV_MAX) }).strict(),
  ),
  /** Every imported version, newest first: the first is the one in force. */
  denyListVersions: channel<DenyListVersionView[]>()('policy:denyListVersions', s.empty),
  /** Policy and role changes, newest first, with what the signed-in operator may do with each. */
  proposals: channel<PolicyProposalView[]>()('policy:proposals', z.object({ state: z.enum(PROPOSAL_STATES).optional(), limit: s.pageSize }).strict()),
  /** An admin other than the proposer approves; the approval that reaches the quorum applies the change. */
  approveProposal: channel<PolicyProposalView>()('policy:approveProposal', z.object({ proposalId: s.id }).strict()),
  rejectProposal: channel<PolicyProposalView>()('policy:rejectProposal', z.object({ proposalId: s.id, reason: s.reason }).strict()),
} as const;
