import { describe, expect, it } from 'vitest';
import { takeSessionToken } from '@shared/ipc/session';

/** What a door keeps out of the page's hands: the token of an answer that opened a session. */
describe('takeSessionToken', () => {
  it('takes the token out of a sign-in answer and leaves the rest for the page', () => {
    const answer = { ok: true, data: { session: { token: 'a'.repeat(64), operator: { name: 'ana' } }, custody: { unlocked: true } } };
    expect(takeSessionToken(answer)).toBe('a'.repeat(64));
    expect(answer).toEqual({ ok: true, data: { session: { operator: { name: 'ana' } }, custody: { unlocked: true } } });
    expect(JSON.stringify(answer)).not.toContain('aaaa');
  });

  it.each([
    ['a refusal', { ok: false, error: { code: 'forbidden', message: 'no' } }],
    ['an answer without a session', { ok: true, data: { initialized: true } }],
    ['a list', { ok: true, data: [{ session: { token: 'x' } }] }],
    ['a session without a token', { ok: true, data: { session: { operator: { name: 'ana' } } } }],
    ['a token that is not a string', { ok: true, data: { session: { token: 42 } } }],
    ['nothing', undefined],
  ])('finds none in %s', (_case, answer) => {
    expect(takeSessionToken(answer)).toBeNull();
  });
});
