import { topUpCompanyPol } from './support/company-gas';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import type { WalletView } from '@shared/domain/wallets';
import { verifiedClientThroughEngine } from './pages/clients';
import { expect, test } from './support/fixtures';
import { checkScreen } from './support/officer-text';
import { secondOperator } from './support/second-operator';

const EXTERNAL = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const FOLDER = 'test-results/review-steps';

/**
 * Money moves only after the officer has checked it: the withdrawal's review carries the engine's fee quote (and
 * says what to top up when the company cannot pay the network fee), and the ramps that move money review the
 * client, the amounts and the bank account by name first. Every review is checked for what an officer must not
 * read and saved at 1440x900 and 1280x720.
 */
test('review steps: the withdrawal fee quote and top-up, the on-ramp request and credit, the off-ramp request', async ({ officer: app }) => {
  test.setTimeout(240_000);
  const page = app.page;
  await page.setViewportSize({ width: 1440, height: 900 });
  let devnet: EvmDevnet | undefined;
  try {
    devnet = await startEvmDevnet({ chain: 'polygon' });
    const chain = devnet;
    let holding = '';
    let checker: Awaited<ReturnType<typeof secondOperator>> | undefined;
    let clientId = '';
    let walletId = '';

    await test.step('a verified client with a verified bank account and a funded Polygon wallet; prices and a client fee', async () => {
      await app.engineData('configuration:update', { chain: 'polygon', rpcUrl: chain.url });
      checker = await secondOperator(app, 'kyc.checker', 'officer');
      const client = await verifiedClientThroughEngine(app, checker, {
        legalName: 'Joan Ferrer Puig',
        dateOfBirth: '1979-02-11',
        email: 'joan.ferrer@example.es',
        phone: '+34 622 111 333',
        address: { line1: 'Carrer de Mallorca 401', city: 'Barcelona', postalCode: '08013' },
        passport: 'BCA987654',
      });
      const account = await app.engineData<{ id: string }>('clients:bankAccounts:add', { clientId: client.id, account: { rail: 'sepa', holderName: 'Joan Ferrer Puig', iban: 'ES9121000418450200051332' } });
      await checker('clients:bankAccounts:verify', { bankAccountId: account.id, evidence: 'Statement of October shows the holder' });
      const wallet = await app.engineData<WalletView>('wallets:create', { chain: 'polygon', label: 'Joan Ferrer Polygon' });
      await app.engineData('clients:wallets:associate', { clientId: client.id, walletId: wallet.id });
      clientId = client.id;
      walletId = wallet.id;
      await app.engineData('ramps:settings:setOffRampDestination', { chain: 'polygon', address: EXTERNAL });
      await app.engineData('ramps:settings:setReceivingAccount', { rail: 'sepa', beneficiary: 'Treasury Operations SL', account: { iban: 'ES7921000813610123456789' } });
      const funding = await app.engineData<{ id: string }>('transfers:companyCredit', { idempotencyKey: 'e2e-review-funding', walletId: wallet.id, assetId: 'polygon:USDT', amount: '800000000', reason: 'Opening balance for the review test' });
      await (await secondOperator(app, 'credit.approver', 'approver'))('transfers:approveCompanyCredit', { creditId: funding.id });
      holding = (await app.engineData<{ address: string }>('holding:register', { chain: 'polygon', account: 0 })).address;
      await chain.mintToken('USDT', holding, 10_000n * 10n ** 6n);
      // Far less POL than one token transfer's fee.
      await chain.setNativeBalance(holding, 10n ** 12n);
      await app.engineData('withdrawals:feeScheduleSet', { assetId: 'polygon:USDT', rule: { fixed: '1000000', percent: '0', mode: 'on_top' } });
      await app.engineData('valuation:setPrices', { prices: [{ assetId: 'polygon:POL', currency: 'USD', rate: '0.25' }] });
    });

    const dialog = page.getByTestId('withdrawal-request-dialog');
    await test.step('withdrawal review: the company cannot pay the network fee, and is told what to send', async () => {
      await app.goTo('withdrawals');
      await page.getByTestId('withdrawals-new').click();
      await dialog.getByTestId('withdrawal-wallet-search').fill('Joan');
      await expect(dialog.getByTestId('withdrawal-wallet').locator('option')).toHaveText([/Joan Ferrer Polygon/]);
      await dialog.getByTestId('withdrawal-wallet').selectOption({ index: 0 });
      await dialog.getByTestId('withdrawal-amount').fill('120.50');
      await dialog.getByTestId('withdrawal-destination').fill(EXTERNAL);
      await dialog.getByTestId('withdrawal-submit').click();
      const shortfall = dialog.getByTestId('withdrawal-quote-shortfall');
      await expect(shortfall).toContainText(/The company cannot cover the network fee yet: top up 0\.\d{2,4} POL to the holding wallet on Polygon/, { timeout: 20_000 });
      await expect(dialog.getByTestId('withdrawal-submit')).toBeDisabled();
      await checkScreen(page, 'withdrawal-review-top-up', FOLDER);
    });

    await test.step('after the top-up the review quotes client fee, net amount and network fee in POL and USD', async () => {
      // The company's own POL, booked as company reserve by the watcher: network fees are paid from it alone.
      await topUpCompanyPol(app, chain, holding);
      await dialog.getByTestId('withdrawal-submit-back').click();
      await dialog.getByTestId('withdrawal-submit').click();
      const review = dialog.getByTestId('withdrawal-submit-review');
      await expect(review.getByTestId('withdrawal-quote-network-fee')).toContainText(/^up to 0\.\d{4} POL \(less than 0\.01 USD\), paid by the company/, { timeout: 20_000 });
      await expect(review.getByTestId('withdrawal-quote-client-fee')).toHaveText('1.00 USDT on top of the amount');
      await expect(review.getByTestId('withdrawal-quote-net')).toHaveText('120.50 USDT at the destination');
      await expect(review).toContainText('121.50 USDT');
      await expect(dialog.getByTestId('withdrawal-quote-shortfall')).toHaveCount(0);
      await checkScreen(page, 'withdrawal-review-quote', FOLDER);
      await dialog.getByTestId('withdrawal-submit').click();
      await expect(page.getByTestId('withdrawal-detail')).toBeVisible({ timeout: 20_000 });
      await page.keyboard.press('Escape');
    });

    const ramp = page.getByTestId('ramp-action-dialog');
    const submit = ramp.getByTestId('ramp-action-submit');
    const rampReview = ramp.getByTestId('ramp-action-submit-review');
    await test.step('on-ramp request: reviewed by client, wallet, asset and amount before the instructions go out', async () => {
      await app.goTo('ramps');
      await page.getByTestId('onramp-new').click();
      await ramp.getByTestId('onramp-client').selectOption({ label: 'Joan Ferrer Puig' });
      await ramp.getByTestId('onramp-wallet').selectOption({ label: 'Joan Ferrer Polygon · Polygon' });
      await ramp.getByTestId('onramp-asset').selectOption({ label: 'USDT on Polygon' });
      await ramp.getByTestId('onramp-amount').fill('1000');
      await submit.click();
      await expect(rampReview).toContainText('Joan Ferrer Puig');
      await expect(rampReview).toContainText('EUR 1,000.00');
      await expect(rampReview).toContainText('SEPA');
      await expect(ramp.getByTestId('onramp-amount')).toBeHidden();
      await checkScreen(page, 'onramp-request-review', FOLDER);
      await submit.click();
      await expect(ramp).toContainText('record the fiat received');
    });

    await test.step('on-ramp credit: rate, fee, converted amount and the credit in display decimals', async () => {
      await ramp.getByTestId('onramp-bank-reference').fill('SEPA-IN-20261203-0042');
      await ramp.getByTestId('onramp-received').fill('1000.00');
      await submit.click();
      await expect(ramp).toContainText('verify the payment');
      await submit.click();
      await expect(ramp).toContainText('quote');
      await ramp.getByTestId('onramp-rate').fill('1.08');
      await ramp.getByTestId('onramp-fee').fill('5.00');
      await submit.click();
      await expect(ramp).toContainText('credit the client');
      await ramp.getByTestId('onramp-crypto').fill('1074.60');
      await submit.click();
      await expect(rampReview).toContainText('Joan Ferrer Puig');
      await expect(rampReview).toContainText('Joan Ferrer Polygon');
      await expect(rampReview).toContainText('EUR 995.00 at 1.08 USDT per 1 EUR');
      await expect(rampReview).toContainText('1,074.60 USDT');
      await checkScreen(page, 'onramp-credit-review', FOLDER);
      // Back to edit shows the field again with what was typed.
      await ramp.getByTestId('ramp-action-submit-back').click();
      await expect(ramp.getByTestId('onramp-crypto')).toHaveValue('1074.60');
      await submit.click();
      await submit.click();
      // Waiting for a second operator, or done at once when the policy lets this officer credit alone (the title follows the ramp live).
      await expect(ramp.getByTestId('onramp-credit-waiting').or(ramp.getByRole('heading', { name: /: complete$/ })).first()).toBeVisible({ timeout: 20_000 });
      await page.keyboard.press('Escape');
    });

    await test.step('the waiting counter: an on-ramp credit another officer asked for counts, this officer’s own does not', async () => {
      const badge = page.getByTestId('nav-waiting-count');
      // This officer's own credit (if it waits) is not theirs to approve: nothing waits for them yet.
      await expect(badge).toHaveCount(0);
      const other = checker!;
      // More than the holding covers: the credit waits for an approver other than the officer who asked for it.
      const requested = await other<{ id: string }>('ramps:onramp:request', { clientId, walletId, assetId: 'polygon:USDT', currency: 'EUR', amount: '5000000', rail: 'sepa' });
      await other('ramps:onramp:recordFiat', { onRampId: requested.id, bankReference: 'SEPA-IN-20261203-0099', amount: '5000000' });
      await other('ramps:onramp:verify', { onRampId: requested.id });
      const quoted = await other<{ cryptoAmount: string }>('ramps:onramp:quote', { onRampId: requested.id, rate: '1.08', fee: '0' });
      const waiting = await other<{ creditApproval: unknown }>('ramps:onramp:credit', { onRampId: requested.id, cryptoAmount: quoted.cryptoAmount });
      expect(waiting.creditApproval).toBeTruthy();
      // Another window's move reaches this one by its ramp event.
      await expect(badge).toHaveText('1');
      await expect(badge).toHaveAttribute('title', /1 on-ramp credit to approve/);
      await badge.hover();
      await checkScreen(page, 'waiting-count-onramp-credit', FOLDER);
      // Once this officer has approved it, nothing waits for them any more.
      await app.engineData('ramps:onramp:approveCredit', { onRampId: requested.id });
      await expect(badge).toHaveCount(0);
    });

    await test.step('off-ramp request: the bank account by its name, and the payout estimate in words', async () => {
      await page.getByTestId('ramps-tab-off').click();
      await page.getByTestId('offramp-new').click();
      await ramp.getByTestId('offramp-client').selectOption({ label: 'Joan Ferrer Puig' });
      await ramp.getByTestId('offramp-bank').selectOption({ label: 'Joan Ferrer Puig · SEPA ··1332' });
      await ramp.getByTestId('offramp-wallet').selectOption({ label: 'Joan Ferrer Polygon · Polygon' });
      await ramp.getByTestId('offramp-asset').selectOption({ label: 'USDT on Polygon' });
      await ramp.getByTestId('offramp-amount').fill('300');
      await submit.click();
      await expect(rampReview).toContainText('Joan Ferrer Puig · SEPA ··1332');
      await expect(rampReview).toContainText('300.00 USDT');
      // No off-ramp was converted yet: the estimate says why there is none.
      await expect(rampReview).toContainText('No estimate: No off-ramp of USDT into EUR has been converted yet');
      await checkScreen(page, 'offramp-request-review', FOLDER);
      await submit.click();
      await expect(ramp).toContainText('Off-ramp: send the crypto');
      await page.keyboard.press('Escape');
    });

    await test.step('the audit log says what happened, by name', async () => {
      await app.goTo('audit');
      const log = page.getByTestId('audit-log');
      await expect(log).toContainText('Requested a withdrawal');
      await expect(log).toContainText('Issued on-ramp payment instructions');
      await expect(log.getByTestId('audit-entity').filter({ hasText: 'Wallet “Joan Ferrer Polygon”' }).first()).toBeVisible();
      // Credited at once, or asked for a second operator's approval when the credit is not covered on chain yet.
      await expect(log).toContainText(/Asked to credit an on-ramp|Credited an on-ramp to the client’s wallet/);
      await checkScreen(page, 'audit-log', FOLDER);
    });
  } finally {
    await devnet?.stop();
  }
});
