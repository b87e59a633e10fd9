import { topUpCompanyPol } from './support/company-gas';
import { secondOperator } from './support/second-operator';
import { approveNewestAndOpenSigning } from './support/operator-window';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { startEvmDevnet } from '@test/devnet/evm';
import { startHostProcess, type HostProcess } from './support/host-process';
import { expect, test, TreasuryApp } from './support/fixtures';

const APPROVER = { name: 'ana.ruiz', passphrase: 'a long approver passphrase' };
const EXTERNAL = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const ANOTHER_LEDGER = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

async function call<T>(app: TreasuryApp, channel: string, request: unknown): Promise<T> {
  const result = await app.engineCall<T>(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.data!;
}

/**
 * The holding wallet is registered from one Ledger; the workstation restarts with another one plugged
 * in (another recovery phrase). Signing stops before anything is signed, and the dialog names the
 * state and what to do, instead of a code.
 */
test('signing with a different Ledger: the dialog names it and nothing is signed', async ({ browser }) => {
  test.setTimeout(150_000);
  const home = mkdtempSync(join(tmpdir(), 'treasury-e2e-ledger-'));
  const devnet = await startEvmDevnet({ chain: 'polygon' });
  let host: HostProcess | undefined;
  try {
    host = await startHostProcess({}, { home });
    const admin = new TreasuryApp(await browser.newPage(), host);
    await admin.open();
    await admin.setUpCustody();
    await call(admin, 'configuration:update', { chain: 'polygon', rpcUrl: devnet.url });
    const holding = await call<{ address: string }>(admin, 'holding:register', { chain: 'polygon', account: 0 });
    await devnet.setNativeBalance(holding.address, 10n ** 20n);
    // Network fees are paid from the company's own POL: it sends 1 POL from outside, which the watcher books as reserve.
    await topUpCompanyPol(admin, devnet, holding.address);
    await devnet.mintToken('USDT', holding.address, 1_000_000_000n);
    const wallet = await call<WalletView>(admin, 'wallets:create', { chain: 'polygon', label: 'Ledger states' });
    // A company credit is booked once a second operator approves it (four eyes).
    const credit = await call<{ id: string }>(admin, 'transfers:companyCredit', { idempotencyKey: 'e2e-ledger-funding', walletId: wallet.id, assetId: 'polygon:USDT', amount: '500000000', reason: 'Funding' });
    const creditApprover = await secondOperator(admin, 'credit-approver', 'approver');
    await creditApprover('transfers:approveCompanyCredit', { creditId: credit.id });
    await call(admin, 'system:operators:create', { name: APPROVER.name, role: 'approver', passphrase: APPROVER.passphrase });
    await call<WithdrawalView>(admin, 'withdrawals:request', {
      idempotencyKey: 'e2e-ledger-withdrawal',
      walletId: wallet.id,
      assetId: 'polygon:USDT',
      amount: '25000000',
      destination: EXTERNAL,
    });
    await admin.page.close();
    await host.stop();

    // the same workstation, another Ledger on the USB port
    host = await startHostProcess({ TREASURY_DEVNET_LEDGER_MNEMONIC: ANOTHER_LEDGER }, { home });
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(host.openUrl);
    await page.getByTestId('custody-operator').fill(APPROVER.name);
    await page.getByTestId('custody-passphrase').fill(APPROVER.passphrase);
    await page.getByTestId('custody-unlock').click();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
    const signing = await approveNewestAndOpenSigning(page);
    await signing.getByTestId('signing-start').click();

    const problem = signing.getByTestId('device-problem');
    await expect(problem).toHaveAttribute('data-reason', 'different-device', { timeout: 30_000 });
    await expect(problem).toContainText('A different Ledger is connected');
    await expect(problem).toContainText('Connect the Ledger the holding wallet was registered from');
    await expect(problem).not.toContainText(/0x6|signer:/);
    await page.screenshot({ path: 'test-results/screens/ledger-different-device.png' });

    await signing.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('withdrawal-state')).toHaveText('Ready to sign');
  } finally {
    await host?.stop();
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
