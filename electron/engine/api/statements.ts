import type { StatementService } from '../statements/statement-service';
import type { AreaHandlers } from './types';

export const statementHandlers = (statements: StatementService): AreaHandlers<'statements'> => ({
  get: ({ clientId, from, to }) => statements.get(clientId, from, to),
  issue: (request, context) => statements.issue(request, context.operator ?? 'officer'),
  verify: ({ sha256 }) => statements.verify(sha256),
});
