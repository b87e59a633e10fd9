/** How a chain call is retried: an RPC that errors, hangs or answers short gets a few more tries, further apart. */
export interface RetryPolicy {
  attempts: number;
  /** First pause; doubles after each failure, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A call that has not answered by then counts as failed (the node may still be working on it). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000, timeoutMs: 20_000 };

export class ChainCallTimeout extends Error {
  override readonly name = 'ChainCallTimeout';
}

export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  let delay = policy.baseDelayMs;
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await withTimeout(what, call(), policy.timeoutMs);
    } catch (error) {
      lastError = error;
      if (attempt === policy.attempts) break;
      await sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
  throw lastError;
}

function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainCallTimeout(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
