import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { renderAuditReport, type ReportData } from '@engine/audit/pdf-report';

/** The audit report as poppler reads it: every figure in the asset's own units, every decimal, never base units or "~". */
const assets: ReportData['assets'] = [
  { id: 'polygon:POL', chain: 'polygon', symbol: 'POL', decimals: 18 },
  { id: 'tron:USDT', chain: 'tron', symbol: 'USDT', decimals: 6 },
];

async function reportText(data: Partial<ReportData>): Promise<string> {
  const pdf = await renderAuditReport({
    createdAt: '2026-12-03T10:00:00.000Z',
    profile: 'devnet',
    auditHead: { seq: 12, hash: 'ab'.repeat(32) },
    auditChain: { ok: true, records: 12, head: 'ab'.repeat(32) },
    coverage: [
      { assetId: 'polygon:POL', decimals: 18, clientLiabilities: 4_999898663898728294n, companyReserve: 0n, holdings: 5_000000000000000001n, uncoveredCredit: 0n },
      { assetId: 'tron:USDT', decimals: 6, clientLiabilities: 1_234_567_890_123456n, companyReserve: 100n, holdings: 1_234_567_890_123556n, uncoveredCredit: 0n },
    ],
    reconciliation: null,
    liabilities: [{ assetId: 'tron:USDT', hash: 'cd'.repeat(32), total: '1234567890123456', leaves: 3 }],
    assets,
    ...data,
  });
  const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
}

it.each([
  ['an 18-decimal coin to its last wei', '4.999898663898728294'],
  ['the holdings one wei over', '5.000000000000000001'],
  ['a stablecoin in grouped units', '1,234,567,890.123456'],
  ['the company reserve of 100 base units', '0.0001'],
  ['the liability root total with its symbol', 'total 1,234,567,890.123456 USDT'],
  ['assets by name', 'USDT on Tron'],
])('prints %s', async (_name, expected) => {
  expect(await reportText({})).toContain(expected);
});

it('never prints base units, asset ids or cut numbers', async () => {
  const text = await reportText({});
  expect(text).not.toMatch(/base units|polygon:POL|tron:USDT|~/);
  expect(text).not.toContain('4999898663898728294');
  expect(text).not.toContain('1234567890123456');
});

it('names the chains reconciliation in units, a shortfall with its sign', async () => {
  const text = await reportText({
    reconciliation: {
      at: '2026-12-03T10:00:00.000Z',
      profile: 'devnet',
      lines: [{
        chain: 'polygon', assetId: 'polygon:POL', symbol: 'POL', decimals: 18,
        onChain: { holding: '1', depositAddresses: '0', total: '1', error: null },
        ledger: { clientLiabilities: '2000000000000000000', companyReserve: '0', obligations: '2000000000000000000', holding: '0', inTransit: '0' },
        difference: '-1999999999999999999',
        causes: [],
        status: 'unexplained',
      }],
    },
  });
  expect(text).toContain('-1.999999999999999999');
  expect(text).toContain('POL on Polygon');
});

it('says an asset the registry lacks is unregistered instead of printing a bare integer', async () => {
  const text = await reportText({ assets: [] , coverage: [{ assetId: 'bsc:XYZ', decimals: null, clientLiabilities: 5n, companyReserve: 0n, holdings: 0n, uncoveredCredit: 0n }], liabilities: [] });
  expect(text).toContain('unregistered bsc:XYZ');
  expect(text).toContain('unknown asset');
});
