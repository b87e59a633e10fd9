import { ClientsPage } from './pages/clients';
import { expect, test } from './support/fixtures';
import { secondOperator } from './support/second-operator';

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test('clients: create with validation as typed, documents, KYC review, bank account, wallet', async ({ officer: app }) => {
  const clients = new ClientsPage(app);
  const page = app.page;
  let checker: Awaited<ReturnType<typeof secondOperator>>;

  await test.step('an empty list invites the first client', async () => {
    await clients.open();
    await expect(page.getByText('No clients yet')).toBeVisible();
  });

  await test.step('the form checks each field with the shared validators while typing', async () => {
    await clients.startNew('individual');
    await clients.fill({ legalName: 'María García López', email: 'maria@', taxCountry: 'ES' });
    await expect(clients.form().locator('#client-email-error')).toBeVisible();
    await clients.fill({ taxKind: 'nif', taxValue: '12345678A' });
    await expect(clients.form().locator('#client-taxValue-error')).toBeVisible();
    await app.screenshot('clients-form-invalid');
    await clients.fill({
      email: 'maria.garcia@example.es',
      taxValue: '12345678Z',
      dateOfBirth: '1985-04-23',
      nationality: 'ES',
      phone: '+34 612 345 678',
      line1: 'Calle Mayor 10',
      city: 'Madrid',
      postalCode: '28013',
      country: 'ES',
    });
    await expect(clients.form().locator('.field__error')).toHaveCount(0);
    await page.getByTestId('client-save').click();
    await expect(page.getByTestId('client-name')).toHaveText('María García López');
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC draft');
  });

  await test.step('documents are stored by the engine', async () => {
    await clients.addIdentityDocument('XDA123456', 'ES', isoDate(900));
    await expect(page.getByTestId('client-identity-document')).toContainText('XDA123456');
    await clients.addProofOfAddress(isoDate(-20));
    // Shown as a document to open, never as its hash.
    await expect(page.getByTestId('client-proof-of-address').getByTestId('client-view-address-proof')).toHaveText('View document');
    await expect(page.getByTestId('client-proof-of-address')).not.toContainText('sha256');
  });

  await test.step('KYC: submit; whoever submitted may not verify it, another officer does', async () => {
    await page.getByTestId('kyc-submit').click();
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
    // The engine's allowed actions leave its submitter no Verify or Reject; the engine refuses it anyway.
    await expect(page.getByTestId('kyc-verify')).toHaveCount(0);
    await expect(page.getByTestId('kyc-reject')).toHaveCount(0);
    await expect(page.getByTestId('kyc-waits')).toHaveText('Submitted by admin: another officer verifies it.');
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
    const listed = await app.engineCall<{ items: Array<{ id: string; legalName: string }> }>('clients:list', { limit: 10 });
    const clientId = listed.data!.items.find((c) => c.legalName === 'María García López')!.id;
    checker = await secondOperator(app, 'kyc.checker', 'officer');
    await checker('clients:kyc:verify', { clientId });
    await page.getByTestId('client-back').click();
    await page.getByTestId('client-row').first().click();
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC verified');
    await expect(page.getByTestId('client-history')).toContainText('client created');
  });

  await test.step('a bank account: a wrong IBAN is refused as typed, a right one is added and verified', async () => {
    await page.getByTestId('client-add-bank').click();
    const dialog = page.getByTestId('bank-dialog');
    await dialog.getByTestId('bank-iban').fill('ES91 2100 0418 4502 0005 1333');
    await expect(dialog.locator('#bank-iban-error')).toBeVisible();
    await app.screenshot('clients-bank-invalid');
    await dialog.getByTestId('bank-iban').fill('ES91 2100 0418 4502 0005 1332');
    await expect(dialog.locator('#bank-iban-error')).toHaveCount(0);
    await dialog.getByTestId('bank-save').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('client-bank-accounts')).toContainText('ES9121000418450200051332');
    // Whoever added the account is offered no Verify (the engine would refuse it); another officer verifies it.
    await expect(page.getByTestId('bank-verify')).toHaveCount(0);
    const accounts = await app.engineCall<Array<{ id: string }>>('clients:bankAccounts:list', { clientId: (await app.engineCall<{ items: Array<{ id: string }> }>('clients:list', { limit: 1 })).data!.items[0]!.id });
    await checker('clients:bankAccounts:verify', { bankAccountId: accounts.data![0]!.id, evidence: 'Bank statement of 2026-10 shows the holder name' });
    await page.getByTestId('client-back').click();
    await page.getByTestId('client-row').first().click();
    await expect(page.getByTestId('client-bank-accounts')).toContainText('verified');
  });

  await test.step('a wallet becomes the client’s', async () => {
    const wallet = await app.engineCall('wallets:create', { chain: 'tron', label: 'María García Tron' });
    expect(wallet.ok).toBe(true);
    await page.getByTestId('client-associate-wallet').click();
    const dialog = page.getByTestId('associate-dialog');
    await dialog.getByTestId('associate-search').fill('María');
    await dialog.getByTestId('associate-wallet').selectOption({ index: 0 });
    await dialog.getByTestId('associate-submit').click();
    await expect(page.getByTestId('client-wallets')).toContainText('María García Tron');
    await app.screenshot('clients-detail');
  });

  await test.step('the list finds the client by name and KYC status', async () => {
    await page.getByTestId('client-back').click();
    await page.getByTestId('clients-filter-kyc').selectOption('verified');
    await expect(page.getByTestId('client-row')).toHaveCount(1);
    await page.getByTestId('clients-filter-kyc').selectOption('draft');
    await expect(page.getByText('No client matches these filters')).toBeVisible();
    await page.getByTestId('clients-filter-kyc').selectOption('');
    // Sealed at rest, found by whole values through keyed hashes: name words in any order and accents, the email.
    await page.getByTestId('clients-search').fill('garcia MARÍA');
    await expect(page.getByTestId('client-row')).toHaveCount(1);
    await page.getByTestId('clients-search').fill('maria.garcia@example.es');
    await expect(page.getByTestId('client-row')).toHaveCount(1);
    await page.getByTestId('clients-search').fill('');
    await app.screenshot('clients-list');
  });

  await test.step('the relationship is closed; erasure waits for the retention period, said in words', async () => {
    await page.getByTestId('client-row').first().click();
    await page.getByTestId('client-close').click();
    await page.getByTestId('reason-text').fill('The client moved abroad and asked to close');
    await page.getByTestId('reason-submit').click();
    await expect(page.getByTestId('client-relationship')).toContainText('Closed on');
    await page.getByTestId('client-request-erasure').click();
    await page.getByTestId('reason-text').fill('The client asked to be forgotten');
    await page.getByTestId('reason-submit').click();
    await expect(page.getByRole('alert')).toContainText("The client's records are kept 5 years after closing, until");
    await page.keyboard.press('Escape');
    await app.screenshot('clients-relationship-closed');
  });
});
