import type { ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import { verifiedClientThroughEngine } from './pages/clients';
import { expect, test, type TreasuryApp } from './support/fixtures';
import { secondOperator } from './support/second-operator';
import { walkOnRampToCompletion } from './pages/ramps';

/** A verified client with a Polygon wallet, made through the engine (the Clients spec covers the screens). */
async function verifiedClientWithWallet(app: TreasuryApp): Promise<{ client: ClientView; wallet: WalletView }> {
  const call = <T>(channel: string, request: unknown) => app.engineData<T>(channel, request);
  // Four eyes: another officer verifies what the admin submitted.
  const client = await verifiedClientThroughEngine(app, await secondOperator(app, 'kyc.checker', 'officer'), {
    legalName: 'Joan Ferrer Puig',
    dateOfBirth: '1979-02-11',
    email: 'joan.ferrer@example.es',
    phone: '+34 622 111 333',
    address: { line1: 'Carrer de Mallorca 401', city: 'Barcelona', postalCode: '08013' },
    passport: 'BCA987654',
  });
  const wallet = await call<WalletView>('wallets:create', { chain: 'polygon', label: 'Joan Ferrer Polygon' });
  await call('clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
  await call('ramps:settings:setReceivingAccount', {
    rail: 'sepa',
    beneficiary: 'Treasury Operations SL',
    account: { iban: 'ES7921000813610123456789' },
  });
  return { client, wallet };
}

test('on-ramp: instructions, fiat received, verified, quoted, credited, completed; the wallet shows the credit', async ({ officer: app }) => {
  const page = app.page;
  await verifiedClientWithWallet(app);
  await app.goTo('ramps');
  await test.step('an empty pipeline', async () => {
    await expect(page.getByText('No on-ramps here')).toBeVisible();
  });
  await test.step('request: payment instructions are issued', async () => {
    await page.getByTestId('onramp-new').click();
    const dialog = page.getByTestId('ramp-action-dialog');
    await dialog.getByTestId('onramp-client').selectOption({ label: 'Joan Ferrer Puig' });
    await dialog.getByTestId('onramp-wallet').selectOption({ label: 'Joan Ferrer Polygon · Polygon' });
    await dialog.getByTestId('onramp-asset').selectOption('polygon:USDT');
    await dialog.getByTestId('onramp-amount').fill('1000.005');
    await expect(dialog.locator('#onramp-amount-error')).toBeVisible();
    await dialog.getByTestId('onramp-amount').fill('1000');
    await dialog.getByTestId('ramp-action-submit').click();
    await expect(dialog.getByTestId('ramp-action-submit-review')).toContainText('EUR 1,000.00');
    await dialog.getByTestId('ramp-action-submit').click();
    await expect(page.getByTestId('ramp-action-dialog')).toContainText('record the fiat received');
    await expect(page.getByTestId('ramp-action-dialog')).toContainText('Treasury Operations SL');
    await app.screenshot('ramps-onramp-instructions');
  });
  await test.step('walk the pipeline with the officer’s next action at each state', async () => {
    const dialog = page.getByTestId('ramp-action-dialog');
    await walkOnRampToCompletion(dialog, await secondOperator(app, 'onramp.checker', 'approver'));
    await app.screenshot('ramps-onramp-completed');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('onramp-row')).toContainText('completed');
    await app.screenshot('ramps-onramps');
  });
  await test.step('the client wallet holds the credited crypto', async () => {
    await app.goTo('wallets');
    await page.getByTestId('wallet-row').filter({ hasText: 'Joan Ferrer Polygon' }).click();
    await expect(page.getByTestId('available-polygon:USDT')).toHaveText('1,074.60 USDT');
  });
});
