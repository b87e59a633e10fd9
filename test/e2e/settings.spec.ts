import { expect, test } from './support/fixtures';

test('settings: sweep rules, withdrawal policy in tokens, and a new operator', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  await test.step('sweep rules come from the engine', async () => {
    await expect(page.getByTestId('settings-sweep-rules')).toContainText('USDT');
  });
  await test.step('a withdrawal limit typed in tokens is saved as base units and read back', async () => {
    const limit = page.getByLabel('Per-withdrawal limit of bsc:USDT');
    await limit.fill('2500.123456789012345678');
    await limit.locator('xpath=ancestor::tr').getByRole('button', { name: 'Save' }).click();
    await expect(limit.locator('xpath=ancestor::tr').getByRole('button', { name: 'Saved' })).toBeVisible();
    const policy = await app.engineCall<{ assets: Record<string, { perWithdrawalLimit?: string }> }>('withdrawals:policyGet', {});
    expect(policy.data!.assets['bsc:USDT']!.perWithdrawalLimit).toBe('2500123456789012345678');
    await page.getByLabel('Daily limit of polygon:USDT').fill('1.1234567');
    await expect(page.getByLabel('Daily limit of polygon:USDT').locator('xpath=..').locator('.field__error')).toContainText('6');
  });
  await test.step('the ramps receiving account an on-ramp quotes to clients', async () => {
    await expect(page.getByTestId('settings-receiving-accounts')).toContainText('None yet');
    await page.getByTestId('ramp-beneficiary').fill('Treasury Operations SL');
    await page.getByTestId('ramp-account').fill('ES79 2100 0813 6101 2345 6789');
    await page.getByTestId('ramp-account-save').click();
    await expect(page.getByTestId('settings-receiving-accounts')).toContainText('Treasury Operations SL');
  });
  await test.step('an operator is added with a role', async () => {
    await page.getByTestId('operator-name').fill('ana.ruiz');
    await page.getByTestId('operator-role').selectOption('approver');
    await page.getByTestId('operator-passphrase').fill('short');
    await expect(page.getByTestId('operator-create')).toBeDisabled();
    await page.getByTestId('operator-passphrase').fill('a long approver passphrase');
    await page.getByTestId('operator-create').click();
    await expect(page.getByTestId('settings-operators')).toContainText('ana.ruiz');
    await expect(page.getByTestId('settings-operators')).toContainText('approver');
  });
  await app.screenshot('settings');
});
