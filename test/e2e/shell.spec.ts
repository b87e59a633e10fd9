import { expect, test } from './support/fixtures';

const SCREENS = ['dashboard', 'clients', 'wallets', 'holding', 'withdrawals', 'ramps', 'audit', 'settings'];

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

test('changing the network profile in Settings reaches the engine and the status bar', async ({ officer: app }) => {
  await app.goTo('settings');
  await app.page.getByTestId('settings-profile').selectOption('testnet');
  await expect(app.page.getByTestId('status-profile')).toHaveText('testnet');
  await expect(app.page.getByTestId('settings-rpc-polygon')).toHaveValue('https://rpc-amoy.polygon.technology');
  await app.page.reload();
  await expect(app.page.getByTestId('status-profile')).toHaveText('testnet');
});

test('a refused setting shows the engine error and changes nothing', async ({ officer: app }) => {
  await app.goTo('settings');
  await app.page.getByTestId('settings-rpc-polygon').fill('ftp://example.invalid');
  await app.page.getByTestId('settings-save-polygon').click();
  await expect(app.page.getByRole('alert')).toContainText('The request is not valid');
  await app.page.reload();
  await app.goTo('settings');
  await expect(app.page.getByTestId('settings-rpc-polygon')).toHaveValue('http://127.0.0.1:8545');
});
