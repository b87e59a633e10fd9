import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { WalletsPage } from './pages/wallets';
import { PASSPHRASE, expect, test } from './support/fixtures';

const APPROVER = { name: 'ana.ruiz', passphrase: 'a long approver passphrase' };
const EXTERNAL = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const USDT = (tokens: number) => BigInt(tokens) * 10n ** 6n;

/**
 * The money path on a real Polygon devnet (anvil, a block per transaction): a deposit seen and
 * confirmed on the wallet screen, then a client withdrawal requested by the admin, approved by a second
 * operator in their own window, signed on the (virtual) Ledger and confirmed on chain.
 */
test('devnet: deposit seen and confirmed, withdrawal requested, approved, signed on the device, confirmed', async ({ officer: app, browser }) => {
  test.setTimeout(150_000);
  const page = app.page;
  let devnet: EvmDevnet | undefined;
  try {
    devnet = await startEvmDevnet({ chain: 'polygon' });
    const chain = devnet;

    await test.step('point the Polygon profile at the devnet from Settings', async () => {
      await app.goTo('settings');
      await page.getByTestId('settings-rpc-polygon').fill(chain.url);
      await page.getByTestId('settings-save-polygon').click();
      await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 20_000 });
    });

    const wallets = new WalletsPage(app);
    let depositAddress = '';
    await test.step('a client wallet receives 500 USDT on chain', async () => {
      await wallets.open();
      depositAddress = await wallets.create('polygon', 'Stark Industries');
      await chain.mintToken('USDT', depositAddress, USDT(500));
      const row = page.getByTestId('wallet-deposits').locator('tr', { hasText: '500.00' });
      await expect(row).toContainText(/seen|confirmed/, { timeout: 45_000 });
      await app.screenshot('devnet-deposit-seen');
    });

    await test.step('after the confirmations the deposit is credited', async () => {
      await chain.mine(4);
      await expect(page.getByTestId('wallet-deposits')).toContainText('confirmed', { timeout: 45_000 });
      await expect(wallets.available('polygon:USDT')).toHaveText('500.00 USDT', { timeout: 15_000 });
      await app.screenshot('devnet-deposit-confirmed');
    });

    await test.step('the holding wallet is registered from the Ledger and holds coins on chain', async () => {
      await app.goTo('holding');
      await page.getByTestId('holding-register-polygon').click();
      const address = (await page.getByTestId('holding-address-polygon').locator('code.address').textContent({ timeout: 20_000 }))!.trim();
      await chain.setNativeBalance(address, 10n ** 20n);
      await chain.mintToken('USDT', address, USDT(10_000));
      expect((await app.engineCall('system:operators:create', { name: APPROVER.name, role: 'approver', passphrase: APPROVER.passphrase })).ok).toBe(true);
    });

    await test.step('the admin requests a withdrawal of 120.50 USDT', async () => {
      await app.goTo('withdrawals');
      await page.getByTestId('withdrawals-new').click();
      const dialog = page.getByTestId('withdrawal-request-dialog');
      await dialog.getByTestId('withdrawal-wallet-search').fill('Stark');
      await expect(dialog.getByTestId('withdrawal-wallet').locator('option')).toHaveText([/Stark Industries/]);
      await dialog.getByTestId('withdrawal-wallet').selectOption({ index: 0 });
      await dialog.getByTestId('withdrawal-amount').fill('120.50');
      await dialog.getByTestId('withdrawal-destination').fill(EXTERNAL);
      await dialog.getByTestId('withdrawal-submit').click();
      await expect(page.getByTestId('withdrawal-detail')).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId('withdrawal-state')).toHaveText('Awaiting approval');
      await app.screenshot('devnet-withdrawal-requested');
    });

    await test.step('a second operator approves and signs on the device in their own window', async () => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
      try {
        const approver = await context.newPage();
        await approver.goto(app.host.openUrl);
        await approver.getByTestId('custody-operator').fill(APPROVER.name);
        await approver.getByTestId('custody-passphrase').fill(APPROVER.passphrase);
        await approver.getByTestId('custody-unlock').click();
        await expect(approver.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
        await expect(approver.getByTestId('dashboard-awaiting-approval')).toHaveText('1');
        await approver.getByTestId('nav-withdrawals').click();
        await approver.getByTestId('withdrawal-row').first().click();
        await approver.getByTestId('withdrawal-approve').click();
        await expect(approver.getByTestId('withdrawal-state')).toHaveText('Ready to sign');
        await approver.getByTestId('withdrawal-sign').click();
        const signing = approver.getByTestId('signing-dialog');
        await expect(signing.getByTestId('device-amount')).toHaveText('USDT 120.50');
        await expect(signing.getByTestId('device-destination')).toHaveText(EXTERNAL.replace(/(.{4})/g, '$1 ').trim());
        await approver.screenshot({ path: 'test-results/screens/devnet-signing-dialog.png' });
        await signing.getByTestId('signing-start').click();
        await expect(signing.getByTestId('signing-done')).toBeVisible({ timeout: 30_000 });
        await approver.screenshot({ path: 'test-results/screens/devnet-signed.png' });
        await signing.getByTestId('signing-finish').click();
      } finally {
        await context.close();
      }
    });

    await test.step('the chain confirms it and the timeline shows every step', async () => {
      await chain.mine(4);
      await page.reload();
      await app.goTo('withdrawals');
      await page.getByTestId('withdrawals-queue-all').click();
      await page.getByTestId('withdrawal-row').first().click();
      await expect(page.getByTestId('withdrawal-state')).toHaveText('Confirmed', { timeout: 45_000 });
      await expect(page.getByTestId('withdrawal-timeline')).toContainText(`by ${APPROVER.name}`);
      await app.screenshot('devnet-withdrawal-confirmed');
    });
  } finally {
    await devnet?.stop();
  }
});
