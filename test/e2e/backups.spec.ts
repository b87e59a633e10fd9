import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess } from './support/host-process';
import { PASSPHRASE, expect, test } from './support/fixtures';

/** Known words, so the workstation that is "lost" can be rebuilt from what an officer wrote down. */
const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art';

const backupSettings = (folder: string) => ({ folders: [folder], intervalMinutes: 60, keepHourlyHours: 48, keepDailyDays: 30, keepMonthlyMonths: 12 });

test('the dashboard shows the last good backup of the books, red until there is one', async ({ officer }) => {
  const page = officer.page;
  const folder = mkdtempSync(join(tmpdir(), 'treasury-e2e-backups-'));
  try {
    await test.step('no folder chosen: the card says the books are not backed up', async () => {
      await expect(page.getByTestId('dashboard-backup')).toHaveClass(/card--alert/);
      await expect(page.getByTestId('backup-last')).toContainText('No backup folder chosen');
    });
    await test.step('Settings → Backups: a folder is chosen', async () => {
      await officer.goTo('settings');
      await page.getByTestId('backup-folders').fill(folder);
      await page.getByTestId('books-backup-save').click();
      await expect(page.getByTestId('settings-backups').getByText('Saved.')).toBeVisible();
      await page.getByTestId('settings-backups').screenshot({ path: 'test-results/screens/settings-backups.png' });
    });
    await test.step('back up now: the card shows the last good backup, no longer red', async () => {
      await officer.goTo('dashboard');
      await page.getByTestId('backup-now').click();
      await expect(page.getByTestId('backup-last')).toContainText('Last good backup', { timeout: 20_000 });
      await expect(page.getByTestId('dashboard-backup')).not.toHaveClass(/card--alert/);
      await expect(page.getByTestId('backup-health')).toHaveText('up to date');
      expect(readdirSync(folder).filter((f) => f.endsWith('.tbak'))).toHaveLength(1);
      await officer.screenshot('dashboard-backup');
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a fresh data folder restores the books from a backup in the window, then the seed from the words', async ({ app }) => {
  const page = app.page;
  const folder = mkdtempSync(join(tmpdir(), 'treasury-e2e-backups-'));
  let fresh: Awaited<ReturnType<typeof startHostProcess>> | null = null;
  try {
    await test.step('the first workstation: seed from known words, a wallet, a backup', async () => {
      await page.getByRole('button', { name: 'Restore from recovery words…' }).click();
      await page.getByTestId('restore-seed-words').fill(WORDS);
      await page.getByTestId('restore-seed-passphrase').fill(PASSPHRASE);
      await page.getByTestId('restore-seed-submit').click();
      await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
      expect((await app.engineCall('wallets:create', { chain: 'polygon', label: 'Restored Client Ltd' })).ok).toBe(true);
      expect((await app.engineCall('backups:updateSettings', backupSettings(folder))).ok).toBe(true);
      expect((await app.engineCall('backups:run', {})).ok).toBe(true);
    });

    await test.step('a new workstation: the gate restores the books from the backup folder', async () => {
      fresh = await startHostProcess();
      await page.goto(fresh.openUrl);
      await page.getByTestId('custody-restore-books').click();
      await page.getByTestId('restore-folder').fill(folder);
      await page.getByTestId('restore-list').click();
      await expect(page.getByTestId('restore-file')).toBeVisible();
      await page.getByTestId('restore-words').fill(WORDS);
      await page.getByTestId('restore-check').click();
      await expect(page.getByTestId('restore-integrity')).toHaveText('Audit chain and ledger verified', { timeout: 20_000 });
      await app.screenshot('restore-preview');
      await page.getByTestId('restore-confirm').fill('RESTORE');
      await page.getByTestId('restore-submit').click();
      await expect(page.getByTestId('restore-reopening')).toBeVisible({ timeout: 20_000 });
    });

    await test.step('the restored operator signs in and restores the seed; the books are there', async () => {
      await expect(page.getByRole('heading', { name: 'Unlock custody' })).toBeVisible({ timeout: 20_000 });
      await page.getByTestId('custody-passphrase').fill(PASSPHRASE);
      await page.getByTestId('custody-unlock').click();
      await expect(page.getByRole('heading', { name: 'Restore custody' })).toBeVisible({ timeout: 20_000 });
      await page.getByTestId('restore-seed-words').fill(WORDS);
      await page.getByTestId('restore-seed-passphrase').fill(PASSPHRASE);
      await page.getByTestId('restore-seed-submit').click();
      await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId('backup-last')).toContainText('Last good backup');
      await page.getByTestId('nav-wallets').click();
      await expect(page.getByText('Restored Client Ltd')).toBeVisible();
    });
  } finally {
    await (fresh as { stop(): Promise<void> } | null)?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
