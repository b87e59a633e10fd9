import { PASSPHRASE, expect, test } from './support/fixtures';

test('first start sets up custody, the app locks, and a wrong passphrase is refused by the engine', async ({ app }) => {
  const page = app.page;
  await test.step('the gate validates the new passphrase as it is typed', async () => {
    await expect(page.getByRole('heading', { name: 'Set up custody' })).toBeVisible();
    await page.getByTestId('custody-new-passphrase').fill('short');
    await expect(page.getByText('At least 8 characters.')).toBeVisible();
    await page.getByTestId('custody-new-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-confirm-passphrase').fill(`${PASSPHRASE}!`);
    await expect(page.getByText('The two passphrases differ.')).toBeVisible();
    await expect(page.getByTestId('custody-setup')).toBeDisabled();
    await app.screenshot('custody-setup');
  });
  await test.step('creating the vault, then checking the recovery words, opens the app', async () => {
    await page.getByTestId('custody-confirm-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-setup').click();
    await app.confirmRecoveryWords(await app.revealRecoveryWords(PASSPHRASE));
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
  });
  await test.step('locking says it signs everyone out, then returns to the unlock form', async () => {
    await page.getByTestId('custody-lock').click();
    await expect(page.getByTestId('lock-confirm')).toContainText('every operator signed in to this workspace');
    await page.getByTestId('custody-lock-confirm').click();
    await expect(page.getByRole('heading', { name: 'Unlock custody' })).toBeVisible();
  });
  await test.step('a wrong passphrase shows the engine refusal', async () => {
    await page.getByTestId('custody-passphrase').fill('not the passphrase');
    await page.getByTestId('custody-unlock').click();
    await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 });
    await app.screenshot('custody-unlock-refused');
  });
  await test.step('the right passphrase unlocks, and survives a reload', async () => {
    await page.getByTestId('custody-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-unlock').click();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
    await page.reload();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible();
  });
});
