import { z } from 'zod';

/** C0 and C1 control characters and DEL; a multi-line field keeps tab, line feed and carriage return. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** In a `u` regex a surrogate half only matches when it has no partner: a lone one. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface TextRules {
  /** Notes and reasons may span lines; names, labels and identifiers may not. */
  multiline?: boolean;
}

/** Why a text cannot be stored as it is, or null: control characters break exports and logs, a lone surrogate reads back as U+FFFD. */
export function textProblem(value: string, rules: TextRules = {}): string | null {
  if ((rules.multiline ? CONTROL_MULTILINE : CONTROL).test(value)) return 'Must not contain control characters.';
  if (LONE_SURROGATE.test(value)) return 'Must not contain a broken (unpaired) UTF-16 character.';
  return null;
}

/**
 * The one rule for free text on every channel and form: control characters and unpaired surrogates are
 * refused, and what passes is stored NFC-normalized, so "é" typed two ways is one name. Keeps the schema's
 * own type (a refine and an overwrite), so the contract's compile-time types stay plain strings.
 */
export function plainText<T extends z.ZodString>(schema: T, rules: TextRules = {}): T {
  return schema
    .superRefine((value, ctx) => {
      const problem = textProblem(value, rules);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'invalid_text' } });
    })
    .normalize('NFC');
}

/** Trimmed single-line text of `min` to `max` characters. */
export const textField = (min: number, max: number) => plainText(z.string().trim().min(min).max(max));
/** Trimmed text that may span lines (reasons, notes, memos). */
export const multilineText = (min: number, max: number) => plainText(z.string().trim().min(min).max(max), { multiline: true });
