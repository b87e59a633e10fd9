import type { OperatorService } from '../operators/operator-service';
import { actingOperator } from '../operators/acting-operator';
import type { AreaHandlers } from './types';
import type { PolicyProposals } from '../controls/proposals';

type OperatorHandlers = Pick<
  AreaHandlers<'system'>,
  | 'signIn'
  | 'signOut'
  | 'session'
  | 'stayActive'
  | 'changePassphrase'
  | 'listOperators'
  | 'createOperator'
  | 'updateOperator'
  | 'resetOperatorPassphrase'
  | 'securitySettings'
  | 'updateSecuritySettings'
>;

/** Sessions and operator administration; who may call which is the role table's business, not this file's. */
export const operatorHandlers = (operators: OperatorService, proposals: PolicyProposals): OperatorHandlers => ({
  // Opens a new session whatever the caller holds; the door replaces (and signs out) its previous one.
  signIn: ({ operator, passphrase }, context) => operators.signIn(operator, passphrase, context.door),
  signOut: async (_request, context) => {
    if (context.session) await operators.signOut(context.session);
    return { signedOut: true as const };
  },
  session: async (_request, context) => {
    const setupRequired = await operators.setupRequired();
    const live = context.session ? operators.sessions.resolve(context.session, false) : null;
    if (!live || live === 'expired') return { setupRequired, session: null };
    return { setupRequired, session: operators.sessionView(live) };
  },
  // The access guard already counted this call as activity; the answer carries the moved idle end.
  stayActive: async (_request, context) => {
    const live = context.session ? operators.sessions.resolve(context.session, false) : null;
    return { setupRequired: false, session: live && live !== 'expired' ? operators.sessionView(live) : null };
  },
  changePassphrase: async ({ current, next }, context) => {
    await operators.changePassphrase(actingOperator(context), current, next);
    return { changed: true as const };
  },
  listOperators: () => operators.list(),
  // A new admin waits, disabled, for a second admin to approve enabling it (OperatorService.create).
  createOperator: async (request, context) => {
    const actor = actingOperator(context);
    const { awaitingApproval, ...created } = await operators.create(actor, request);
    if (!awaitingApproval) return created;
    const proposal = await proposals.propose('operator', { operatorId: created.id, disabled: false, proposerId: actor.operatorId, newAdmin: true }, actor.name);
    return { ...created, proposal };
  },
  // Disabling applies at once; a role change or re-enabling waits for a second admin (controls/proposals.ts).
  updateOperator: async (request, context) => {
    const actor = actingOperator(context);
    const current = await operators.operatorView(request.operatorId);
    if (request.disabled === true && (request.role === undefined || request.role === current.role)) {
      return { operator: await operators.disable(actor, request.operatorId), proposal: null };
    }
    const proposal = await proposals.propose('operator', { ...request, proposerId: actor.operatorId }, actor.name);
    return { operator: current, proposal };
  },
  resetOperatorPassphrase: ({ operatorId, passphrase }, context) => operators.resetPassphrase(actingOperator(context), operatorId, passphrase),
  securitySettings: async () => operators.securitySettings(),
  updateSecuritySettings: (request, context) => operators.updateSecuritySettings(actingOperator(context), request),
});
