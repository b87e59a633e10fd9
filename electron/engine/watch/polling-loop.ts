/**
 * A background loop around one async step: runs it, waits, runs it again. A failing step is retried with a
 * doubling pause (up to a minute), and logged once when it starts failing and once when it recovers, so a
 * chain that is down does not flood the log. `stop()` waits for a step in progress to finish.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly name: string,
    /** Returns true when there is more work right away (e.g. a watcher behind the chain head). */
    private readonly step: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly log: (message: string, error?: unknown) => void = (message, error) => console.error(message, error ?? ''),
    private readonly maxBackoffMs = 60_000,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs the step now instead of at the end of the current pause (no effect while a step runs or when stopped). */
  wake(): void {
    if (this.stopped || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce().finally(() => {
        this.running = null;
      });
    }, ms);
    this.timer.unref?.();
  }

  private async runOnce(): Promise<void> {
    let more = false;
    try {
      more = await this.step();
      if (this.failures > 0) this.log(`${this.name} recovered after ${this.failures} failed attempt(s)`);
      this.failures = 0;
    } catch (error) {
      this.failures++;
      if (this.failures === 1) this.log(`${this.name} failed; retrying with backoff`, error);
    }
    const backoff = this.failures > 0 ? Math.min(this.intervalMs * 2 ** this.failures, this.maxBackoffMs) : this.intervalMs;
    this.schedule(more ? 0 : backoff);
  }
}
