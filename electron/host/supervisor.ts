import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  log: (message: string) => void;
  /** Pause before the first restart, doubled after each quick crash up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A run that lasted this long resets the pause to minDelayMs. */
  healthyAfterMs?: number;
}

export interface Supervisor {
  /** Resolves with the exit code the supervisor itself should end with. */
  readonly done: Promise<number>;
  /** The running child's pid (changes on each restart). */
  pid(): number | undefined;
  /** Stops the child (SIGTERM) and does not restart it. */
  stop(): void;
}

/**
 * Keeps one child process running: the headless host restarts after any crash (an uncaught error, an out
 * of memory kill, a signal), so deposit watching, sweeps and withdrawal tracking resume on their own; they
 * are persisted state machines, so a restart picks up where the last commit left them. The child says
 * `ready` over IPC once it serves: a child that ends before that failed to start (its data folder is in
 * use, its configuration is wrong), and restarting would only repeat the refusal, so its code is passed on.
 */
export function supervise(options: SupervisorOptions): Supervisor {
  const minDelay = options.minDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const healthyAfter = options.healthyAfterMs ?? 60_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let delay = minDelay;
  let timer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const run = () => {
    const started = Date.now();
    let ready = false;
    const current = spawn(options.command, options.args, { env: options.env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
    child = current;
    current.on('message', (message) => {
      if (message === 'ready') ready = true;
    });
    current.on('error', (error) => options.log(`The host process could not be started: ${error.message}`));
    current.on('exit', (code, signal) => {
      child = undefined;
      if (stopping) return finish(code ?? 0);
      if (!ready) return finish(code ?? 1);
      if (Date.now() - started >= healthyAfter) delay = minDelay;
      options.log(`The host stopped unexpectedly (${signal ?? `exit code ${code}`}); restarting in ${Math.round(delay / 100) / 10} s.`);
      timer = setTimeout(run, delay);
      delay = Math.min(delay * 2, maxDelay);
    });
  };
  run();

  return {
    done,
    pid: () => child?.pid,
    stop() {
      stopping = true;
      clearTimeout(timer);
      if (child) child.kill('SIGTERM');
      else finish(0);
    },
  };
}
