/**
 * Slows passphrase guessing: after a few wrong passphrases for one name (or many across all names), the
 * next attempt is refused until a wait that doubles with each failure, up to a cap. Kept in memory: a
 * restart costs a guesser a full scrypt-slowed app start, and the audit log keeps every failure anyway.
 */
export class SignInBackoff {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly now: () => number,
    private readonly free = 3,
    private readonly baseMs = 1000,
    private readonly capMs = 5 * 60_000,
  ) {}

  /** Milliseconds to wait before `name` may try again (0: now). */
  waitFor(name: string): number {
    const t = this.now();
    const wait = Math.max(this.remaining(this.key(name), t), this.remaining(GLOBAL, t));
    return Math.max(0, wait);
  }

  failed(name: string): void {
    this.bump(this.key(name), this.free);
    this.bump(GLOBAL, this.free * 5);
  }

  succeeded(name: string): void {
    this.failures.delete(this.key(name));
  }

  private key(name: string): string {
    return `name:${name.normalize('NFKC').toLowerCase()}`;
  }

  private remaining(key: string, t: number): number {
    return (this.failures.get(key)?.until ?? 0) - t;
  }

  private bump(key: string, free: number): void {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const over = count - free;
    const wait = over <= 0 ? 0 : Math.min(this.capMs, this.baseMs * 2 ** Math.min(over - 1, 30));
    this.failures.set(key, { count, until: this.now() + wait });
  }
}

const GLOBAL = 'global';
