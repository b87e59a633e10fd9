import { topUpCompanyPol } from './support/company-gas';
import { statSync } from 'node:fs';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { ClientsPage } from './pages/clients';
import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';
import { checkScreen, officerTextProblems } from './support/officer-text';
import { secondOperator } from './support/second-operator';
import { walkOnRampToCompletion } from './pages/ramps';
import { approveAndSignNewest, operatorWindow } from './support/operator-window';

const APPROVER = { name: 'ana.ruiz', passphrase: 'a long approver passphrase' };
const EXTERNAL = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const USDT = (tokens: number) => BigInt(tokens) * 10n ** 6n;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('the screen guard catches what an officer must never read', () => {
  const bad = [
    'client 2a05117e-6c1f-4b7e-9a52-0f3c1d2e4b5a',
    'Asset polygon:USDT',
    'Invalid input: expected string, received undefined',
    '4.999898663898728294 POL',
    'USDT 120.505',
    'The quote is for 534600000 base units',
    'Wallet (bsc)',
  ].join('\n');
  expect(officerTextProblems(bad, ['forbidden', 'kyc_incomplete']).map((p) => p.kind)).toEqual([
    'uuid',
    'asset id',
    'zod phrase',
    'base units',
    'raw chain in brackets',
    'amount past 4 places',
    'amount past 2 places',
    'error code as message',
    'error code as message',
  ]);
  expect(officerTextProblems('500.00 USDT · 4.9998 POL · USDT on Polygon · 1,250,000.50 USDT', ['The amount is more than the wallet’s balance.'])).toEqual([]);
});

/**
 * A new officer's first day on a Polygon devnet, every screen read for what must never show and saved at
 * 1440x900 and 1280x720: first start, a client with KYC, wallets, a deposit, a sweep, a withdrawal approved
 * and signed by a second operator, an internal transfer, an on-ramp, and the audit bundle downloaded.
 */
test('an officer’s day: first start to the audit bundle, in the officer’s words on every screen', async ({ officer: app, browser }) => {
  test.setTimeout(300_000);
  const page = app.page;
  let devnet: EvmDevnet | undefined;
  try {
    devnet = await startEvmDevnet({ chain: 'polygon' });
    const chain = devnet;
    await checkScreen(page, '01-dashboard-first-start');

    await test.step('Settings: Polygon points at the devnet', async () => {
      await app.goTo('settings');
      await page.getByTestId('settings-rpc-polygon').fill(chain.url);
      await page.getByTestId('settings-save-polygon').click();
      await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 20_000 });
      await checkScreen(page, '02-settings');
    });

    const clients = new ClientsPage(app);
    await test.step('a client: the form speaks in the officer’s words, then KYC is verified by another officer', async () => {
      await clients.open();
      await checkScreen(page, '03-clients-empty');
      await clients.startNew('individual');
      await clients.fill({ legalName: 'Lucía Romero Gil', email: 'lucia@', taxCountry: 'ES' });
      await expect(clients.form().locator('#client-email-error')).toBeVisible();
      await checkScreen(page, '04-client-form-invalid');
      await clients.fill({
        email: 'lucia.romero@example.es',
        taxKind: 'nif',
        taxValue: '12345678Z',
        dateOfBirth: '1990-07-30',
        nationality: 'ES',
        phone: '+34 633 444 555',
        line1: 'Avenida de la Constitución 5',
        city: 'Sevilla',
        postalCode: '41004',
        country: 'ES',
      });
      await expect(clients.form().locator('.field__error')).toHaveCount(0);
      await page.getByTestId('client-save').click();
      await expect(page.getByTestId('client-name')).toHaveText('Lucía Romero Gil');
      // KYC submitted too early: the refusal names what is missing in the form's words.
      await page.getByTestId('kyc-submit').click();
      await expect(page.getByRole('alert').first()).toBeVisible();
      await checkScreen(page, '05-client-kyc-incomplete');
      await clients.addIdentityDocument('PAB123456', 'ES', day(1500));
      await clients.addProofOfAddress(day(-5));
      await page.getByTestId('kyc-submit').click();
      await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
      const listed = await app.engineCall<{ items: Array<{ id: string }> }>('clients:list', { limit: 1 });
      const checker = await secondOperator(app, 'kyc.checker', 'officer');
      await checker('clients:kyc:verify', { clientId: listed.data!.items[0]!.id });
      await page.getByTestId('client-back').click();
      await page.getByTestId('client-row').first().click();
      await expect(page.getByTestId('kyc-status')).toHaveText('KYC verified');
      await checkScreen(page, '06-client-verified');
    });

    const wallets = new WalletsPage(app);
    let depositAddress = '';
    await test.step('wallets: one for the client, one for payroll', async () => {
      await wallets.open();
      await checkScreen(page, '07-wallets-empty');
      await page.getByTestId('wallets-new').click();
      await checkScreen(page, '08-wallet-new-dialog');
      await page.keyboard.press('Escape');
      depositAddress = await wallets.create('polygon', 'Lucía Romero — Polygon USDT');
      await wallets.backToList();
      await wallets.create('polygon', 'Company payroll float');
      await app.goTo('clients');
      await page.getByTestId('client-row').first().click();
      await page.getByTestId('client-associate-wallet').click();
      const dialog = page.getByTestId('associate-dialog');
      await dialog.getByTestId('associate-search').fill('Lucía');
      await dialog.getByTestId('associate-wallet').selectOption({ index: 0 });
      await dialog.getByTestId('associate-submit').click();
      await expect(page.getByTestId('client-wallets')).toContainText('Lucía Romero — Polygon USDT');
      await checkScreen(page, '09-client-with-wallet');
      await app.goTo('wallets');
      await checkScreen(page, '10-wallets-list');
    });

    await test.step('a deposit is seen, confirmed and credited', async () => {
      await chain.mintToken('USDT', depositAddress, USDT(500));
      await wallets.openWallet('Lucía Romero — Polygon USDT');
      await expect(page.getByTestId('wallet-owner')).toHaveText('Lucía Romero Gil');
      await expect(page.getByTestId('wallet-deposits').locator('tr', { hasText: '500.00' })).toContainText(/seen|confirmed/, { timeout: 45_000 });
      await chain.mine(4);
      await expect(wallets.available('polygon:USDT')).toHaveText('500.00 USDT', { timeout: 45_000 });
      await checkScreen(page, '11-wallet-deposit-credited');
    });

    await test.step('holding registered from the Ledger, gas tank funded, the deposit swept', async () => {
      await app.goTo('holding');
      await page.getByTestId('holding-register-polygon').click();
      const holding = (await page.getByTestId('holding-address-polygon').locator('code.address').textContent({ timeout: 20_000 }))!.trim();
      await chain.setNativeBalance(holding, 10n ** 20n);
      // Network fees are paid from the company's own POL: it sends 1 POL from outside, which the watcher books as reserve.
      await topUpCompanyPol(app, chain, holding);
      await checkScreen(page, '12-holding');
      await app.goTo('dashboard');
      const tank = (await page.getByTestId('gas-tank-polygon-address').textContent())!.trim();
      await chain.setNativeBalance(tank, 10n ** 19n);
      await checkScreen(page, '13-dashboard-gas-tanks');
      await app.goTo('wallets');
      await wallets.openWallet('Lucía Romero — Polygon USDT');
      await page.getByTestId('wallet-sweep-now').click();
      await expect(page.getByTestId('wallet-sweep-now-result')).not.toBeEmpty();
      // The sweep tops up gas, sends and waits for its confirmations: blocks keep coming meanwhile.
      await expect(async () => {
        await chain.mine(2);
        const sweeps = await app.engineCall<{ items: Array<{ state: string }> }>('sweeps:list', { limit: 5 });
        expect(sweeps.data?.items.some((s) => s.state === 'confirmed')).toBe(true);
      }).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });
      await app.goTo('dashboard');
      await checkScreen(page, '14-dashboard-after-sweep');
    });

    await test.step('a withdrawal from the wallet page: address book, review, then held for approval', async () => {
      expect((await app.engineCall('system:operators:create', { name: APPROVER.name, role: 'approver', passphrase: APPROVER.passphrase })).ok).toBe(true);
      await app.goTo('wallets');
      await wallets.openWallet('Lucía Romero — Polygon USDT');
      await page.getByTestId('wallet-action-withdraw').click();
      const dialog = page.getByTestId('withdrawal-request-dialog');
      await dialog.getByTestId('withdrawal-amount').fill('120.50');
      // A checksum broken by one character is caught as it is typed.
      await dialog.getByTestId('withdrawal-destination').fill(EXTERNAL.replace('DBA72', 'DBa72'));
      await expect(dialog.locator('#withdrawal-destination-error')).toContainText('checksum');
      await checkScreen(page, '15-withdrawal-checksum');
      await dialog.getByTestId('withdrawal-destination').fill(EXTERNAL);
      await dialog.getByTestId('withdrawal-submit').click();
      await expect(dialog.getByTestId('withdrawal-submit-review')).toContainText('120.50 USDT');
      await checkScreen(page, '16-withdrawal-review');
      await dialog.getByTestId('withdrawal-submit').click();
      await expect(dialog).toBeHidden({ timeout: 20_000 });
      await app.goTo('withdrawals');
      await page.getByTestId('withdrawal-row').first().click();
      await expect(page.getByTestId('withdrawal-state')).toHaveText('Awaiting approval');
      await checkScreen(page, '17-withdrawal-awaiting-approval');
    });

    await test.step('a second operator approves and signs on the device in their own window', async () => {
      const approver = await operatorWindow(browser, app, APPROVER);
      try {
        await checkScreen(approver.page, '18-approver-dashboard');
        await approveAndSignNewest(approver.page, {
          beforeSigning: async (signing) => {
            await expect(signing.getByTestId('device-amount')).toHaveText('USDT 120.50');
            await checkScreen(approver.page, '19-signing-dialog');
          },
          signed: () => checkScreen(approver.page, '20-signed'),
        });
      } finally {
        await approver.close();
      }
      await chain.mine(4);
      await expect(page.getByTestId('withdrawal-state')).toHaveText('Confirmed', { timeout: 45_000 });
      await checkScreen(page, '21-withdrawal-confirmed');
    });

    await test.step('an internal transfer to the payroll float, reviewed first', async () => {
      await app.goTo('wallets');
      await wallets.openWallet('Lucía Romero — Polygon USDT');
      const dialog = await wallets.startTransfer();
      await dialog.getByTestId('transfer-to-search').fill('payroll');
      await dialog.getByTestId('transfer-to').selectOption({ index: 0 });
      await dialog.getByTestId('transfer-amount').fill('100');
      await dialog.getByTestId('transfer-submit').click();
      await expect(dialog.getByTestId('transfer-submit-review')).toContainText('100.00 USDT');
      await checkScreen(page, '22-transfer-review');
      await dialog.getByTestId('transfer-submit').click();
      await expect(page.getByRole('status').filter({ hasText: 'Moved 100.00 USDT to "Company payroll float"' })).toBeVisible();
      await expect(wallets.available('polygon:USDT')).toHaveText('279.50 USDT');
      await checkScreen(page, '23-wallet-after-transfer');
    });

    await test.step('an on-ramp from instructions to completion', async () => {
      expect((await app.engineCall('ramps:settings:setReceivingAccount', { rail: 'sepa', beneficiary: 'Treasury Operations SL', account: { iban: 'ES7921000813610123456789' } })).ok).toBe(true);
      await app.goTo('ramps');
      await checkScreen(page, '24-ramps-empty');
      await page.getByTestId('onramp-new').click();
      const dialog = page.getByTestId('ramp-action-dialog');
      await dialog.getByTestId('onramp-client').selectOption({ label: 'Lucía Romero Gil' });
      await dialog.getByTestId('onramp-wallet').selectOption({ label: 'Lucía Romero — Polygon USDT · Polygon' });
      await dialog.getByTestId('onramp-asset').selectOption('polygon:USDT');
      await dialog.getByTestId('onramp-amount').fill('1000');
      await checkScreen(page, '25-onramp-request');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog.getByTestId('ramp-action-submit-review')).toBeVisible();
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('record the fiat received');
      await checkScreen(page, '26-onramp-instructions');
      await walkOnRampToCompletion(dialog, await secondOperator(app, 'onramp.checker', 'approver'));
      await checkScreen(page, '27-onramp-completed');
      await page.keyboard.press('Escape');
      await checkScreen(page, '28-ramps-board');
    });

    await test.step('the audit trail, and its bundle downloaded', async () => {
      await app.goTo('audit');
      await checkScreen(page, '29-audit');
      // "Explain a balance" picks the wallet by its name.
      await page.getByTestId('audit-explain-wallet').selectOption({ label: 'Lucía Romero — Polygon USDT · Polygon' });
      await page.getByTestId('audit-explain-asset').selectOption('polygon:USDT');
      await page.getByRole('button', { name: 'Explain', exact: true }).click();
      await expect(page.getByTestId('audit-explanation')).toBeVisible();
      await checkScreen(page, '29b-audit-explain');
      await page.getByTestId('audit-export-bundle').click();
      await expect(page.getByTestId('audit-bundle-file')).toBeVisible({ timeout: 60_000 });
      await checkScreen(page, '30-audit-bundle');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-bundle-file-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^treasury-audit-devnet-.*\.tar$/);
      const saved = `test-results/officer-day/${download.suggestedFilename()}`;
      await download.saveAs(saved);
      expect(statSync(saved).size).toBeGreaterThan(1024);
    });

    await test.step('the dashboard at the end of the day', async () => {
      await app.goTo('dashboard');
      await checkScreen(page, '31-dashboard-end-of-day');
      await app.goTo('holding');
      await checkScreen(page, '32-holding-end-of-day');
      await app.goTo('withdrawals');
      await page.getByTestId('withdrawals-queue-all').click();
      await expect(page.getByTestId('withdrawal-row')).toHaveCount(1);
      await checkScreen(page, '33-withdrawals-end-of-day');
    });
  } finally {
    await devnet?.stop();
  }
});
