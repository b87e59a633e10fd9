import type { Contract } from '@shared/ipc/contract';
import type { ParsedRequestOf, ResponseOf } from '@shared/ipc/define';
import type { Role } from '@shared/domain/operators';
import type { ApiPrincipal } from '../api-keys/api-key-service';

/**
 * Who is calling and through which door. A door passes only `door` and the operator `session` token it
 * keeps; the dispatcher's access guard resolves the token and sets operator, operatorId and role (any
 * the caller wrote itself are dropped), so a handler can trust them.
 */
export interface CallContext {
  door: 'electron' | 'headless' | 'test' | 'api';
  /** The operator session token the door keeps (per window in main, a header on the host). */
  session?: string;
  /** The signed-in operator's name; recorded on every movement. */
  operator?: string;
  operatorId?: string;
  role?: Role;
  /** The integration API's door passes the key its ApiKeyService authenticated; the guard trusts only those. */
  apiKey?: ApiPrincipal;
}

export type AreaHandlers<A extends keyof Contract> = {
  [M in keyof Contract[A]]: (
    request: ParsedRequestOf<Contract[A][M]>,
    context: CallContext,
  ) => Promise<ResponseOf<Contract[A][M]>>;
};

/** The compiler refuses a contract channel without its handler. */
export type Handlers = { [A in keyof Contract]: AreaHandlers<A> };
