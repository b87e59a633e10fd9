import type { Contract } from '@shared/ipc/contract';
import type { ParsedRequestOf, ResponseOf } from '@shared/ipc/define';

/** Who is calling and through which door; operator identity joins here when sign-in lands. */
export interface CallContext {
  door: 'electron' | 'headless' | 'test';
  /** The signed-in operator, once sign-in lands; recorded on every movement. */
  operator?: string;
}

export type AreaHandlers<A extends keyof Contract> = {
  [M in keyof Contract[A]]: (
    request: ParsedRequestOf<Contract[A][M]>,
    context: CallContext,
  ) => Promise<ResponseOf<Contract[A][M]>>;
};

/** The compiler refuses a contract channel without its handler. */
export type Handlers = { [A in keyof Contract]: AreaHandlers<A> };
