import type { WalletView } from '@shared/domain/wallets';
import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';
import { secondOperator } from './support/second-operator';

test('wallets: create across chains, filter, deposit address with QR, company credit, internal transfer, history', async ({ officer: app }) => {
  const wallets = new WalletsPage(app);
  const page = app.page;

  await test.step('an empty list says what to do', async () => {
    await wallets.open();
    await expect(page.getByText('No wallets yet')).toBeVisible();
    await app.screenshot('wallets-empty');
  });

  let acmeAddress = '';
  await test.step('create wallets on Polygon, BNB Chain and Tron', async () => {
    await page.getByTestId('wallets-new').click();
    const dialog = page.getByTestId('create-wallet-dialog');
    await dialog.getByTestId('create-wallet-label').fill('   ');
    await dialog.getByTestId('create-wallet-label').blur();
    await expect(dialog.getByTestId('create-wallet-submit')).toBeDisabled();
    await app.screenshot('wallets-create-dialog');
    await page.keyboard.press('Escape');
    acmeAddress = await wallets.create('polygon', 'ACME Ltd operating');
    expect(acmeAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await expect(page.getByRole('img', { name: `QR code of ${acmeAddress}` })).toBeVisible();
    await wallets.backToList();
    await wallets.create('polygon', 'Globex payroll');
    await wallets.backToList();
    const tronAddress = await wallets.create('tron', 'Initech Tron');
    expect(tronAddress).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    await wallets.backToList();
    await wallets.create('bsc', 'Umbrella BSC');
    await wallets.backToList();
    await expect(wallets.rows()).toHaveCount(4);
    await app.screenshot('wallets-list');
  });

  await test.step('filters reach the engine: chain and search', async () => {
    await page.getByTestId('wallets-filter-chain').selectOption('polygon');
    await expect(wallets.rows()).toHaveCount(2);
    await wallets.search('globex');
    await expect(wallets.rows()).toHaveCount(1);
    await wallets.search('nobody by that name');
    await expect(page.getByText('No wallet matches these filters')).toBeVisible();
    await wallets.search('');
    await page.getByTestId('wallets-filter-chain').selectOption('');
    await expect(wallets.rows()).toHaveCount(4);
  });

  await test.step('keyboard: arrows move through rows and Enter opens one', async () => {
    await wallets.rows().first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(wallets.rows().nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wallet-detail')).toBeVisible();
    await wallets.backToList();
  });

  await test.step('company credit validates amount and reason as typed, waits for a second operator, then credits', async () => {
    await wallets.openWallet('ACME Ltd operating');
    const dialog = await wallets.startCompanyCredit();
    await dialog.getByTestId('credit-asset').selectOption('polygon:USDT');
    await dialog.getByTestId('credit-amount').fill('12.1234567');
    await expect(dialog.getByText('this asset has 6')).toBeVisible();
    await dialog.getByTestId('credit-amount').fill('1e5');
    await expect(dialog.getByText('Amount must be digits')).toBeVisible();
    await dialog.getByTestId('credit-amount').fill('1250000.50');
    await dialog.getByTestId('credit-reason').fill('no');
    await expect(dialog.locator('#credit-reason-error')).toBeVisible();
    await app.screenshot('wallets-credit-invalid');
    await dialog.getByTestId('credit-reason').fill('Goodwill credit for the delayed November payout, ticket 4411');
    await dialog.getByTestId('credit-submit').click();
    // The review step: what will move, then the confirmation.
    await expect(dialog.getByTestId('credit-submit-review')).toBeVisible();
    await dialog.getByTestId('credit-submit').click();
    await expect(page.getByRole('status').filter({ hasText: "A credit of 1,250,000.50 USDT to \"ACME Ltd operating\" waits for a second operator's approval" })).toBeVisible();
    // Four eyes: its requester is offered no Approve; nothing is booked yet.
    const pending = page.getByTestId('pending-credit');
    await expect(pending).toHaveCount(1);
    await expect(pending.getByTestId('credit-approve')).toHaveCount(0);
    await expect(wallets.available('polygon:USDT')).not.toHaveText('1,250,000.50 USDT');
    const approver = await secondOperator(app, 'credit.approver', 'approver');
    const listed = await approver<{ items: Array<{ id: string; allowedActions: string[] }> }>('transfers:companyCredits', { state: 'requested', limit: 10 });
    expect(listed.items[0]!.allowedActions).toEqual(['approve', 'reject']);
    await approver('transfers:approveCompanyCredit', { creditId: listed.items[0]!.id });
    // The booking's balance event brings the page up to date.
    await expect(wallets.available('polygon:USDT')).toHaveText('1,250,000.50 USDT');
    await expect(pending).toHaveCount(0);
  });

  await test.step('copy the deposit address', async () => {
    await page.getByTestId('wallet-copy-address').click();
    await expect(page.getByTestId('wallet-copy-feedback')).not.toBeEmpty();
  });

  await test.step('internal transfer to another Polygon wallet', async () => {
    const dialog = await wallets.startTransfer();
    await dialog.getByTestId('transfer-asset').selectOption('polygon:USDT');
    await dialog.getByTestId('transfer-to-search').fill('Globex');
    await expect(dialog.getByTestId('transfer-to').locator('option')).toHaveCount(1);
    await dialog.getByTestId('transfer-to').selectOption({ index: 0 });
    await dialog.getByTestId('transfer-amount').fill('2000000');
    await expect(dialog.getByText('More than the available balance')).toBeVisible();
    await dialog.getByTestId('transfer-amount').fill('250000.25');
    await dialog.getByTestId('transfer-memo').fill('Payroll float for December');
    await app.screenshot('wallets-transfer-dialog');
    await dialog.getByTestId('transfer-submit').click();
    // The review step: what will move, then the confirmation.
    await expect(dialog.getByTestId('transfer-submit-review')).toBeVisible();
    await dialog.getByTestId('transfer-submit').click();
    await expect(page.getByRole('status').filter({ hasText: 'Moved 250,000.25 USDT to "Globex payroll"' })).toBeVisible();
    await expect(wallets.available('polygon:USDT')).toHaveText('1,000,000.25 USDT');
  });

  await test.step('history shows both movements, newest first', async () => {
    const rows = page.getByTestId('history-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Internal transfer');
    await expect(rows.nth(0)).toContainText('−250,000.25 USDT');
    await expect(rows.nth(1)).toContainText('Company credit');
    await expect(rows.nth(1)).toContainText('+1,250,000.50 USDT');
    await app.screenshot('wallets-detail');
  });

  await test.step('the engine refuses a transfer to a wallet suspended meanwhile, and the form shows why', async () => {
    const list = await app.engineCall<{ items: WalletView[] }>('wallets:list', { search: 'Globex' });
    const globex = list.data!.items[0]!;
    const dialog = await wallets.startTransfer();
    await dialog.getByTestId('transfer-asset').selectOption('polygon:USDT');
    await dialog.getByTestId('transfer-to-search').fill('Globex');
    await dialog.getByTestId('transfer-to').selectOption({ index: 0 });
    await dialog.getByTestId('transfer-amount').fill('1');
    const suspended = await app.engineCall('wallets:setStatus', { walletId: globex.id, status: 'suspended' });
    expect(suspended.ok).toBe(true);
    await dialog.getByTestId('transfer-submit').click();
    // The review step: what will move, then the confirmation.
    await expect(dialog.getByTestId('transfer-submit-review')).toBeVisible();
    await dialog.getByTestId('transfer-submit').click();
    await expect(dialog.getByRole('alert')).toContainText('disabled');
    // The refusal's words lead, with what to do; its code is only the small reference line for support.
    await expect(dialog.getByRole('alert')).toHaveAttribute('data-code', 'inactive_wallet');
    await expect(dialog.getByRole('alert').locator('.state__message')).toHaveText('Wallet "Globex payroll" is disabled.');
    await expect(dialog.getByRole('alert').locator('.state__advice')).toHaveText('Choose an active wallet.');
    await expect(dialog.getByRole('alert').locator('.state__reference')).toHaveText('Reference for support: inactive_wallet');
    await app.screenshot('wallets-transfer-refused');
    await page.keyboard.press('Escape');
    await expect(wallets.available('polygon:USDT')).toHaveText('1,000,000.25 USDT');
  });
});

test('dashboard: liabilities against holdings per asset, shortfall in red, live from push events', async ({ officer: app }) => {
  const page = app.page;
  await test.step('nothing owed on a fresh data folder', async () => {
    await expect(page.getByTestId('dashboard-coverage').getByText('Nothing owed and nothing held yet')).toBeVisible();
  });
  await test.step('says which process credits each chain\'s deposits: this one, on its own database', async () => {
    // A chain's watcher asks for its lease again every 5 s until the workspace is set up, and the status is
    // read every 10 s: the first answer after first start may take both.
    await expect(page.getByTestId('watched-by')).toHaveCount(3, { timeout: 20_000 });
    for (const cell of await page.getByTestId('watched-by').all()) await expect(cell).toHaveText('this workstation');
  });
  await test.step('a company credit made elsewhere shows up on the next push event, without a reload', async () => {
    const wallet = await app.engineCall<WalletView>('wallets:create', { chain: 'bsc', label: 'Hooli treasury' });
    expect(wallet.ok).toBe(true);
    const credit = await app.engineCall<{ id: string }>('transfers:companyCredit', {
      idempotencyKey: 'e2e-dashboard-credit-1',
      walletId: wallet.data!.id,
      assetId: 'bsc:USDT',
      amount: '1500000000000000000000', // 1,500 USDT at 18 decimals: past 64-bit integers
      reason: 'Opening balance migrated from the old system',
    });
    expect(credit.ok).toBe(true);
    // Four eyes: an approver elsewhere books it.
    const approver = await secondOperator(app, 'credit.approver', 'approver');
    await approver('transfers:approveCompanyCredit', { creditId: credit.data!.id });
    // The credit's balance.changed push event alone must bring the dashboard up to date.
    const row = page.getByTestId('coverage-bsc:USDT');
    await expect(row).toContainText('1,500.00 USDT');
    await expect(page.getByTestId('coverage-ratio-bsc:USDT')).toHaveText('0.00%');
    await expect(page.getByTestId('shortfall-bsc:USDT')).toHaveText('1,500.00 USDT');
    await expect(page.getByTestId('shortfall-bsc:USDT')).toHaveClass(/bad/);
    await app.screenshot('dashboard-shortfall');
  });
});

test('settings: the asset registry and a custom token the engine cannot read is refused with its reason', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  await expect(page.getByTestId('settings-assets')).toContainText('USDT');
  await page.getByTestId('add-token-contract').fill('0x1234');
  await expect(page.locator('#add-token-error')).toBeVisible();
  await expect(page.getByTestId('add-token-submit')).toBeDisabled();
  await page.getByTestId('add-token-contract').fill('0x00000000000000000000000000000000DeaDBeef');
  await page.getByTestId('add-token-submit').click();
  await expect(page.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  await app.screenshot('settings-add-token-refused');
});
