/**
 * A write path written once for two kinds of transaction. The code is a generator that yields each
 * statement's result (`yield* step(statements.x(...))`); a runner either takes the value at once, inside
 * one synchronous better-sqlite3 transaction, or awaits it, inside a Kysely transaction on any dialect.
 */
export type MaybePromise<T> = T | Promise<T>;

export type Steps<T> = Generator<unknown, T, unknown>;

export function* step<T>(value: MaybePromise<T>): Generator<MaybePromise<T>, T, unknown> {
  return (yield value) as T;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Runs the steps now; a statement that answers with a promise cannot be part of a synchronous transaction. */
export function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    if (isPromise(next.value)) {
      next.value.catch(() => {});
      throw new Error('An asynchronous statement cannot run inside a synchronous transaction.');
    }
    next = steps.next(next.value);
  }
  return next.value;
}

export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = isPromise(next.value) ? await next.value : next.value;
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}
