import { DomainError } from '@shared/result';
import type { CallContext } from '../api/types';

/**
 * Maker-checker: whoever asked for a movement may not also approve or sign it. The engine refuses it
 * (the dispatcher audits the refusal), whatever the renderer shows.
 */
export function assertNotRequester(requestedBy: string | null | undefined, context: Pick<CallContext, 'operator'>, what = 'request'): void {
  if (!context.operator) throw new DomainError('unauthenticated', 'Sign in to approve.');
  if (requestedBy !== null && requestedBy !== undefined && requestedBy === context.operator) {
    throw new DomainError('forbidden', `You made this ${what}: another operator must approve it.`, { rule: 'maker_checker' });
  }
}
