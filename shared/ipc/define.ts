import type { z } from 'zod';

/**
 * A channel: its wire name (`area:verb`), the zod schema its request must pass, and (as a type only)
 * what it answers. The response type rides on a phantom field so the contract stays one object.
 */
export interface Channel<Name extends string, Req extends z.ZodType, Res> {
  readonly name: Name;
  readonly request: Req;
  readonly __response?: Res;
}

export const channel =
  <Res>() =>
  <Name extends string, Req extends z.ZodType>(name: Name, request: Req): Channel<Name, Req, Res> => ({
    name,
    request,
  });

export type RequestOf<C> = C extends Channel<string, infer Req, unknown> ? z.input<Req> : never;
export type ParsedRequestOf<C> = C extends Channel<string, infer Req, unknown> ? z.output<Req> : never;
export type ResponseOf<C> = C extends Channel<string, z.ZodType, infer Res> ? Res : never;
