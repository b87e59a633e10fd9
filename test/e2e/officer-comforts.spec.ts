import { PDFDocument, StandardFonts } from 'pdf-lib';
import { TINY_PNG } from './pages/clients';
import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';
import { checkScreen } from './support/officer-text';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A one-page utility bill, a real PDF the viewer can draw. */
async function utilityBill(): Promise<string> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([420, 300]);
  page.drawText('Emasesa - water bill - Avenida de la Constitucion 5', { x: 24, y: 250, size: 12, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await pdf.save()).toString('base64');
}

/**
 * The comforts around an officer's day: KYC scans previewed in the app, the New wallet dialog with its client,
 * Ctrl+K over clients, wallets and addresses, the shortcut sheet, the idle-lock warning and the Lock question.
 * Every screen is read for what an officer must never see and saved at 1440x900 and 1280x720.
 */
test('officer comforts: document preview, client in New wallet, Ctrl+K, shortcuts, idle warning, lock question', async ({ officer: app }) => {
  test.setTimeout(180_000);
  const page = app.page;
  const folder = 'test-results/officer-comforts';
  const created = await app.engineCall<{ id: string }>('clients:create', { legalName: 'Lucía Romero Gil' });
  const clientId = created.data!.id;
  expect((await app.engineCall('clients:kyc:addIdentityDocument', {
    clientId, type: 'passport', number: 'PAB123456', issuingCountry: 'ES', expiresOn: day(1500), front: TINY_PNG.toString('base64'),
  })).ok).toBe(true);
  expect((await app.engineCall('clients:kyc:addProofOfAddress', { clientId, issuedOn: day(-5), file: await utilityBill() })).ok).toBe(true);

  await test.step('KYC scans open inside the app: the image inline, the PDF in a frame', async () => {
    await app.goTo('clients');
    await page.getByTestId('client-row').first().click();
    await page.getByTestId('client-view-identity-front').click();
    const preview = page.getByTestId('document-preview');
    await expect(preview.getByTestId('document-preview-image')).toBeVisible();
    expect(await preview.getByTestId('document-preview-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    await checkScreen(page, '01-identity-preview', folder);
    await preview.getByRole('button', { name: 'Close' }).last().click();
    await page.getByTestId('client-view-address-proof').click();
    await expect(preview.getByTestId('document-preview-pdf')).toHaveAttribute('src', /^blob:/);
    await expect(preview).toContainText('PDF');
    await checkScreen(page, '02-proof-of-address-preview', folder);
    await page.keyboard.press('Escape');
    const audit = await app.engineCall<Array<{ action: string }>>('audit:list', { entityType: 'client', entityId: clientId, limit: 20 });
    expect(audit.ok).toBe(true);
    expect(audit.data!.filter((r) => r.action === 'kyc.document_viewed')).toHaveLength(2);
  });

  const wallets = new WalletsPage(app);
  let address = '';
  await test.step('New wallet takes its client', async () => {
    await wallets.open();
    await page.getByTestId('wallets-new').click();
    const dialog = page.getByTestId('create-wallet-dialog');
    await dialog.getByTestId('create-wallet-label').fill('Lucía Romero — Polygon USDT');
    await dialog.getByTestId('create-wallet-client').selectOption({ label: 'Lucía Romero Gil' });
    await checkScreen(page, '03-new-wallet-with-client', folder);
    await dialog.getByTestId('create-wallet-submit').click();
    await expect(page.getByTestId('wallet-owner')).toHaveText('Lucía Romero Gil');
    address = (await page.getByTestId('wallet-address').textContent())!.trim();
  });

  await test.step('Ctrl+K finds a client by part of the name, a wallet by its label and by its address', async () => {
    await app.goTo('dashboard');
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await palette.getByTestId('palette-input').fill('romero');
    await expect(palette.getByTestId('palette-hit').first()).toContainText('Lucía Romero Gil');
    await expect(palette).toContainText('Lucía Romero — Polygon USDT');
    await checkScreen(page, '04-palette', folder);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('client-name')).toHaveText('Lucía Romero Gil');
    await page.keyboard.press('Control+k');
    await palette.getByTestId('palette-input').fill(address.slice(2, 12));
    await expect(palette).toContainText('Addresses');
    await palette.getByTestId('palette-hit').first().click();
    await expect(page.getByTestId('wallet-label')).toHaveText('Lucía Romero — Polygon USDT');
  });

  await test.step('"?" lists the shortcuts; g then a letter goes to a screen', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+Slash');
    await expect(page.getByTestId('shortcut-help')).toContainText('Ctrl');
    await checkScreen(page, '05-shortcuts', folder);
    await page.keyboard.press('Escape');
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    await expect(page.getByTestId('screen-withdrawals')).toBeVisible();
  });

  await test.step('Lock asks first and says it signs every operator out', async () => {
    await page.getByTestId('custody-lock').click();
    await expect(page.getByTestId('lock-confirm')).toContainText('every operator signed in to this workspace');
    await checkScreen(page, '06-lock-question', folder);
    await page.getByTestId('lock-confirm').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('screen-withdrawals')).toBeVisible();
  });

  await test.step('the idle lock warns first, and Stay signed in keeps the session', async () => {
    expect((await app.engineCall('system:security:update', { idleTimeoutMinutes: 1 })).ok).toBe(true);
    const warning = page.getByTestId('idle-warning');
    await expect(warning).toContainText(/You will be locked in \d+ s/, { timeout: 50_000 });
    await checkScreen(page, '07-idle-warning', folder);
    await warning.getByTestId('idle-stay').click();
    await expect(warning).toBeHidden();
    await expect(page.getByTestId('screen-withdrawals')).toBeVisible();
  });
});
