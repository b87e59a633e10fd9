import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type TreasuryApp } from './support/fixtures';
import { secondOperator } from './support/second-operator';

/**
 * What clients and finance see: a client's statement downloaded from the client page and its PDF rendered to
 * an image and looked at; the dashboard's value of the books in USD at entered rates, with the custody chart.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A client with two wallets: 500 USDT credited (four eyes), 120.25 of it moved to the second wallet. */
async function clientWithHistory(app: TreasuryApp): Promise<void> {
  const ok = async <T>(channel: string, request: unknown): Promise<T> => {
    const result = await app.engineCall<T>(channel, request);
    if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
    return result.data!;
  };
  const main = await ok<{ id: string }>('wallets:create', { chain: 'polygon', label: 'Everyday' });
  const savings = await ok<{ id: string }>('wallets:create', { chain: 'polygon', label: 'Savings' });
  const asked = await ok<{ id: string }>('transfers:companyCredit', { idempotencyKey: 'e2e-statement-credit', walletId: main.id, assetId: 'polygon:USDT', amount: '500000000', reason: 'Welcome bonus' });
  const approver = await secondOperator(app, 'statement.approver', 'approver');
  await approver('transfers:approveCompanyCredit', { creditId: asked.id });
  await ok('transfers:internal', { idempotencyKey: 'e2e-statement-move', fromWalletId: main.id, toWalletId: savings.id, assetId: 'polygon:USDT', amount: '120250000' });
  const client = await ok<{ id: string }>('clients:create', { legalName: 'Lucía Fernández' });
  for (const w of [main, savings]) await ok('clients:wallets:associate', { clientId: client.id, walletId: w.id });
}

/** The share of dark pixels of a PGM image (pdftoppm -gray): a rendered page with text is neither blank nor black. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark += 1;
  return dark / pixels.length;
}

test('a client statement downloaded as a PDF, rendered and checked; the dashboard in USD with its chart', async ({ officer: app }) => {
  const page = app.page;
  await clientWithHistory(app);
  const today = new Date().toISOString().slice(0, 10);

  let pdf = '';
  await test.step('the client page issues the statement and the window downloads it', async () => {
    await app.goTo('clients');
    await page.getByTestId('client-row').first().click();
    await page.getByTestId('client-statements').click();
    const dialog = page.getByTestId('statement-dialog');
    await dialog.getByTestId('statement-from').fill(today);
    await dialog.getByTestId('statement-to').fill(today);
    const download = page.waitForEvent('download');
    await dialog.getByTestId('statement-issue').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^statement-lucia-fernandez-${today}-to-${today}-devnet-.*\\.pdf$`));
    pdf = (await file.path())!;
    await expect(dialog.getByTestId('statement-issued')).toContainText(`Downloaded ${file.suggestedFilename()}`);
    await app.screenshot('statement-dialog');
    await expect(dialog).not.toContainText(UUID);

    // The copy just downloaded is one the books issued; a changed one is not.
    await dialog.getByTestId('statement-check-file').setInputFiles(pdf);
    await expect(dialog.getByTestId('statement-check-result')).toContainText('was issued by these books');
    await expect(dialog.getByTestId('statement-check-result')).toContainText('Lucía Fernández');
    const altered = Buffer.from(readFileSync(pdf));
    altered[altered.length - 20]! ^= 1;
    await dialog.getByTestId('statement-check-file').setInputFiles({ name: 'altered.pdf', mimeType: 'application/pdf', buffer: altered });
    await expect(dialog.getByTestId('statement-check-result')).toContainText('is not a statement these books issued');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the PDF renders to an image, and reads in the asset units', async () => {
    const out = mkdtempSync(join(tmpdir(), 'statement-png-'));
    execFileSync('pdftoppm', ['-r', '100', '-png', pdf, join(out, 'page')]);
    execFileSync('pdftoppm', ['-r', '50', '-gray', pdf, join(out, 'gray')]);
    const pngs = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(1);
    execFileSync('cp', [join(out, pngs[0]!), 'test-results/screens/statement-pdf-page-1.png']);
    const ink = inkShare(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.pgm'))!)));
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.2);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Lucía Fernández');
    expect(text).toContain('Opening balance: 0.00 USDT');
    expect(text).toMatch(/Credit from the company +Everyday +500.00 +500.00/);
    expect(text).toMatch(/Transfer to Savings +Everyday +120.25 +379.75/);
    expect(text).toContain('Closing balance: 500.00 USDT');
    expect(text).not.toMatch(/(?<![0-9.,])(500000000|120250000)/);
    expect(text).not.toMatch(UUID);
  });

  await test.step('rates entered in Settings value the dashboard in USD, with the custody chart', async () => {
    await app.goTo('settings');
    const prices = page.getByTestId('settings-prices');
    await prices.getByTestId('price-USDT-polygon-USD').fill('1.0002');
    await prices.getByTestId('price-POL-polygon-USD').fill('1,5');
    await expect(prices.getByTestId('prices-save')).toBeDisabled();
    await prices.getByTestId('price-POL-polygon-USD').fill('0.45');
    await prices.getByTestId('prices-save').click();
    await expect(prices.getByRole('status')).toHaveText('2 prices saved.');
    await prices.scrollIntoViewIfNeeded();
    await app.screenshot('settings-prices');

    await app.goTo('dashboard');
    const card = page.getByTestId('dashboard-valuation');
    await card.getByTestId('valuation-currency').selectOption('USD');
    // 500 USDT owed at 1.0002: 500.10 USD; nothing is held on chain (a company credit), so coverage is nil.
    await expect(card.getByTestId('valuation-liabilities')).toHaveText('500.10 USD');
    await expect(card.getByTestId('valuation-holdings')).toHaveText('0.00 USD');
    await expect(card.getByTestId('valuation-coverage')).toHaveText('0.00%');
    await expect(card.getByTestId('valuation-shortfall')).toHaveText('500.10 USD');
    await card.getByTestId('valuation-snapshot').click();
    const chart = card.getByTestId('custody-chart');
    await expect(chart).toBeVisible();
    await expect(chart.locator('polyline')).toHaveCount(2);
    await expect(chart.locator('desc')).toContainText(`client balances 500.10 USD`);
    await card.scrollIntoViewIfNeeded();
    await app.screenshot('dashboard-valuation-usd');
    await expect(card).not.toContainText(UUID);
    await expect(card).not.toContainText('polygon:');
    await expect(card).not.toContainText('500000000');
  });
});
