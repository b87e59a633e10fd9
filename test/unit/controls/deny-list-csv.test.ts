import { describe, expect, it } from 'vitest';
import { parseDenyListCsv } from '@engine/controls/deny-list-csv';
import { DomainError } from '@shared/result';

/** The officer's deny list file: every bad line named by its number, and nothing taken from a file with one. */
const EVM = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const TRON = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';

function refusal(csv: string): { message: string; rows: Array<{ row: number; message: string }> } {
  try {
    parseDenyListCsv(csv);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe('validation');
    return { message: error.message, rows: (error.details as { rows: Array<{ row: number; message: string }> }).rows };
  }
  throw new Error('the file was accepted');
}

describe('deny list CSV', () => {
  it('reads rows in canonical form, keyed per chain family, quoted cells and CRLF included', () => {
    const entries = parseDenyListCsv(`\uFEFFchain,address,source\r\npolygon,${EVM.toLowerCase()},OFAC SDN 2026-11\r\ntron,${TRON},"Internal, case 42"\r\nBSC,${EVM},"say ""no"""\r\n`);
    expect(entries).toEqual([
      { chain: 'polygon', address: EVM, family: 'evm', addressKey: EVM.toLowerCase(), source: 'OFAC SDN 2026-11' },
      { chain: 'tron', address: TRON, family: 'tron', addressKey: TRON, source: 'Internal, case 42' },
    ]);
  });

  it.each([
    ['a missing header', `polygon,${EVM},OFAC\n`, [1]],
    ['columns in another order', `address,chain,source\n${EVM},polygon,OFAC\n`, [1]],
  ])('refuses %s', (_name, csv, rows) => {
    expect(refusal(csv).rows.map((r) => r.row)).toEqual(rows);
  });

  it('names every bad line by its number in the file, with what is wrong', () => {
    const csv = [
      'chain,address,source',
      `polygon,${EVM},OFAC`,
      `ethereum,${EVM},OFAC`, // line 3: not one of our chains
      `polygon,${EVM.slice(0, 2)}${EVM.slice(2, 10).toUpperCase()}${EVM.slice(10)},OFAC`, // line 4: broken checksum
      `tron,${EVM},OFAC`, // line 5: an EVM address on Tron
      `polygon,${EVM}`, // line 6: two columns
      `bsc,${EVM},`, // line 7: no source
      '"polygon,open quote', // line 8: a quote never closed (runs to the end)
    ].join('\n');
    const { message, rows } = refusal(csv);
    expect(rows.map((r) => r.row)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(rows[0]!.message).toMatch(/chain must be one of polygon, bsc, tron/);
    expect(rows[1]!.message).toMatch(/not a valid Polygon address \(bad checksum\)/);
    expect(rows[2]!.message).toMatch(/not a valid Tron address/);
    expect(rows[3]!.message).toMatch(/expected 3 columns, found 2/);
    expect(rows[4]!.message).toMatch(/source is empty/);
    expect(rows[5]!.message).toMatch(/never closed/);
    expect(message).toMatch(/^6 lines were refused \(line 3: .*; nothing was imported\.$/);
  });

  it('counts the lines inside a quoted cell that spans lines (a source on two lines is refused: it is shown on one)', () => {
    const { rows } = refusal(`chain,address,source\npolygon,${EVM},"two\nlines"\nbsc,nope,x\n`);
    expect(rows).toEqual([
      { row: 2, message: 'the source holds control characters' },
      { row: 4, message: 'nope is not a valid BNB Chain address (malformed)' },
    ]);
  });

  it('refuses a file with a header and no addresses', () => {
    expect(refusal('chain,address,source\n\n').message).toMatch(/lists no addresses/);
  });
});
