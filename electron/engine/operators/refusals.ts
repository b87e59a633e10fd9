/**
 * Refusals already written to the audit log where they happened (a wrong passphrase), so the dispatcher,
 * which audits every other `forbidden`, does not record them twice.
 */
const audited = new WeakSet<Error>();

export function markAudited<E extends Error>(error: E): E {
  audited.add(error);
  return error;
}

export function wasAudited(error: unknown): boolean {
  return error instanceof Error && audited.has(error);
}
