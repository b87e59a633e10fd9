import { fail, type Result } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CallContext } from '../api/types';
import type { OperatorService } from './operator-service';
import { channelAccess } from './roles';
import { isControlRefusal } from '../controls/refusals';
import type { ApiKeyService } from '../api-keys/api-key-service';
import { apiScopeOf } from '../api-keys/scopes';

export type Admission = { admitted: true; context: CallContext } | { admitted: false; refusal: Result<never> };

/** An unauthenticated caller (a page polling after its session ended) is audited at most once a minute per channel. */
const ANONYMOUS_AUDIT_EVERY_MS = 60_000;

/**
 * The door's session token becomes the acting operator and role here, and nowhere else: whatever
 * operator or role a caller wrote into its context is dropped. Then the role table decides.
 */
export class AccessGuard {
  private readonly anonymousAudited = new Map<string, number>();

  constructor(
    private readonly operators: OperatorService,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
    private readonly apiKeys?: ApiKeyService,
  ) {}

  async admit(channel: string, caller: CallContext): Promise<Admission> {
    if (caller.door === 'api') return this.admitApiKey(channel, caller);
    const access = channelAccess(channel);
    const token = typeof caller.session === 'string' ? caller.session : undefined;
    const resolved = token ? this.operators.sessions.resolve(token, !access?.idleNeutral) : null;
    if (resolved === 'expired') await this.operators.expireIdleSessions();
    const session = resolved && resolved !== 'expired' ? resolved : null;
    const context: CallContext = session
      ? { door: caller.door, session: token, operator: session.name, operatorId: session.operatorId, role: session.role }
      : { door: caller.door };

    if (!access) {
      return this.refuse(channel, context, 'forbidden', `No role may call ${channel} yet: it has no line in the role table (electron/engine/operators/roles.ts).`);
    }
    if (!session) {
      if (access.anonymous === 'always') return { admitted: true, context };
      if (access.anonymous === 'first-start' && (await this.operators.setupRequired())) return { admitted: true, context };
      const message = token ? 'Your session ended (signed out or idle): sign in again.' : 'Sign in first.';
      return this.refuse(channel, context, 'unauthenticated', message);
    }
    if (!access.roles.includes(session.role)) {
      return this.refuse(channel, context, 'forbidden', `The ${session.role} role may not call ${channel}.`, { role: session.role });
    }
    return { admitted: true, context };
  }

  /**
   * An API key acts under its own name (`api:<name>`: operator names cannot hold a colon), within its scopes
   * (api-keys/scopes.ts); it holds no role, so it never approves or signs, and four eyes see it as a maker.
   */
  private async admitApiKey(channel: string, caller: CallContext): Promise<Admission> {
    const principal = this.apiKeys?.isPrincipal(caller.apiKey) ? caller.apiKey! : null;
    if (!principal) return this.refuse(channel, { door: 'api' }, 'unauthenticated', 'Send a valid API key.');
    const context: CallContext = { door: 'api', apiKey: principal, operator: `api:${principal.name}`, operatorId: `apikey:${principal.keyId}` };
    const scope = apiScopeOf(channel);
    if (!scope) return this.refuse(channel, context, 'forbidden', `No API key may call ${channel}.`);
    if (!principal.scopes.includes(scope)) {
      return this.refuse(channel, context, 'forbidden', `This API key lacks the "${scope}" scope.`, { scope });
    }
    return { admitted: true, context };
  }

  /** Every refusal leaves an audit record: who (if known), which channel, through which door, and why. */
  async recordRefusal(channel: string, context: CallContext, code: string, message: string, details?: Record<string, unknown>): Promise<void> {
    if (!context.operator) {
      const last = this.anonymousAudited.get(channel) ?? -Infinity;
      if (this.now() - last < ANONYMOUS_AUDIT_EVERY_MS) return;
      this.anonymousAudited.set(channel, this.now());
    }
    await this.audit.record({
      operator: context.operator ?? 'anonymous',
      action: code === 'unauthenticated' ? 'access.unauthenticated' : isControlRefusal(code) ? 'control.refused' : 'access.refused',
      entity: { type: 'channel', id: channel },
      change: { door: context.door, role: context.role ?? null, ...(context.apiKey ? { apiKeyId: context.apiKey.keyId } : {}), code, reason: message, ...(details ? { details } : {}) },
    });
  }

  private async refuse(channel: string, context: CallContext, code: 'forbidden' | 'unauthenticated', message: string, details?: Record<string, unknown>): Promise<Admission> {
    await this.recordRefusal(channel, context, code, message);
    return { admitted: false, refusal: fail(code, message, details) };
  }
}
