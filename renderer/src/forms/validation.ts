import type { z } from 'zod';
import { issueSentence } from '../words/refusals';

/**
 * Runs the engine's own request schema on what the form holds and returns the first message per
 * field (top-level refinements land under ''), in the officer's words, so the form refuses exactly
 * what the engine refuses.
 */
export function fieldIssues(schema: z.ZodType, value: unknown): Record<string, string> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return {};
  const issues: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    issues[key] ??= issueSentence(key, issue.message, issue.code);
  }
  return issues;
}
