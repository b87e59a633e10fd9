import { expect, test } from './support/fixtures';

const SECOND_ADMIN = { name: 'second.admin', passphrase: 'a second admin passphrase' };
const ADDRESS = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';

/**
 * Four eyes in the window: the admin who whitelists a destination is not offered Approve (the engine would
 * refuse it anyway); a second admin, in a window of their own, approves it, and the address book then counts
 * down the 24 h time lock before the destination may be paid.
 */
test('controls: a whitelisting waits for a second admin and its time lock; its maker sees no Approve', async ({ officer: app, browser }) => {
  const page = app.page;
  await test.step('a second admin exists', async () => {
    expect((await app.engineCall('system:operators:create', { name: SECOND_ADMIN.name, role: 'admin', passphrase: SECOND_ADMIN.passphrase })).ok).toBe(true);
  });

  await test.step('the admin whitelists a destination: it waits, and they are offered no Approve', async () => {
    await app.goTo('settings');
    const form = page.getByTestId('address-book-add');
    await form.getByLabel('Chain').selectOption('polygon');
    await form.getByLabel('Address').fill(ADDRESS);
    await form.getByLabel('Label').fill('Exchange deposit');
    await form.getByLabel('Whitelisted').check();
    await form.getByRole('button', { name: 'Add address' }).click();
    const row = page.getByTestId('settings-address-book').locator('tr', { hasText: 'Exchange deposit' });
    await expect(row.getByTestId('address-book-whitelist-status')).toHaveText('waiting for a second officer');
    await expect(row.getByTestId('address-book-approve')).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Remove' })).toBeVisible();
    const book = await app.engineCall<Array<{ id: string; allowedActions: string[] }>>('withdrawals:addressBookList', {});
    expect(book.data![0]!.allowedActions).toEqual(['remove']);
    // The engine refuses it too, whatever a window shows.
    const self = await app.engineCall('withdrawals:addressBookApprove', { entryId: book.data![0]!.id });
    expect(self).toMatchObject({ ok: false, error: { code: 'maker_checker' } });
    await app.screenshot('controls-whitelist-pending');
  });

  await test.step('a second admin, in their own window, approves it; the time lock then counts down', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    try {
      const second = await context.newPage();
      await second.goto(app.host.openUrl);
      await second.getByTestId('custody-operator').fill(SECOND_ADMIN.name);
      await second.getByTestId('custody-passphrase').fill(SECOND_ADMIN.passphrase);
      await second.getByTestId('custody-unlock').click();
      await expect(second.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
      await second.getByTestId('nav-settings').click();
      const row = second.getByTestId('settings-address-book').locator('tr', { hasText: 'Exchange deposit' });
      await row.getByTestId('address-book-approve').click();
      await expect(row.getByTestId('address-book-whitelist-status')).toHaveText(/approved by second\.admin; usable in (24 h 0|23 h 59) min/);
      await expect(row.getByTestId('address-book-approve')).toHaveCount(0);
      await second.screenshot({ path: 'test-results/screens/controls-whitelist-time-locked.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  await test.step("the maker's window shows the lock as well", async () => {
    await app.goTo('dashboard');
    await app.goTo('settings');
    const row = page.getByTestId('settings-address-book').locator('tr', { hasText: 'Exchange deposit' });
    await expect(row.getByTestId('address-book-whitelist-status')).toContainText('usable in');
  });

  await test.step('changing the time lock is a proposal on the policy screen: its maker sees no Approve, a second admin applies it', async () => {
    await app.goTo('policy');
    const card = page.getByTestId('settings-controls');
    await expect(card.getByTestId('controls-time-lock')).toHaveValue('24');
    await card.getByTestId('controls-time-lock').fill('48');
    await card.getByTestId('controls-propose').click();
    await expect(card.getByTestId('controls-proposed')).toHaveText('Proposed: Whitelist time lock: 24 h → 48 h. It applies once another admin approves it.');
    const row = page.getByTestId('policy-proposals').getByTestId('proposal-row').filter({ hasText: 'Whitelist time lock: 24 h → 48 h' });
    await expect(row).toContainText('you');
    await expect(row.getByTestId('proposal-approve')).toHaveCount(0);
    await expect(row.getByTestId('proposal-reject')).toHaveText('Withdraw');
    // Still 24 h: nothing applies before a second admin approves.
    expect((await app.engineCall<{ whitelistTimeLockHours: number }>('withdrawals:controlsGet', {})).data!.whitelistTimeLockHours).toBe(24);
    await app.screenshot('policy-change-pending');

    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    try {
      const second = await context.newPage();
      await second.goto(app.host.openUrl);
      await second.getByTestId('custody-operator').fill(SECOND_ADMIN.name);
      await second.getByTestId('custody-passphrase').fill(SECOND_ADMIN.passphrase);
      await second.getByTestId('custody-unlock').click();
      await expect(second.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
      await second.getByTestId('nav-policy').click();
      const theirs = second.getByTestId('policy-proposals').getByTestId('proposal-row').filter({ hasText: 'Whitelist time lock: 24 h → 48 h' });
      await expect(theirs).toContainText('admin');
      await expect(theirs.getByTestId('proposal-reject')).toHaveText('Reject');
      await theirs.getByTestId('proposal-approve').click();
      await expect(second.getByTestId('proposals-recent')).toContainText('Applied: Whitelist time lock: 24 h → 48 h — proposed by admin, approved by second.admin');
      await expect(second.getByTestId('controls-time-lock')).toHaveValue('48');
      await second.screenshot({ path: 'test-results/screens/policy-change-applied.png', fullPage: true });
    } finally {
      await context.close();
    }
    expect((await app.engineCall<{ whitelistTimeLockHours: number }>('withdrawals:controlsGet', {})).data!.whitelistTimeLockHours).toBe(48);
  });

  await test.step('the officer imports a deny list: a bad file is refused by line, a good one becomes version 1', async () => {
    await app.goTo('policy');
    const card = page.getByTestId('settings-deny-list');
    await expect(card).toContainText('No deny list imported yet');
    await card.getByTestId('deny-list-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`chain,address,source\npolygon,0x1234,OFAC\n`) });
    await card.getByTestId('deny-list-import').click();
    await expect(card.getByTestId('deny-list-problems')).toContainText('Line 2: 0x1234 is not a valid Polygon address');
    await card.getByTestId('deny-list-file').setInputFiles({
      name: 'sdn-2026-12.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`chain,address,source\npolygon,0x71C7656EC7ab88b098defB751B7401B5f6d8976F,OFAC SDN\ntron,TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy,Internal\n`),
    });
    await card.getByTestId('deny-list-import').click();
    await expect(card.getByRole('status')).toHaveText('Version 1 is in force: 2 addresses from sdn-2026-12.csv.');
    await expect(card.getByTestId('deny-list-versions')).toContainText('sdn-2026-12.csv');
    await app.screenshot('policy-screen');
    for (const card of ['policy-proposals', 'settings-withdrawal-policy', 'settings-controls', 'settings-deny-list']) {
      await page.getByTestId(card).screenshot({ path: `test-results/screens/policy-card-${card}.png` });
    }
  });
});
