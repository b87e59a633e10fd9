import { describe, expect, it } from 'vitest';
import { assertNotRequester } from '@engine/operators/maker-checker';
import { DomainError } from '@shared/result';

describe('assertNotRequester', () => {
  it.each<[string, string | null, string | undefined, string | null]>([
    ['another operator approves', 'olga', 'abe', null],
    ['the requester approves', 'olga', 'olga', 'maker_checker'],
    ['nobody is signed in', 'olga', undefined, 'unauthenticated'],
    ['a request the engine made itself', null, 'abe', null],
  ])('%s', (_case, requestedBy, operator, code) => {
    const check = () => assertNotRequester(requestedBy, { operator });
    if (code === null) expect(check).not.toThrow();
    else {
      expect(check).toThrow(DomainError);
      try {
        check();
      } catch (error) {
        expect((error as DomainError).code).toBe(code);
      }
    }
  });
});
