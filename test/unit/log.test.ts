import { expect, it } from 'vitest';
import { describeError } from '@engine/log';
import { DomainError } from '@shared/result';

it('gives one line for a node that is down, and the stack for a bug', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8090'), { code: 'ECONNREFUSED', isAxiosError: true, config: { huge: 'x'.repeat(10_000) } });
  expect(describeError(refused)).toBe('connect ECONNREFUSED 127.0.0.1:8090');
  const rpc = Object.assign(new Error('could not detect network'), { code: 'NETWORK_ERROR' });
  expect(describeError(rpc)).toBe('could not detect network (NETWORK_ERROR)');
  expect(describeError(new DomainError('conflict', 'already done'))).toBe('already done (conflict)');
  const bug = new TypeError("Cannot read properties of null (reading 'prepare')");
  expect(describeError(bug)).toContain('at ');
  expect(describeError(undefined)).toBe('');
});
