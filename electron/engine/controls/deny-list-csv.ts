import { z } from 'zod';
import { CHAIN_LABELS, CHAINS, chainFamily, type Chain } from '@shared/domain/chains';
import { DENY_LIST_COLUMNS, type DenyListRowProblem } from '@shared/domain/screening';
import { DomainError } from '@shared/result';
import { normalizeEvmAddress } from '../chains/evm/address';
import { AddressError } from '../chains/errors';
import { normalizeTronAddress } from '../chains/tron/address';

/** An address of the list, in its canonical form and under the key screening compares. */
export interface DenyListEntry {
  chain: Chain;
  /** canonical: EIP-55 on EVM, base58check on Tron */
  address: string;
  family: 'evm' | 'tron';
  /** lower-case hex on EVM (one account on every EVM chain), base58 on Tron */
  addressKey: string;
  source: string;
}

/** One row after its cells were split: the shape zod checks, the address then checked per chain. */
const rowSchema = z
  .object({
    chain: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(CHAINS, { message: `chain must be one of ${CHAINS.join(', ')}` })),
    address: z.string().trim().min(1, 'the address is empty').max(100, 'the address is too long'),
    source: z
      .string()
      .trim()
      .min(1, 'the source is empty: name the list the address comes from')
      .max(200, 'the source is longer than 200 characters')
      // Shown on screen and in alerts: printable text only.
      .regex(/^[^\p{Cc}]*$/u, 'the source holds control characters'),
  })
  .transform((row, ctx): DenyListEntry => {
    try {
      const address = chainFamily(row.chain) === 'tron' ? normalizeTronAddress(row.address) : normalizeEvmAddress(row.chain, row.address);
      const family = chainFamily(row.chain);
      return { chain: row.chain, address, family, addressKey: family === 'tron' ? address : address.toLowerCase(), source: row.source };
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      ctx.addIssue({ code: 'custom', message: `${row.address} is not a valid ${CHAIN_LABELS[row.chain]} address (${error.reason.replace(/_/g, ' ')})` });
      return z.NEVER;
    }
  });

export const DENY_LIST_MAX_ROWS = 100_000;

/**
 * The officer's CSV (first line `chain,address,source`; RFC 4180 quoting) as entries, or a refusal that
 * lists every bad row by its line number in the file, so nothing is imported from a file with one wrong line.
 * An address listed twice for one chain family is kept once (its first source).
 */
export function parseDenyListCsv(text: string): DenyListEntry[] {
  const lines = splitCsv(text.replace(/^\uFEFF/, ''));
  const problems: DenyListRowProblem[] = [];
  const header = lines[0];
  if (!header || header.cells.map((c) => c.trim().toLowerCase()).join(',') !== DENY_LIST_COLUMNS.join(',')) {
    throw new DomainError('validation', `The file's first line must name the columns ${DENY_LIST_COLUMNS.join(', ')}; nothing was imported.`, {
      rows: [{ row: 1, message: `expected the header "${DENY_LIST_COLUMNS.join(',')}"` }],
    });
  }
  const body = lines.slice(1).filter((line) => !(line.cells.length === 1 && line.cells[0]!.trim() === ''));
  if (body.length === 0) throw new DomainError('validation', 'The file lists no addresses; nothing was imported.', { rows: [] });
  if (body.length > DENY_LIST_MAX_ROWS) throw new DomainError('validation', `The file has ${body.length} rows; at most ${DENY_LIST_MAX_ROWS} are imported at once.`, { rows: [] });
  const entries = new Map<string, DenyListEntry>();
  for (const line of body) {
    if (line.error) {
      problems.push({ row: line.row, message: line.error });
      continue;
    }
    if (line.cells.length !== DENY_LIST_COLUMNS.length) {
      problems.push({ row: line.row, message: `expected ${DENY_LIST_COLUMNS.length} columns, found ${line.cells.length}` });
      continue;
    }
    const [chain, address, source] = line.cells;
    const parsed = rowSchema.safeParse({ chain, address, source });
    if (!parsed.success) {
      problems.push({ row: line.row, message: parsed.error.issues.map((issue) => issue.message).join('; ') });
      continue;
    }
    const key = `${parsed.data.family}:${parsed.data.addressKey}`;
    if (!entries.has(key)) entries.set(key, parsed.data);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => `line ${p.row}: ${p.message}`).join('; ');
    const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
    throw new DomainError('validation', `${problems.length} ${problems.length === 1 ? 'line was' : 'lines were'} refused (${shown}${more}); nothing was imported.`, {
      rows: problems.slice(0, 200),
    });
  }
  return [...entries.values()];
}

interface CsvLine {
  /** line number in the file where the record starts, the header being 1 */
  row: number;
  cells: string[];
  error?: string;
}

/** RFC 4180: fields separated by commas, optionally quoted, "" inside quotes is one quote; CRLF or LF. */
function splitCsv(text: string): CsvLine[] {
  const lines: CsvLine[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let error: string | undefined;
  const endRecord = () => {
    cells.push(cell);
    lines.push({ row: start, cells, ...(error ? { error } : {}) });
    cells = [];
    cell = '';
    error = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        if (i + 1 < text.length && !',\r\n'.includes(text[i + 1]!)) error ??= 'text after a closing quote';
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) error ??= 'a quote is never closed';
  if (cell !== '' || cells.length > 0 || error) endRecord();
  return lines;
}
