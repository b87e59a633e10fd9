import type { z } from 'zod';
import { DomainError, ERROR_CODES, type ErrorCode } from '@shared/result';

/** A refusal from the shared validators ({ ok: false, code, reason }) as the engine's named error. */
export function refusal(result: { code: string; reason: string; field?: string }, details: Record<string, unknown> = {}): DomainError {
  const code = asErrorCode(result.code);
  return new DomainError(code, capitalize(result.reason), { ...details, ...(result.field ? { field: result.field } : {}) });
}

/**
 * A failed parse of a shared zod form schema: the first issue that carries a named code (params.code,
 * set by the shared schemas) becomes the error; every issue goes along in details for the form.
 */
export function schemaRefusal(error: z.ZodError, fallback: ErrorCode = 'validation'): DomainError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    code: namedCode(i) ?? null,
  }));
  const first = issues.find((i) => i.code) ?? issues[0];
  const code = first?.code ? asErrorCode(first.code) : fallback;
  return new DomainError(code, capitalize(first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'The form is not valid.'), { issues });
}

function namedCode(issue: z.core.$ZodIssue): string | undefined {
  const params = (issue as { params?: { code?: unknown } }).params;
  return typeof params?.code === 'string' ? params.code : undefined;
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'validation';
}

function capitalize(text: string): string {
  const t = text.trim();
  const sentence = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
