import type { WalletView } from '@shared/domain/wallets';
import { expect, test } from './support/fixtures';
import { secondOperator } from './support/second-operator';

test('holding: register the Ledger address per chain and show it with its QR code', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('holding');
  await test.step('an unregistered chain offers registration from the Ledger', async () => {
    const polygon = page.getByTestId('holding-address-polygon');
    await expect(polygon.getByTestId('holding-register-polygon')).toBeVisible();
    await polygon.getByTestId('holding-register-polygon').click();
    await expect(polygon.locator('code.address')).toHaveText(/^0x[0-9a-fA-F]{40}$/, { timeout: 20_000 });
    await expect(polygon.getByRole('img', { name: /QR code of 0x/ })).toBeVisible();
  });
  await app.screenshot('holding');
});

test('withdrawals: the request form checks as typed and shows what the engine answers', async ({ officer: app }) => {
  const page = app.page;
  const wallet = await app.engineCall<WalletView>('wallets:create', { chain: 'polygon', label: 'Wayne Enterprises' });
  const funding = await app.engineCall<{ id: string }>('transfers:companyCredit', {
    idempotencyKey: 'e2e-withdrawal-funding',
    walletId: wallet.data!.id,
    assetId: 'polygon:USDT',
    amount: '5000000000',
    reason: 'Funding for the withdrawal test',
  });
  expect(funding.ok).toBe(true);
  // Four eyes: an approver elsewhere books the credit.
  await (await secondOperator(app, 'credit.approver', 'approver'))('transfers:approveCompanyCredit', { creditId: funding.data!.id });
  await app.goTo('withdrawals');
  await test.step('the approval queue starts empty', async () => {
    await expect(page.getByText('Nothing in “Awaiting approval”')).toBeVisible();
  });
  await test.step('the request form', async () => {
    await page.getByTestId('withdrawals-new').click();
    const dialog = page.getByTestId('withdrawal-request-dialog');
    await dialog.getByTestId('withdrawal-wallet-search').fill('Wayne');
    await expect(dialog.getByTestId('withdrawal-wallet').locator('option')).toHaveText([/Wayne Enterprises/]);
    await dialog.getByTestId('withdrawal-wallet').selectOption({ index: 0 });
    await expect(dialog.getByTestId('withdrawal-asset')).toHaveValue('polygon:USDT');
    await dialog.getByTestId('withdrawal-amount').fill('6000');
    await expect(dialog.getByText('More than the available balance')).toBeVisible();
    await dialog.getByTestId('withdrawal-amount').fill('1200.50');
    await dialog.getByTestId('withdrawal-destination').fill('0x12345');
    await expect(dialog.locator('#withdrawal-destination-error')).toBeVisible();
    await dialog.getByTestId('withdrawal-destination').fill('0x8ba1f109551bD432803012645Ac136ddd64DBA72');
    await expect(dialog.locator('#withdrawal-destination-error')).toHaveCount(0);
    await dialog.getByTestId('withdrawal-submit').click();
    // The review step: what will move, then the confirmation.
    await expect(dialog.getByTestId('withdrawal-submit-review')).toBeVisible();
    await dialog.getByTestId('withdrawal-submit').click();
    // Either the engine accepted it (and the detail opens) or it refused with a reason shown in the form.
    await expect(page.getByTestId('withdrawal-detail').or(dialog.getByRole('alert'))).toBeVisible({ timeout: 20_000 });
    await app.screenshot('withdrawals-request');
  });
});
