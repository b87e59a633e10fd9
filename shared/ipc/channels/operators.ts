import { z } from 'zod';
import { ROLES, type OperatorView, type SecuritySettings, type SessionState, type SignedIn } from '../../domain/operators';
import type { CustodyStatus } from '../../domain/system';
import { plainText } from '../../validation/text';
import type { PolicyProposalView } from '../../domain/controls';
import { channel } from '../define';
import * as s from '../schemas';

/** A sign-in name: letters, digits and . _ - (no spaces, so it reads the same in every audit record). */
// NFC first, so a name typed with a combining accent is the same letter the regex expects.
export const operatorName = plainText(z.string().trim())
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'Letters, digits, dot, underscore or dash.');
export const role = z.enum(ROLES);

/**
 * Operators and sessions, in the system area. Passphrases travel inward once and are never echoed back;
 * the session token is taken out of the answer by the door (main keeps it per window, the host's page
 * sends it back as a header), so it is never a request field.
 */
export const operatorChannels = {
  signIn: channel<SignedIn>()('system:signIn', z.object({ operator: operatorName, passphrase: s.passphrase }).strict()),
  signOut: channel<{ signedOut: true }>()('system:signOut', s.empty),
  session: channel<SessionState>()('system:session', s.empty),
  /** "Stay signed in" before the idle lock: a call that counts as activity and answers the session's new end. */
  stayActive: channel<SessionState>()('system:stayActive', s.empty),
  changePassphrase: channel<{ changed: true }>()(
    'system:changePassphrase',
    z.object({ current: s.passphrase, next: s.passphrase }).strict(),
  ),
  listOperators: channel<OperatorView[]>()('system:operators:list', s.empty),
  /** A new admin (when another admin could approve) is created disabled with a proposal enabling it (`proposal`). */
  createOperator: channel<OperatorView & { proposal?: PolicyProposalView }>()(
    'system:operators:create',
    z.object({ name: operatorName, role, passphrase: s.passphrase }).strict(),
  ),
  /** Disabling applies at once; a role change or re-enabling is a proposal a second admin approves (`proposal`). */
  updateOperator: channel<{ operator: OperatorView; proposal: PolicyProposalView | null }>()(
    'system:operators:update',
    z
      .object({ operatorId: s.id, role: role.optional(), disabled: z.boolean().optional() })
      .strict()
      .refine((r) => r.role !== undefined || r.disabled !== undefined, 'Give a role or disabled.'),
  ),
  resetOperatorPassphrase: channel<OperatorView>()(
    'system:operators:resetPassphrase',
    z.object({ operatorId: s.id, passphrase: s.passphrase }).strict(),
  ),
  securitySettings: channel<SecuritySettings>()('system:security:get', s.empty),
  updateSecuritySettings: channel<SecuritySettings>()(
    'system:security:update',
    z.object({ idleTimeoutMinutes: z.number().int().min(1).max(240) }).strict(),
  ),
} as const;

/** What setup, restore and a sign-in by unlock answer: the seed's state and, when one opened, the session. */
export type CustodyWithSession = CustodyStatus & { session?: SignedIn['session'] };
