import { DomainError } from '@shared/result';
import type { CallContext } from '../api/types';

/**
 * Four eyes: whoever made an item (requested a withdrawal, submitted a KYC file, added a bank account or
 * a whitelisted destination) may not also check it (approve, verify, sign), whatever roles they hold,
 * admin included. The engine refuses it with `maker_checker` (the dispatcher audits the refusal),
 * whatever the renderer shows. A maker of null is the engine itself (policy): anyone may check.
 */
export function assertNotMaker(maker: string | null | undefined, checker: string | undefined, what: string, details: Record<string, unknown> = {}): string {
  if (!checker) throw new DomainError('unauthenticated', 'Sign in to approve.');
  if (isMaker(maker, checker)) {
    throw new DomainError('maker_checker', `You ${what}: another operator must check it.`, { ...details, rule: 'maker_checker', maker });
  }
  return checker;
}

/** The same rule as a question, for the actions the window offers (the requester is never shown Approve). */
export function isMaker(maker: string | null | undefined, operator: string | undefined): boolean {
  return maker !== null && maker !== undefined && maker === operator;
}

export function assertNotRequester(requestedBy: string | null | undefined, context: Pick<CallContext, 'operator'>, what = 'request'): void {
  assertNotMaker(requestedBy, context.operator, `made this ${what}`);
}
