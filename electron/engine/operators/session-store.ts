import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@shared/domain/operators';

export interface OperatorSession {
  operatorId: string;
  name: string;
  role: Role;
  startedAt: number;
  lastActivity: number;
}

/**
 * Signed-in sessions, in memory only: a restart signs everyone out. Tokens are kept by their hash, so a
 * heap dump does not hand out a usable token. A session idle longer than the timeout is gone.
 */
export class SessionStore {
  private readonly sessions = new Map<string, OperatorSession>();

  constructor(
    private readonly now: () => number,
    private idleTimeoutMs: number,
  ) {}

  setIdleTimeout(ms: number): void {
    this.idleTimeoutMs = ms;
  }

  get idleTimeoutSeconds(): number {
    return Math.round(this.idleTimeoutMs / 1000);
  }

  open(operator: Pick<OperatorSession, 'operatorId' | 'name' | 'role'>): { token: string; session: OperatorSession } {
    const token = randomBytes(32).toString('hex');
    const t = this.now();
    const session = { ...operator, startedAt: t, lastActivity: t };
    this.sessions.set(digest(token), session);
    return { token, session };
  }

  /** The live session for a token; `touch` counts the call as activity. Expired sessions come back as 'expired'. */
  resolve(token: string, touch: boolean): OperatorSession | 'expired' | null {
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (this.now() - session.lastActivity >= this.idleTimeoutMs) return 'expired';
    if (touch) session.lastActivity = this.now();
    return session;
  }

  /** When the session ends if nothing else is done in it (ms since the epoch). */
  idleEndsAt(session: OperatorSession): number {
    return session.lastActivity + this.idleTimeoutMs;
  }

  close(token: string): OperatorSession | null {
    const key = digest(token);
    const session = this.sessions.get(key) ?? null;
    this.sessions.delete(key);
    return session;
  }

  /** Ends every session of one operator (disabled, role changed, passphrase reset). */
  closeOperator(operatorId: string): OperatorSession[] {
    const closed: OperatorSession[] = [];
    for (const [key, session] of this.sessions) {
      if (session.operatorId === operatorId) {
        this.sessions.delete(key);
        closed.push(session);
      }
    }
    return closed;
  }

  /** Removes and returns sessions idle past the timeout. */
  expireIdle(): OperatorSession[] {
    const t = this.now();
    const expired: OperatorSession[] = [];
    for (const [key, session] of this.sessions) {
      if (t - session.lastActivity >= this.idleTimeoutMs) {
        this.sessions.delete(key);
        expired.push(session);
      }
    }
    return expired;
  }

  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
