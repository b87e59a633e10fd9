import { topUpCompanyPol } from './support/company-gas';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { WalletsPage } from './pages/wallets';
import type { WalletView } from '@shared/domain/wallets';
import { verifiedClientThroughEngine } from './pages/clients';
import { expect, test, type TreasuryApp } from './support/fixtures';
import { secondOperator } from './support/second-operator';
import { approveAndSignNewest, operatorWindow } from './support/operator-window';

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
      // The ledger's deposit row carries the chain transaction behind it.
      await expect(page.getByTestId('history-row').first()).toContainText('Deposit');
      await expect(page.getByTestId('history-row').first().getByTestId('history-tx')).toHaveText(/^0x[0-9a-f]{8}…[0-9a-f]{6}$/);
      await app.screenshot('devnet-deposit-confirmed');
    });

    await test.step('the holding wallet is registered from the Ledger and holds coins on chain', async () => {
      await app.goTo('holding');
      await page.getByTestId('holding-register-polygon').click();
      const address = (await page.getByTestId('holding-address-polygon').locator('code.address').textContent({ timeout: 20_000 }))!.trim();
      await chain.setNativeBalance(address, 10n ** 20n);
      // Network fees are paid from the company's own POL: it sends 1 POL from outside, which the watcher books as reserve.
      await topUpCompanyPol(app, chain, address);
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
      // The review step: what will move, then the confirmation.
      await expect(dialog.getByTestId('withdrawal-submit-review')).toBeVisible();
      await dialog.getByTestId('withdrawal-submit').click();
      await expect(page.getByTestId('withdrawal-detail')).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId('withdrawal-state')).toHaveText('Awaiting approval');
      // The fee before approval: the chain's quote, in POL, never in wei.
      await expect(page.getByTestId('withdrawal-network-fee')).toContainText(/^up to 0\.\d+ POL at today’s fees/, { timeout: 20_000 });
      await app.screenshot('devnet-withdrawal-requested');
    });

    await test.step('holding shows what the chain holds and what is in flight', async () => {
      await app.goTo('holding');
      const usdt = page.getByTestId('holding-balances').locator('tr', { hasText: 'USDT' });
      await expect(usdt).toContainText('10,000.00');
      await expect(usdt).toContainText('120.50');
      await expect(usdt).toContainText('9,879.50');
      await app.screenshot('devnet-holding');
    });

    await test.step('a second operator approves and signs on the device in their own window', async () => {
      const approver = await operatorWindow(browser, app, APPROVER);
      try {
        await expect(approver.page.getByTestId('dashboard-awaiting-approval')).toHaveText('1');
        await approveAndSignNewest(approver.page, {
          beforeSigning: async (signing) => {
            await expect(signing.getByTestId('device-amount')).toHaveText('USDT 120.50');
            await expect(signing.getByTestId('device-destination')).toHaveText(EXTERNAL.replace(/(.{4})/g, '$1 ').trim());
            await approver.page.screenshot({ path: 'test-results/screens/devnet-signing-dialog.png' });
          },
          signed: async () => {
            await approver.page.screenshot({ path: 'test-results/screens/devnet-signed.png' });
          },
        });
      } finally {
        await approver.close();
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
      // The fee after: what the transaction paid, on the timeline and in the details.
      await expect(page.getByTestId('withdrawal-fee-paid')).toHaveText(/^network fee paid 0\.\d+ POL$/);
      await expect(page.getByTestId('withdrawal-network-fee')).toHaveText(/^0\.\d+ POL paid$/);
      await app.screenshot('devnet-withdrawal-confirmed');
    });
  } finally {
    await devnet?.stop();
  }
});

async function call<T>(app: TreasuryApp, channel: string, request: unknown): Promise<T> {
  const result = await app.engineCall<T>(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.data!;
}

/** A second operator's window: signs in at the gate, approves and signs the first withdrawal waiting. */
async function approveAndSignElsewhere(app: TreasuryApp, browser: import('@playwright/test').Browser, screenshot: string): Promise<void> {
  const approver = await operatorWindow(browser, app, APPROVER);
  try {
    await approveAndSignNewest(approver.page, { signed: async () => void (await approver.page.screenshot({ path: `test-results/screens/${screenshot}.png` })) });
  } finally {
    await approver.close();
  }
}

test('devnet: off-ramp from hold to completed, its crypto leg approved and signed on the device', async ({ officer: app, browser }) => {
  test.setTimeout(150_000);
  const page = app.page;
  const devnet = await startEvmDevnet({ chain: 'polygon' });
  try {
    await test.step('a verified client with a verified bank account and a funded wallet; holding funded on chain', async () => {
      expect((await app.engineCall('configuration:update', { chain: 'polygon', rpcUrl: devnet.url })).ok).toBe(true);
      // Four eyes: another officer verifies what the admin submitted and added.
      const checker = await secondOperator(app, 'kyc.checker', 'officer');
      const client = await verifiedClientThroughEngine(app, checker, {
        legalName: 'Lucía Romero Gil',
        dateOfBirth: '1990-07-30',
        email: 'lucia.romero@example.es',
        phone: '+34 633 444 555',
        address: { line1: 'Avenida de la Constitución 5', city: 'Sevilla', postalCode: '41004' },
        passport: 'PAB123456',
      });
      const account = await call<{ id: string }>(app, 'clients:bankAccounts:add', {
        clientId: client.id,
        account: { rail: 'sepa', holderName: 'Lucía Romero Gil', iban: 'ES9121000418450200051332' },
      });
      await checker('clients:bankAccounts:verify', { bankAccountId: account.id, evidence: 'Statement of October shows the holder' });
      const wallet = await call<WalletView>(app, 'wallets:create', { chain: 'polygon', label: 'Lucía Romero Polygon' });
      await call(app, 'clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
      const funding = await call<{ id: string }>(app, 'transfers:companyCredit', { idempotencyKey: 'e2e-offramp-funding', walletId: wallet.id, assetId: 'polygon:USDT', amount: '800000000', reason: 'Opening balance for the off-ramp test' });
      await (await secondOperator(app, 'credit.approver', 'approver'))('transfers:approveCompanyCredit', { creditId: funding.id });
      await call(app, 'ramps:settings:setOffRampDestination', { chain: 'polygon', address: EXTERNAL });
      const holding = await call<{ address: string }>(app, 'holding:register', { chain: 'polygon', account: 0 });
      await devnet.setNativeBalance(holding.address, 10n ** 20n);
      // Network fees are paid from the company's own POL: it sends 1 POL from outside, which the watcher books as reserve.
      await topUpCompanyPol(app, devnet, holding.address);
      await devnet.mintToken('USDT', holding.address, USDT(10_000));
      await call(app, 'system:operators:create', { name: APPROVER.name, role: 'approver', passphrase: APPROVER.passphrase });
    });

    await test.step('request: the balance is held', async () => {
      await app.goTo('ramps');
      await page.getByTestId('ramps-tab-off').click();
      await page.getByTestId('offramp-new').click();
      const dialog = page.getByTestId('ramp-action-dialog');
      await dialog.getByTestId('offramp-client').selectOption({ label: 'Lucía Romero Gil' });
      await dialog.getByTestId('offramp-bank').selectOption({ index: 1 });
      await dialog.getByTestId('offramp-wallet').selectOption({ label: 'Lucía Romero Polygon · Polygon' });
      await dialog.getByTestId('offramp-asset').selectOption('polygon:USDT');
      await dialog.getByTestId('offramp-amount').fill('900');
      await expect(dialog.locator('#offramp-amount-error')).toContainText('available');
      await dialog.getByTestId('offramp-amount').fill('300');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog.getByTestId('ramp-action-submit-review')).toBeVisible();
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('Off-ramp: send the crypto');
    });

    await test.step('the crypto leg enters the withdrawals pipeline', async () => {
      const dialog = page.getByTestId('ramp-action-dialog');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('crypto on its way');
      await app.screenshot('devnet-offramp-pending');
    });

    await test.step('a second operator approves and signs the crypto leg', async () => {
      await approveAndSignElsewhere(app, browser, 'devnet-offramp-signed');
      await devnet.mine(4);
    });

    await test.step('follow, convert, pay out, complete', async () => {
      const dialog = page.getByTestId('ramp-action-dialog');
      // The dialog follows the withdrawal as it moves; "Check the withdrawal" asks the engine at once.
      await expect(async () => {
        if (await dialog.getByText('crypto on its way').isVisible()) await dialog.getByTestId('ramp-action-submit').click({ timeout: 2_000 });
        await expect(dialog).toContainText('record the conversion', { timeout: 2_000 });
      }).toPass({ timeout: 45_000 });
      await dialog.getByLabel(/Rate/).fill('0.92');
      await dialog.getByLabel(/Fee/).fill('2.50');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('record the payout');
      await dialog.getByLabel('Bank payout reference').fill('SEPA-OUT-20261125-0007');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('Off-ramp: complete');
      await dialog.getByTestId('ramp-action-submit').click();
      await expect(dialog).toContainText('Off-ramp: completed');
      await app.screenshot('devnet-offramp-completed');
    });
  } finally {
    await devnet.stop();
  }
});
