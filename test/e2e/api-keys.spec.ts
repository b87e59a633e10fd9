import { expect, test } from './support/fixtures';

test('settings: an API key is made with its scopes, its secret shown once, rotated with an overlap and revoked', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  const table = page.getByTestId('settings-api-keys');
  await test.step('a key with a bad address range cannot be created', async () => {
    await page.getByTestId('api-key-name').fill('erp-backend');
    await page.getByTestId('api-key-allowlist').fill('203.0.113.0/99');
    await expect(page.getByTestId('api-key-create')).toBeDisabled();
    await page.getByTestId('api-key-allowlist').fill('203.0.113.0/24');
  });
  let secret = '';
  await test.step('created with Read and Wallets: the secret is shown once', async () => {
    await page.getByTestId('api-key-scope-wallets').check();
    await page.getByTestId('api-key-create').click();
    const dialog = page.getByTestId('api-key-secret-dialog');
    await expect(dialog).toContainText('not shown again');
    secret = (await page.getByTestId('api-key-secret').textContent()) ?? '';
    expect(secret).toMatch(/^trk_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('api-key-secret-close').click();
    await expect(dialog).toHaveCount(0);
    await expect(table).toContainText('erp-backend');
    await expect(table).toContainText('Read, Wallets');
    await expect(table).toContainText('203.0.113.0/24');
    await expect(page.getByTestId('api-key-last-used')).toHaveText('never');
    // the secret is nowhere on the page any more
    await expect(page.locator('body')).not.toContainText(secret);
    await expect(table).toContainText(secret.slice(0, 10));
  });
  await test.step('rotated: a new secret, the previous one working for a day', async () => {
    await page.getByTestId('api-key-rotate').click();
    const rotated = (await page.getByTestId('api-key-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^trk_/);
    expect(rotated).not.toBe(secret);
    await page.getByTestId('api-key-secret-close').click();
    await expect(table).toContainText('previous secret works until');
  });
  await test.step('revoked', async () => {
    await page.getByTestId('api-key-revoke').click();
    await expect(table).toContainText('revoked');
    await expect(page.getByTestId('api-key-rotate')).toHaveCount(0);
  });
  await app.screenshot('settings-api-keys');
});
