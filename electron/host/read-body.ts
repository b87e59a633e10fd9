import type { IncomingMessage } from 'node:http';

export type BodyOutcome =
  | { kind: 'ok'; text: string }
  | { kind: 'too_large'; limit: number }
  | { kind: 'stalled' }
  /** The peer went away or broke the stream: there is nobody to answer. */
  | { kind: 'aborted' };

/** After the limit the host still swallows this much (unbuffered), so the peer can finish sending and read the 400. */
const DRAIN_ALLOWANCE = 64 * 1024 * 1024;

/**
 * Reads one request body of at most `limit` bytes within `timeoutMs`. Past the limit it stops keeping
 * bytes and answers at once; the rest is drained unbuffered (up to an allowance) so the peer reads the
 * typed refusal instead of a reset. A body that has not arrived in time is `stalled` and its socket is
 * closed after the answer.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyOutcome> {
  return new Promise((settle) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome.kind === 'too_large') drainThenClose(req, limit);
      if (outcome.kind === 'stalled') closeAfterAnswer(req);
      settle(outcome);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return finish({ kind: 'too_large', limit });
    timer = setTimeout(() => finish({ kind: 'stalled' }), timeoutMs);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        return finish({ kind: 'too_large', limit });
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
  });
}

function drainThenClose(req: IncomingMessage, limit: number): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limit + DRAIN_ALLOWANCE) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

function closeAfterAnswer(req: IncomingMessage): void {
  req.on('error', () => undefined);
  req.socket.once('finish', () => req.socket.destroy());
  // The answer is written with `connection: close`; a peer that never reads it is cut off shortly after.
  setTimeout(() => req.socket.destroy(), 1000).unref();
}
