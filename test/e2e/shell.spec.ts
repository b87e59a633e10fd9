import { PASSPHRASE, expect, test } from './support/fixtures';

const SCREENS = ['dashboard', 'clients', 'wallets', 'holding', 'withdrawals', 'activity', 'ramps', 'audit', 'settings'];

test('the shell shows a live system status and reaches every screen', async ({ officer: app }) => {
  await test.step('status bar reflects system:status', async () => {
    await expect(app.page.getByTestId('status-profile')).toHaveText('devnet');
    await expect(app.page.getByTestId('status-database')).toHaveText('sqlite healthy');
    // The token left the address bar once it was read.
    expect(app.page.url()).not.toContain('token=');
  });
  for (const screen of SCREENS) {
    await test.step(`open ${screen}`, async () => {
      await app.goTo(screen);
      await app.screenshot(`shell-${screen}`);
    });
  }
});

test('switching network asks first, opens the other workspace at its first start, and the old data waits in its own', async ({ officer: app }) => {
  const page = app.page;
  await test.step('devnet data: an operator added in Settings', async () => {
    await app.goTo('settings');
    await page.getByTestId('operator-name').fill('ana.ruiz');
    await page.getByTestId('operator-role').selectOption('approver');
    await page.getByTestId('operator-passphrase').fill('a long approver passphrase');
    await page.getByTestId('operator-create').click();
    await expect(page.getByTestId('settings-operators')).toContainText('ana.ruiz');
  });
  const dialog = page.getByTestId('switch-network-dialog');
  await test.step('the dialog names the network and what stays apart', async () => {
    await page.getByTestId('switch-to-testnet').click();
    await expect(dialog).toContainText('Switch to testnet');
    await expect(dialog).toContainText('its own database, recovery seed, operators, clients and balances');
    await expect(dialog).toContainText('There is no testnet workspace yet');
  });
  await test.step('a mismatched confirmation is refused', async () => {
    await page.getByTestId('switch-network-confirm').fill('devnet');
    await expect(dialog.getByText('That is not "testnet"')).toBeVisible();
    await expect(page.getByTestId('switch-network-submit')).toBeDisabled();
    await app.screenshot('switch-network-dialog');
  });
  await test.step('confirming reloads into the testnet workspace at its first start', async () => {
    await page.getByTestId('switch-network-confirm').fill('testnet');
    await page.getByTestId('switch-network-submit').click();
    await expect(page.getByRole('heading', { name: 'Set up custody' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('network-band')).toContainText('testnet');
    await expect(page.getByTestId('status-profile')).toHaveText('testnet');
    await expect(page).toHaveTitle('Treasury — TESTNET');
    await app.screenshot('switch-network-testnet-gate');
  });
  await test.step('back to devnet from the gate at first start: the devnet workspace asks for its operator', async () => {
    await page.getByTestId('gate-network-change').click();
    await page.getByTestId('switch-network-target').selectOption('devnet');
    await expect(dialog).toContainText('The devnet workspace exists');
    await page.getByTestId('switch-network-confirm').fill('devnet');
    await page.getByTestId('switch-network-submit').click();
    await expect(page.getByRole('heading', { name: 'Unlock custody' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('network-band')).toContainText('devnet');
  });
  await test.step('the gate refuses a change of network before an admin signs in', async () => {
    await page.getByTestId('gate-network-change').click();
    await expect(page.getByTestId('gate-network-dialog')).toContainText('only an admin may open another');
    await page.getByTestId('gate-network-dialog').getByRole('button', { name: 'Back to sign-in' }).click();
  });
  await test.step('signed in again, the devnet data is still there', async () => {
    await page.getByTestId('custody-operator').fill('admin');
    await page.getByTestId('custody-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-unlock').click();
    // The window reopens on the screen it showed before the switch.
    await expect(page.getByTestId('signed-in-operator')).toContainText('admin', { timeout: 20_000 });
    await app.goTo('settings');
    await expect(page.getByTestId('settings-operators')).toContainText('ana.ruiz');
    await expect(page.getByTestId('settings-workspaces')).toContainText('Exists');
  });
});

test('a refused setting shows the engine error and changes nothing', async ({ officer: app }) => {
  await app.goTo('settings');
  await app.page.getByTestId('settings-rpc-polygon').fill('ftp://example.invalid');
  await app.page.getByTestId('settings-save-polygon').click();
  // The field's own reason leads, in words; the code is only the small support reference.
  await expect(app.page.getByRole('alert').locator('.state__message')).toHaveText('Only http(s) endpoints are allowed.');
  await expect(app.page.getByRole('alert')).toHaveAttribute('data-code', 'validation');
  await app.page.reload();
  await app.goTo('settings');
  await expect(app.page.getByTestId('settings-rpc-polygon')).toHaveValue('http://127.0.0.1:8545');
});
