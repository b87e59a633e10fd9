import { z } from 'zod';
import { STATEMENT_FORMATS, type IssuedStatement, type Statement, type StatementVerification } from '../../domain/statements';
import { parseCalendarDate } from '../../validation/person';
import { channel } from '../define';
import * as s from '../schemas';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date like 2026-12-31.')
  .refine((v) => parseCalendarDate(v) !== null, 'Must be a real calendar date.');

/** A client and an inclusive period of UTC calendar days, the first not after the last. */
const period = z
  .object({ clientId: s.id, from: day, to: day })
  .strict()
  .refine((r) => r.from <= r.to, { message: 'The period must start on or before its last day.', path: ['to'] });

export const statementChannels = {
  /** The statement's content, to show or to hand to another system; nothing is recorded. */
  get: channel<Statement>()('statements:get', period),
  /** Writes the statement as a PDF or CSV file, records its SHA-256 in the audit log and answers the file. */
  issue: channel<IssuedStatement>()(
    'statements:issue',
    z
      .object({ clientId: s.id, from: day, to: day, format: z.enum(STATEMENT_FORMATS) })
      .strict()
      .refine((r) => r.from <= r.to, { message: 'The period must start on or before its last day.', path: ['to'] }),
  ),
  /** Whether a file with this SHA-256 is a statement the books issued, and when. */
  verify: channel<StatementVerification>()(
    'statements:verify',
    z.object({ sha256: z.string().trim().toLowerCase().pipe(z.string().regex(/^[0-9a-f]{64}$/, 'Must be a SHA-256 in hex (64 characters).')) }).strict(),
  ),
} as const;
