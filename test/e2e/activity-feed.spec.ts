import { readFileSync } from 'node:fs';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import type { ActivityItem } from '@shared/domain/activity';
import type { Page } from '@shared/domain/ledger';
import { expect, test } from './support/fixtures';
import { checkScreen } from './support/officer-text';

const USDT = (tokens: number) => BigInt(tokens) * 10n ** 6n;
const FOLDER = 'test-results/activity-feed';

/**
 * The activity feed across wallets: two real deposits on the Polygon devnet, an internal transfer and a credit
 * request, listed newest first in words; filtered by type and client; the filtered view downloaded as CSV and
 * read back; a movement made behind the screen's back appears without a reload; Ctrl+K finds a deposit by hash.
 */
test('activity feed: filters, CSV of the view, live rows, and Ctrl+K finds a deposit by its hash', async ({ officer: app }) => {
  test.setTimeout(240_000);
  const page = app.page;
  let devnet: EvmDevnet | undefined;
  try {
    devnet = await startEvmDevnet({ chain: 'polygon' });
    const chain = devnet;
    await app.goTo('settings');
    await page.getByTestId('settings-rpc-polygon').fill(chain.url);
    await page.getByTestId('settings-save-polygon').click();
    await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 20_000 });

    const call = async <T,>(channel: string, request: unknown): Promise<T> => {
      const result = await app.engineCall<T>(channel, request);
      expect(result.ok, `${channel}: ${result.error?.message}`).toBe(true);
      return result.data!;
    };
    const client = await call<{ id: string }>('clients:create', { legalName: 'Lucía Romero Gil' });
    const lucia = await call<{ id: string; address: string }>('wallets:create', { chain: 'polygon', label: 'Lucía Romero — Polygon USDT' });
    await call('clients:wallets:associate', { clientId: client.id, walletId: lucia.id });
    const payroll = await call<{ id: string; address: string }>('wallets:create', { chain: 'polygon', label: 'Company payroll float' });
    const operations = await call<{ id: string }>('wallets:create', { chain: 'polygon', label: 'Treasury operations' });

    await test.step('two deposits confirm on the devnet', async () => {
      await chain.mintToken('USDT', lucia.address, USDT(500));
      await chain.mintToken('USDT', payroll.address, USDT(120));
      await expect
        .poll(async () => (await call<Page<ActivityItem>>('activity:list', { types: ['deposit'], limit: 10 })).items.length, { timeout: 45_000 })
        .toBe(2);
      await chain.mine(4);
      await expect
        .poll(async () => (await call<Page<ActivityItem>>('activity:list', { types: ['deposit'], limit: 10 })).items.every((d) => d.status === 'confirmed'), { timeout: 45_000 })
        .toBe(true);
      // Each confirmed deposit starts its sweep (it waits: this devnet has no holding wallet yet).
      await expect
        .poll(async () => (await call<Page<ActivityItem>>('activity:list', { types: ['sweep'], limit: 10 })).items.length, { timeout: 45_000 })
        .toBe(2);
    });
    await call('transfers:internal', { idempotencyKey: 'payroll-to-ops-1', fromWalletId: payroll.id, toWalletId: operations.id, assetId: 'polygon:USDT', amount: USDT(20).toString() });
    await call('transfers:companyCredit', { idempotencyKey: 'credit-ops-1', walletId: operations.id, assetId: 'polygon:USDT', amount: '1250000', reason: 'goodwill after a delayed payout' });

    const rows = page.getByTestId('activity-row');
    await test.step('the feed lists every movement across the wallets, in words', async () => {
      await app.goTo('activity');
      await expect(rows).toHaveCount(6);
      await expect(rows.filter({ hasText: 'Sweep' })).toHaveCount(2);
      await expect(rows.first()).toContainText('Manual credit');
      await expect(rows.first().getByRole('cell').nth(2)).toContainText('Company');
      await expect(rows.first().getByRole('cell').nth(2)).toContainText('Treasury operations');
      await expect(rows.first()).toContainText('1.25 USDT');
      await expect(rows.filter({ hasText: 'Deposit' }).filter({ hasText: 'Lucía Romero Gil' })).toContainText('Lucía Romero — Polygon USDT');
      await expect(page.getByTestId('activity-table')).toContainText('Internal transfer');
      await expect(page.getByTestId('activity-table')).toContainText('Company payroll float → Treasury operations');
      await expect(page.getByTestId('activity-table')).toContainText('500.00 USDT');
      await expect(page.getByTestId('activity-table')).toContainText('USDT on Polygon');
      await checkScreen(page, '01-activity-all', FOLDER);
    });

    await test.step('a movement made elsewhere appears without a reload', async () => {
      await call('transfers:internal', { idempotencyKey: 'payroll-to-ops-2', fromWalletId: payroll.id, toWalletId: operations.id, assetId: 'polygon:USDT', amount: USDT(7).toString() });
      await expect(rows).toHaveCount(7);
      await expect(rows.first()).toContainText('7.00 USDT');
    });

    await test.step('filters: by type, then by client; CSV downloads exactly the filtered view', async () => {
      await page.getByTestId('activity-type').selectOption({ label: 'Deposit' });
      await expect(rows).toHaveCount(2);
      await page.getByTestId('activity-client').selectOption({ label: 'Lucía Romero Gil' });
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('500.00 USDT');
      await checkScreen(page, '02-activity-filtered', FOLDER);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-export').click()]);
      expect(download.suggestedFilename()).toMatch(/^treasury-devnet-activity-\d{4}-\d{2}-\d{2}\.csv$/);
      const lines = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
      expect(lines[0]).toBe('network,date,type,client,wallet,to_wallet,chain,asset,amount,status,tx_hash,id');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(',Deposit,Lucía Romero Gil,Lucía Romero — Polygon USDT,,Polygon,USDT,500,confirmed,0x');
      await expect(page.getByTestId('activity-exported')).toContainText('1 movement saved as');
      // The whole view, not only what is on screen: the unfiltered CSV holds all seven.
      await page.getByTestId('activity-clear').click();
      await expect(rows).toHaveCount(7);
      const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-export').click()]);
      expect(readFileSync((await all.path())!, 'utf8').trim().split('\r\n')).toHaveLength(8);
    });

    await test.step('Ctrl+K finds the deposit by the start of its hash and opens its wallet', async () => {
      const deposits = await call<Page<ActivityItem>>('activity:list', { types: ['deposit'], clientId: client.id, limit: 5 });
      const hash = deposits.items[0]!.txHash!;
      await page.keyboard.press('Control+k');
      const palette = page.getByTestId('command-palette');
      await palette.getByTestId('palette-input').fill(hash.slice(0, 12));
      await expect(palette).toContainText('Transactions');
      await expect(palette.getByTestId('palette-hit').first()).toContainText('Deposit of 500.00 USDT');
      await checkScreen(page, '03-palette-deposit-by-hash', FOLDER);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('wallet-label')).toHaveText('Lucía Romero — Polygon USDT');
      // A feed row opens its wallet too.
      await app.goTo('activity');
      await rows.filter({ hasText: 'Internal transfer' }).first().click();
      await expect(page.getByTestId('wallet-label')).toHaveText('Company payroll float');
    });
  } finally {
    await devnet?.stop();
  }
});
