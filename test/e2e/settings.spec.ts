import { expect, test } from './support/fixtures';

test('settings: sweep rules, withdrawal policy in tokens, and a new operator', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  await test.step('sweep rules come from the engine', async () => {
    await expect(page.getByTestId('settings-sweep-rules')).toContainText('USDT');
  });
  await test.step('a withdrawal limit typed in tokens is proposed on the Policy screen, exact to the last digit', async () => {
    await app.goTo('policy');
    const limit = page.getByLabel('Per-withdrawal limit of bsc:USDT');
    await limit.fill('2500.123456789012345678');
    await limit.locator('xpath=ancestor::tr').getByRole('button', { name: 'Propose' }).click();
    await expect(limit.locator('xpath=ancestor::tr').getByRole('button', { name: 'Proposed' })).toBeVisible();
    // A limit change takes effect once a second admin approves: until then it is a pending proposal in words.
    const proposals = await app.engineCall<Array<{ summary: string; state: string }>>('policy:proposals', { state: 'pending', limit: 10 });
    expect(proposals.data!.map((p) => p.summary).join('\n')).toMatch(/2,?500\.123456789012345678/);
    const policy = await app.engineCall<{ assets: Record<string, { perWithdrawalLimit?: string }> }>('withdrawals:policyGet', {});
    expect(policy.data!.assets['bsc:USDT']?.perWithdrawalLimit).toBeUndefined();
    await page.getByLabel('Daily limit of polygon:USDT').fill('1.1234567');
    await expect(page.getByLabel('Daily limit of polygon:USDT').locator('xpath=..').locator('.field__error')).toContainText('6');
    await app.goTo('settings');
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
  await test.step('client data retention: five years by default, changed by the admin', async () => {
    const card = page.getByTestId('settings-retention');
    await expect(page.getByTestId('retention-years')).toHaveValue('5');
    await page.getByTestId('retention-years').fill('7');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByText('Saved.')).toBeVisible();
    expect((await app.engineCall<{ yearsAfterClose: number }>('clients:retention:get', {})).data).toEqual({ yearsAfterClose: 7 });
  });
  await app.screenshot('settings');
});

test('settings: the withdrawal address book refuses a wrong-chain address and keeps a whitelisted one', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  const form = page.getByTestId('address-book-add');
  await test.step('an empty book says so', async () => {
    await expect(page.getByText('No address saved yet.')).toBeVisible();
  });
  await test.step('a Tron address on Polygon is refused by the engine with its reason', async () => {
    await form.getByLabel('Chain').selectOption('polygon');
    await form.getByLabel('Address').fill('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    await form.getByLabel('Label').fill('Exchange hot wallet');
    await form.getByRole('button', { name: 'Add address' }).click();
    await expect(form.getByRole('alert')).toBeVisible();
    await expect(page.getByTestId('settings-address-book')).toHaveCount(0);
  });
  await test.step('a valid Polygon address is saved as whitelisted', async () => {
    await form.getByLabel('Address').fill('0xc2132D05D31c914a87C6611C10748AEb04B58e8F');
    await form.getByLabel('Whitelisted').check();
    await form.getByRole('button', { name: 'Add address' }).click();
    await expect(page.getByTestId('settings-address-book')).toContainText('Exchange hot wallet');
    // Whitelisting waits for a second officer (controls.spec.ts follows it through).
    await expect(page.getByTestId('settings-address-book')).toContainText('waiting for a second officer');
    const book = await app.engineCall<Array<{ address: string; whitelisted: boolean }>>('withdrawals:addressBookList', {});
    expect(book.data).toEqual([expect.objectContaining({ address: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', whitelisted: true })]);
  });
  await page.getByTestId('settings-address-book').scrollIntoViewIfNeeded();
  await app.screenshot('settings-address-book');
});

test('settings: fallback endpoints with their health, and a minimum deposit per asset', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  await test.step('a fallback endpoint is listed after the preferred one, each with its state in words', async () => {
    const fallbacks = page.getByTestId('settings-rpc-fallbacks-tron');
    await fallbacks.fill('not an endpoint');
    await expect(page.getByTestId('settings-save-tron')).toBeDisabled();
    await fallbacks.fill('http://127.0.0.1:9');
    await page.getByTestId('settings-save-tron').click();
    const health = page.getByTestId('endpoint-health-tron');
    await expect(health.locator('li')).toHaveCount(2);
    await expect(health.locator('li').nth(1)).toContainText('http://127.0.0.1:9');
    await expect(health).not.toContainText(/ECONN|_error|503/);
    const configuration = await app.engineCall<{ chains: { tron: { rpcUrls: string[] } } }>('configuration:get', {});
    expect(configuration.data!.chains.tron.rpcUrls[1]).toBe('http://127.0.0.1:9');
  });
  await test.step('the minimum deposit of polygon USDT, typed in tokens, saved as base units', async () => {
    const card = page.getByTestId('settings-deposit-minimums');
    const input = card.getByTestId('minimum-polygon-USDT-input');
    await expect(input).toHaveValue('1');
    await input.fill('1.1234567');
    await expect(card.getByTestId('minimum-polygon-USDT-save')).toBeDisabled();
    await input.fill('5');
    await card.getByTestId('minimum-polygon-USDT-save').click();
    await expect(card.getByTestId('minimum-polygon-USDT')).toContainText('Saved.');
    await expect(card.getByTestId('minimum-polygon-USDT')).toContainText('Default: 1');
    const minimums = await app.engineCall<{ assetId: string; minAmount: string }[]>('wallets:depositMinimums', { chain: 'polygon' });
    expect(minimums.data!.find((m) => m.assetId === 'polygon:USDT')!.minAmount).toBe('5000000');
  });
});
