import { Worker } from 'node:worker_threads';
import type { TarEntry } from './tar-archive';

/**
 * SHA-256 of archive parts on a worker thread, so hashing the parts nobody parses (CSV, PDF, the other
 * tables) runs beside the main thread's parsing of the ledger and the audit log. Read-only.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const fd = openSync(workerData.file, 'r');
const buffer = Buffer.allocUnsafe(4 << 20);
const digests = {};
try {
  for (const entry of workerData.entries) {
    const hash = createHash('sha256');
    let done = 0;
    while (done < entry.bytes) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, entry.bytes - done), entry.offset + done);
      if (n === 0) break;
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      done += n;
    }
    digests[entry.name] = hash.digest('hex');
  }
} finally {
  closeSync(fd);
}
parentPort.postMessage(digests);
`;

export function hashPartsInWorker(file: string, entries: TarEntry[]): Promise<Map<string, string>> {
  if (entries.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const worker = new Worker(SOURCE, { eval: true, workerData: { file, entries } });
    worker.once('message', (digests: Record<string, string>) => {
      resolve(new Map(Object.entries(digests)));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the hashing worker stopped with code ${code}`));
    });
  });
}
