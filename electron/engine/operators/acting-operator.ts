import { DomainError } from '@shared/result';
import type { CallContext } from '../api/types';
import type { OperatorSession } from './session-store';

/** The signed-in operator the access guard put in the context; a handler that needs one refuses without it. */
export function actingOperator(context: CallContext): OperatorSession {
  if (!context.operator || !context.operatorId || !context.role) throw new DomainError('unauthenticated', 'Sign in first.');
  return { operatorId: context.operatorId, name: context.operator, role: context.role, startedAt: 0, lastActivity: 0 };
}
