import { allChannels } from '@shared/ipc/contract';
import { DomainError, fail, ok, type Result } from '@shared/result';
import type { z } from 'zod';
import type { CallContext, Handlers } from './types';

type Route = { request: z.ZodType; handle: (request: unknown, context: CallContext) => Promise<unknown> };

export interface Dispatcher {
  /** Every wire channel name this dispatcher answers. */
  readonly channels: readonly string[];
  call(channel: string, payload: unknown, context: CallContext): Promise<Result<unknown>>;
}

/**
 * Validates each request against its contract schema before any service sees it, and turns every
 * outcome into a Result: nothing is thrown across the boundary.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (error: unknown, channel: string) => void): Dispatcher {
  const routes = new Map<string, Route>();
  for (const { area, method, name, request } of allChannels()) {
    const handle = (handlers as unknown as Record<string, Record<string, Route['handle']>>)[area]?.[method];
    if (!handle) throw new Error(`No handler for channel ${name}`);
    routes.set(name, { request, handle });
  }
  return {
    channels: [...routes.keys()],
    async call(channel, payload, context) {
      const route = routes.get(channel);
      if (!route) return fail('not_found', `Unknown channel ${String(channel).slice(0, 80)}.`);
      let parsed: ReturnType<z.ZodType['safeParse']>;
      try {
        parsed = route.request.safeParse(payload ?? {});
      } catch (error) {
        // A schema refinement that throws on hostile input is still a refusal, never a crash.
        onInternalError(error, channel);
        return fail('validation', 'The request is not valid.');
      }
      if (!parsed.success) {
        return fail('validation', 'The request is not valid.', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        });
      }
      try {
        return ok(await route.handle(parsed.data, context));
      } catch (error) {
        if (error instanceof DomainError) return fail(error.code, error.message, error.details);
        onInternalError(error, channel);
        return fail('internal', 'The engine hit an unexpected error; nothing was changed by this request.');
      }
    },
  };
}
