/**
 * The desktop app's engine runs inside Electron's main process, so an error nobody caught there (a
 * chain client's stray rejection, a bug in a timer) would leave deposit watching, sweeps and withdrawal
 * tracking dead, or the window talking to an engine in an unknown state. This catches those errors,
 * closes the engine and builds a new one from the database (every flow is a persisted state machine, so
 * it resumes where its last commit left it), then lets main rewire the window and tell the officer.
 * Plain Node (no 'electron' import), so it is tested as it runs.
 */
export interface EngineSupervisorOptions<E> {
  start: () => Promise<E>;
  stop: (engine: E) => Promise<void>;
  /** A new engine is running: point the doors at it and tell the officer. */
  onRestarted: (engine: E) => void;
  /** Restarts kept failing: the engine stays down; tell the officer to restart the app. */
  onGaveUp: (error: unknown) => void;
  log: (message: string, error?: unknown) => void;
  /** At most this many restarts within windowMs before giving up; default 5 in 10 minutes. */
  maxRestarts?: number;
  windowMs?: number;
  /** Pause before a rebuild; default 1 s. */
  delayMs?: number;
  /** How long the old engine may take to close before the new one starts anyway; default 5 s. */
  stopTimeoutMs?: number;
  /** Where uncaught errors are reported; the process by default. */
  events?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export class EngineSupervisor<E> {
  private engine: E | undefined;
  private restarting: Promise<void> | null = null;
  private restarts: number[] = [];
  private stopped = false;
  private readonly events: Pick<NodeJS.Process, 'on' | 'off'>;
  private readonly onUncaught = (error: unknown) => void this.crashed(error);

  constructor(private readonly options: EngineSupervisorOptions<E>) {
    this.events = options.events ?? process;
  }

  /** The running engine, or undefined while it is being rebuilt or after giving up. */
  get current(): E | undefined {
    return this.engine;
  }

  async start(): Promise<E> {
    this.engine = await this.options.start();
    this.events.on('uncaughtException', this.onUncaught);
    this.events.on('unhandledRejection', this.onUncaught);
    return this.engine;
  }

  /** An engine fault: rebuild once, however many errors arrive while it is being rebuilt. */
  crashed(error: unknown): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.options.log('The engine hit an uncaught error; restarting it', error);
    this.restarting ??= this.rebuild(error).finally(() => (this.restarting = null));
    return this.restarting;
  }

  /** At quit: no more restarts; closes the engine. */
  async dispose(): Promise<void> {
    this.stopped = true;
    this.events.off('uncaughtException', this.onUncaught);
    this.events.off('unhandledRejection', this.onUncaught);
    await this.restarting;
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await this.options.stop(engine);
  }

  private async rebuild(firstError: unknown): Promise<void> {
    const windowMs = this.options.windowMs ?? 10 * 60_000;
    let error = firstError;
    for (;;) {
      const now = Date.now();
      this.restarts = this.restarts.filter((at) => now - at < windowMs);
      if (this.restarts.length >= (this.options.maxRestarts ?? 5)) {
        this.options.log('The engine keeps failing; it stays stopped until the app is restarted', error);
        await this.stopCurrent();
        this.options.onGaveUp(error);
        return;
      }
      this.restarts.push(now);
      await this.stopCurrent();
      await new Promise((resolve) => setTimeout(resolve, this.options.delayMs ?? 1000));
      if (this.stopped) return;
      try {
        this.engine = await this.options.start();
        this.options.onRestarted(this.engine);
        return;
      } catch (startError) {
        this.options.log('Restarting the engine failed', startError);
        error = startError;
      }
    }
  }

  private async stopCurrent(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    if (!engine) return;
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 5000).unref());
    const closed = this.options.stop(engine).then(
      () => 'closed' as const,
      (error: unknown) => {
        this.options.log('Closing the failed engine failed', error);
        return 'closed' as const;
      },
    );
    if ((await Promise.race([closed, timeout])) === 'timeout') this.options.log('The failed engine did not close in time; starting a new one anyway');
  }
}
