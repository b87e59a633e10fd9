import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';

/** A wallet renamed, disabled (cannot send) and enabled again, then closed for good from its page. */
test('wallet lifecycle: rename, disable and enable, close when empty', async ({ officer: app }) => {
  const page = app.page;
  const wallets = new WalletsPage(app);
  await wallets.open();
  await wallets.create('polygon', 'Lifecycle Ltd');

  await test.step('renamed: the new name shows, the address stays', async () => {
    const address = await page.getByTestId('wallet-address').textContent();
    await page.getByTestId('wallet-action-rename').click();
    await page.getByTestId('wallet-rename-input').fill('Lifecycle Holdings');
    await page.getByTestId('wallet-rename-save').click();
    await expect(page.getByTestId('wallet-label')).toHaveText('Lifecycle Holdings');
    await expect(page.getByRole('status').filter({ hasText: 'Wallet renamed to "Lifecycle Holdings".' })).toBeVisible();
    await expect(page.getByTestId('wallet-address')).toHaveText(address!);
  });

  await test.step('disabled: it cannot send; enabled again, it can', async () => {
    await page.getByTestId('wallet-action-disable').click();
    await expect(page.getByTestId('wallet-detail').locator('.badge--suspended')).toHaveText('disabled');
    await expect(page.getByText('Wallet disabled: it still receives deposits but cannot send.')).toBeVisible();
    await expect(page.getByTestId('wallet-action-transfer')).toBeDisabled();
    await app.screenshot('wallet-disabled');
    await page.getByTestId('wallet-action-enable').click();
    await expect(page.getByTestId('wallet-detail').locator('.badge--active')).toHaveText('active');
    await expect(page.getByTestId('wallet-action-transfer')).toBeEnabled();
  });

  await test.step('closed after a confirmation that says what closing means; nothing can be done with it afterwards', async () => {
    await page.getByTestId('wallet-action-close').click();
    await expect(page.getByTestId('wallet-close-confirm')).toContainText('goes to Unidentified funds');
    await app.screenshot('wallet-close-confirm');
    await page.getByTestId('wallet-close-yes').click();
    await expect(page.getByTestId('wallet-detail').locator('.badge--closed')).toHaveText('closed');
    await expect(page.getByText('Wallet closed. Its history stays; deposits to its address now go to Unidentified funds.')).toBeVisible();
    for (const action of ['wallet-action-rename', 'wallet-action-disable', 'wallet-action-enable', 'wallet-action-close']) await expect(page.getByTestId(action)).toHaveCount(0);
    await expect(page.getByTestId('wallet-action-transfer')).toBeDisabled();
    await expect(page.getByTestId('wallet-closed-address')).toHaveText('This wallet is closed: nothing sent to this address is credited. It goes to Unidentified funds.');
    await expect(page.getByRole('img', { name: /^QR code of / })).toHaveCount(0);
    const text = (await page.getByTestId('wallet-detail').textContent()) ?? '';
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    await app.screenshot('wallet-closed');
  });
});
