import { readFile } from 'node:fs/promises';
import { PASSPHRASE, TreasuryApp, expect, test } from './support/fixtures';
import { startHostProcess } from './support/host-process';

const SCREENS = ['dashboard', 'clients', 'wallets', 'holding', 'withdrawals', 'ramps', 'audit', 'settings'];

/** A word from the BIP-39 list that is not `word`. */
const otherWord = (word: string) => (word === 'abandon' ? 'ability' : 'abandon');

test('first start shows the recovery words once, checks three of them, and the network band is on every screen', async ({ app }) => {
  const page = app.page;
  const band = page.getByTestId('network-band');
  let words: string[] = [];

  await test.step('the gate shows the network, in the band, the title and the setup text', async () => {
    await expect(band).toContainText('devnet');
    await expect(page).toHaveTitle('Treasury — DEVNET');
    await expect(page.getByTestId('custody-gate')).toContainText('First start of the devnet workspace');
    await expect(page.getByTestId('gate-network-change')).toBeVisible();
    await app.screenshot('network-band-gate');
    await page.getByRole('button', { name: 'Restore from recovery words…' }).click();
    await expect(page.getByTestId('restore-network')).toHaveText('devnet');
    await page.getByRole('button', { name: 'Back' }).click();
  });

  await test.step('after the passphrase, the app does not open before the recovery words', async () => {
    await page.getByTestId('custody-new-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-confirm-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-setup').click();
    await expect(page.getByTestId('recovery-step')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('screen-dashboard')).toHaveCount(0);
    await expect(band).toContainText('devnet');
    await app.screenshot('network-band-recovery-ask');
  });

  await test.step('a reload, or signing out and in again, comes back to the words: they are still owed', async () => {
    await page.reload();
    await expect(page.getByTestId('recovery-step')).toBeVisible({ timeout: 20_000 });
    await page.getByTestId('setup-sign-out').click();
    await expect(page.getByRole('heading', { name: 'Unlock custody' })).toBeVisible();
    await page.getByTestId('custody-passphrase').fill(PASSPHRASE);
    await page.getByTestId('custody-unlock').click();
    await expect(page.getByTestId('recovery-step')).toBeVisible({ timeout: 20_000 });
  });

  await test.step('a wrong passphrase shows no words', async () => {
    await page.getByTestId('recovery-passphrase').fill('not the passphrase');
    await page.getByTestId('recovery-reveal').click();
    await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('recovery-words')).toHaveCount(0);
  });

  await test.step('the 24 words are shown numbered, with the warning', async () => {
    words = await app.revealRecoveryWords(PASSPHRASE);
    expect(words).toHaveLength(24);
    for (const word of words) expect(word).toMatch(/^[a-z]{3,8}$/);
    await expect(page.getByTestId('recovery-word-1')).toContainText('1');
    await expect(page.getByTestId('recovery-word-24')).toContainText(words[23]!);
    const warning = page.getByTestId('recovery-warning');
    await expect(warning).toContainText('controls every deposit address');
    await expect(warning).toContainText('Never photograph them');
    await expect(warning).toContainText('shown this once');
    await app.screenshot('network-band-recovery-words');
  });

  await test.step('a wrong word is refused with its number, and nothing opens', async () => {
    await page.getByTestId('recovery-words-written').click();
    await expect(page.getByTestId('recovery-words')).toHaveCount(0);
    const positions = await app.fillRecoveryCheck(words);
    const wrong = positions[1]!;
    await app.fillRecoveryCheck(words, { [wrong]: otherWord(words[wrong - 1]!) });
    await page.getByTestId('recovery-check-submit').click();
    await expect(page.getByRole('alert')).toContainText(`Word ${wrong} does not match`);
    await expect(page.getByTestId(`recovery-check-${wrong}`)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(`This is not word ${wrong}.`)).toBeVisible();
    await expect(page.getByTestId('screen-dashboard')).toHaveCount(0);
    await app.screenshot('network-band-recovery-check-refused');
    const recovery = await app.engineCall<{ confirmedAt: string | null }>('system:recovery:status', {});
    expect(recovery.data!.confirmedAt).toBeNull();
  });

  await test.step('the right words open the app, and a reload does not ask again', async () => {
    await app.fillRecoveryCheck(words);
    await page.getByTestId('recovery-check-submit').click();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
    await page.reload();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
  });

  await test.step('the words are not shown again', async () => {
    const again = await app.engineCall('system:recovery:reveal', { passphrase: PASSPHRASE });
    expect(again.ok).toBe(false);
  });

  for (const screen of SCREENS) {
    await test.step(`the band says devnet on ${screen}`, async () => {
      await app.goTo(screen);
      await expect(band).toBeVisible();
      await expect(band).toContainText('devnet');
      await expect(page.getByTestId('status-profile')).toHaveText('devnet');
      await expect(page).toHaveTitle('Treasury — DEVNET');
      await app.screenshot(`network-band-${screen}`);
    });
  }

  await test.step('Settings says when the words were confirmed, and by whom', async () => {
    await app.goTo('settings');
    await expect(page.getByTestId('settings-recovery')).toContainText('by admin, by the three-word check');
    await expect(page.getByTestId('settings-network-current')).toHaveText('devnet');
    await expect(page.getByTestId('settings-workspaces')).toContainText('Not created yet');
  });
});

test('Settings saves an encrypted backup of the seed as a file', async ({ officer: app }) => {
  const page = app.page;
  await app.goTo('settings');
  await page.getByTestId('backup-open').click();
  const dialog = page.getByTestId('backup-dialog');
  await expect(dialog).toContainText('backup passphrase');
  await page.getByTestId('backup-passphrase').fill(PASSPHRASE);
  await page.getByTestId('backup-new-passphrase').fill('a separate backup passphrase');
  await page.getByTestId('backup-repeat-passphrase').fill('a separate backup passphrase!');
  await expect(dialog.getByText('The two backup passphrases differ.')).toBeVisible();
  await expect(page.getByTestId('seed-backup-save')).toBeDisabled();
  await page.getByTestId('backup-repeat-passphrase').fill('a separate backup passphrase');
  await app.screenshot('backup-dialog');
  const download = page.waitForEvent('download');
  await page.getByTestId('seed-backup-save').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^treasury-seed-backup-devnet-\d{4}-\d{2}-\d{2}\.json$/);
  const backup = JSON.parse(await readFile((await file.path())!, 'utf8')) as { format: string; fingerprint: string; ciphertext: string };
  expect(backup.format).toBe('treasury-seed-backup');
  const status = await app.engineCall<{ custody: { fingerprint: string } }>('system:status', {});
  expect(backup.fingerprint).toBe(status.data!.custody.fingerprint);
  await expect(page.getByTestId('settings-recovery')).toContainText(`Saved ${file.suggestedFilename()}`);
});

test('a testnet first start confirms the chain endpoints before it watches them', async ({ app }) => {
  const page = app.page;
  await test.step('the gate link opens the testnet workspace at first start', async () => {
    await page.getByTestId('gate-network-change').click();
    await page.getByTestId('switch-network-target').selectOption('testnet');
    await expect(page.getByTestId('switch-network-dialog')).toContainText('There is no testnet workspace yet');
    await page.getByTestId('switch-network-confirm').fill('testnet');
    await page.getByTestId('switch-network-submit').click();
    await expect(page.getByTestId('network-band')).toContainText('testnet', { timeout: 30_000 });
    await expect(page.getByRole('heading', { name: 'Set up custody' })).toBeVisible();
    await expect(page).toHaveTitle('Treasury — TESTNET');
  });
  await test.step('after the recovery words comes the endpoints step', async () => {
    await app.setUpCustody(PASSPHRASE, 'endpoints-step');
    const step = page.getByTestId('endpoints-step');
    await expect(step).toContainText('not watched');
    await expect(page.getByTestId('endpoint-state-polygon')).toContainText('Not confirmed');
    await expect(page.getByTestId('endpoints-done')).toBeDisabled();
    await app.screenshot('network-band-endpoints-step');
  });
  await test.step('each endpoint is confirmed, one as shown and one edited', async () => {
    await page.getByTestId('settings-confirm-polygon').click();
    await expect(page.getByTestId('endpoint-state-polygon')).toContainText('Confirmed');
    await page.getByTestId('settings-rpc-bsc').fill('https://bsc-testnet.example.org');
    await page.getByTestId('settings-confirm-bsc').click();
    await expect(page.getByTestId('endpoint-state-bsc')).toContainText('Confirmed');
    await page.getByTestId('settings-confirm-tron').click();
    await expect(page.getByTestId('endpoint-state-tron')).toContainText('Confirmed');
    const configuration = await app.engineCall<{ chains: Record<string, { rpcUrl: string; endpointConfirmed: boolean }> }>('configuration:get', {});
    expect(configuration.data!.chains.bsc).toMatchObject({ rpcUrl: 'https://bsc-testnet.example.org', endpointConfirmed: true });
    expect(configuration.data!.chains.polygon!.endpointConfirmed).toBe(true);
    await page.getByTestId('endpoints-done').click();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible();
    await expect(page.getByTestId('network-band')).toContainText('testnet');
  });
  await test.step('Settings shows the endpoints as confirmed', async () => {
    await app.goTo('settings');
    await expect(page.getByTestId('endpoint-state-tron')).toContainText('Confirmed');
    await expect(page.getByTestId('settings-confirm-tron')).toHaveCount(0);
    await app.screenshot('network-band-settings-testnet');
  });
});

test('a mainnet first start reads a loopback node only when the officer says it is theirs', async ({ page }) => {
  const host = await startHostProcess({ TREASURY_PROFILE: 'mainnet' });
  try {
    const app = new TreasuryApp(page, host);
    await app.open();
    await expect(page.getByTestId('network-band')).toContainText('mainnet');
    await expect(page).toHaveTitle('Treasury — MAINNET');
    await app.screenshot('network-band-mainnet-gate');
    await app.setUpCustody(PASSPHRASE, 'endpoints-step');
    await page.getByTestId('settings-rpc-polygon').fill('http://127.0.0.1:8545');
    await page.getByTestId('settings-confirm-polygon').click();
    await expect(page.getByRole('alert')).toContainText('This node is ours');
    await expect(page.getByTestId('endpoint-state-polygon')).toContainText('Not confirmed');
    await page.getByTestId('settings-own-node-polygon').check();
    await page.getByTestId('settings-confirm-polygon').click();
    await expect(page.getByTestId('endpoint-state-polygon')).toContainText('Confirmed');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await app.screenshot('network-band-mainnet-endpoints');
    await page.getByTestId('endpoints-later').click();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible();
    await expect(page.getByTestId('network-band')).toContainText('mainnet');
    await app.screenshot('network-band-mainnet-dashboard');
  } finally {
    await host.stop();
  }
});
