import { allChannels } from '@shared/ipc/contract';
import { DomainError, fail, ok, type Result } from '@shared/result';
import type { z } from 'zod';
import type { AccessGuard } from '../operators/access-guard';
import { wasAudited } from '../operators/refusals';
import { isControlRefusal } from '../controls/refusals';
import type { CallContext, Handlers } from './types';
import { requestHash, type IdempotencyStore } from '../idempotency/idempotency-store';

/**
 * Create channels a window's dialog may send twice (a double click, a retry after a timeout): with the
 * optional `idempotencyKey` the dialog makes when it opens, a repeat answers the first result.
 */
export const DEDUPED_CHANNELS: ReadonlySet<string> = new Set([
  'wallets:create',
  'clients:create',
  'clients:bankAccounts:add',
  'ramps:onramp:request',
  'ramps:offramp:request',
]);

type Route = { request: z.ZodType; handle: (request: unknown, context: CallContext) => Promise<unknown> };

export interface Dispatcher {
  /** Every wire channel name this dispatcher answers. */
  readonly channels: readonly string[];
  call(channel: string, payload: unknown, context: CallContext): Promise<Result<unknown>>;
}

/**
 * The one path into the engine: resolves the caller's session and checks the role table (access guard),
 * validates the request against its contract schema, then runs the handler, and turns every outcome into
 * a Result: nothing is thrown across the boundary. Every refusal is audited.
 */
export function createDispatcher(
  handlers: Handlers,
  onInternalError: (error: unknown, channel: string) => void,
  guard: AccessGuard,
  idempotency?: IdempotencyStore,
): Dispatcher {
  const routes = new Map<string, Route>();
  for (const { area, method, name, request } of allChannels()) {
    const handle = (handlers as unknown as Record<string, Record<string, Route['handle']>>)[area]?.[method];
    if (!handle) throw new Error(`No handler for channel ${name}`);
    routes.set(name, { request, handle });
  }
  return {
    channels: [...routes.keys()],
    async call(channel, payload, caller) {
      try {
        if (typeof channel !== 'string') return fail('not_found', 'Unknown channel.');
        const route = routes.get(channel);
        if (!route) return fail('not_found', `Unknown channel ${channel.slice(0, 80)}.`);
        // No request at all is the empty one; null, arrays and scalars are not a channel's object.
        const request = payload === undefined ? {} : payload;
        if (request === null || typeof request !== 'object' || Array.isArray(request)) {
          return fail('validation', 'The request is not valid.', { issues: [{ path: '', message: 'The request must be an object.' }] });
        }
        const admission = await guard.admit(channel, caller && typeof caller === 'object' ? caller : { door: 'test' });
        if (!admission.admitted) return admission.refusal;
        const context = admission.context;
        let parsed: ReturnType<z.ZodType['safeParse']>;
        try {
          parsed = route.request.safeParse(request);
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
          const request = parsed.data as Record<string, unknown>;
          if (idempotency && DEDUPED_CHANNELS.has(channel) && typeof request.idempotencyKey === 'string') {
            const { idempotencyKey, ...rest } = request;
            const scope = `channel:${context.operatorId ?? context.door}`;
            const outcome = await idempotency.run(scope, idempotencyKey, requestHash({ channel, request: rest }), async () => ({
              status: 200,
              body: await route.handle(rest, context),
            }));
            return ok(outcome.body);
          }
          return ok(await route.handle(parsed.data, context));
        } catch (error) {
          if (error instanceof DomainError) {
            // A handler's own refusal (a wrong passphrase, a control: four eyes, a KYC gate) is audited like the role table's.
            if ((error.code === 'forbidden' || error.code === 'unauthenticated' || isControlRefusal(error.code)) && !wasAudited(error)) {
              await guard.recordRefusal(channel, context, error.code, error.message, isControlRefusal(error.code) ? error.details : undefined);
            }
            return fail(error.code, error.message, error.details);
          }
          onInternalError(error, channel);
          return fail('internal', 'The engine hit an unexpected error; nothing was changed by this request.');
        }
      } catch (error) {
        // The guard or the audit write itself failed: refuse rather than throw across the boundary.
        onInternalError(error, String(channel).slice(0, 80));
        return fail('internal', 'The engine hit an unexpected error; nothing was changed by this request.');
      }
    },
  };
}
