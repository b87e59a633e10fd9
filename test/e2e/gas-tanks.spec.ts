import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEvmDevnet } from '@test/devnet/evm';
import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';
import { checkScreen } from './support/officer-text';

const FOLDER = 'test-results/gas-tanks';
const USDT = (tokens: number) => BigInt(tokens) * 10n ** 6n;

test('gas tanks: each chain shows its address with a QR code, its threshold, and a Sweep now', async ({ officer: app }) => {
  const page = app.page;
  await expect(page.getByTestId('screen-dashboard')).toBeVisible();
  const polygon = page.getByTestId('gas-tank-polygon');
  await expect(polygon).toBeVisible();

  await test.step('the address to top up, as text and as a QR code', async () => {
    const address = (await page.getByTestId('gas-tank-polygon-address').textContent())!.trim();
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    await expect(polygon.getByRole('img', { name: `QR code of ${address}` })).toBeVisible();
    const tron = (await page.getByTestId('gas-tank-tron-address').textContent())!.trim();
    expect(tron).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    await expect(page.getByTestId('gas-tank-tron').getByRole('img', { name: `QR code of ${tron}` })).toBeVisible();
  });

  await test.step('threshold in coins, never base units; what it covers said in words', async () => {
    await expect(polygon.getByText(/^5(\.00)? POL$/)).toBeVisible();
    await expect(polygon).not.toContainText('5000000000000000000');
    await expect(page.getByTestId('gas-tank-polygon-covers')).toHaveText('not known before its first funding');
    await app.screenshot('gas-tanks');
  });

  await test.step('the threshold is changed in coins, and nonsense is refused in words', async () => {
    await page.getByTestId('gas-tank-polygon-threshold-change').click();
    await page.getByTestId('gas-tank-polygon-threshold-input').fill('two');
    await page.getByTestId('gas-tank-polygon-threshold-save').click();
    await expect(polygon.getByRole('alert')).toHaveText('Give an amount of POL, such as 2.5.');
    await page.getByTestId('gas-tank-polygon-threshold-input').fill('2.5');
    await page.getByTestId('gas-tank-polygon-threshold-save').click();
    await expect(polygon.getByText(/^2\.50 POL$/)).toBeVisible();
    const saved = await app.engineCall<{ chains: { polygon: { gasTankThreshold: string } } }>('configuration:get', {});
    expect(saved.data!.chains.polygon.gasTankThreshold).toBe('2500000000000000000');
  });

  await test.step('Sweep now for a chain with nothing confirmed to sweep says so', async () => {
    await page.getByTestId('gas-tank-polygon-sweep-now').click();
    await expect(polygon.getByRole('status')).toHaveText('Nothing to sweep on Polygon right now.');
  });

  await test.step('Sweep now for one wallet, from its deposit address', async () => {
    const wallets = new WalletsPage(app);
    await wallets.open();
    await wallets.create('polygon', 'Sweep me');
    await page.getByTestId('wallet-sweep-now').click();
    await expect(page.getByTestId('wallet-sweep-now-result')).toHaveText('Nothing to sweep at this address right now.');
  });
});

/**
 * On a Polygon devnet: the gas tank card with its Reclaim gas change control, an unidentified deposit with its
 * "Return to the sender" choice, and the Activity feed, each read for what an officer must never see and saved
 * at both workstation sizes (the card alone too).
 */
test('gas tanks on the devnet: the card, Unidentified funds and Activity read in officer words at 1440x900 and 1280x720', async ({ officer: app }) => {
  test.setTimeout(180_000);
  const page = app.page;
  const devnet = await startEvmDevnet({ chain: 'polygon' });
  try {
    const call = async <T,>(channel: string, request: unknown): Promise<T> => {
      const result = await app.engineCall<T>(channel, request);
      expect(result.ok, `${channel}: ${result.error?.message}`).toBe(true);
      return result.data!;
    };
    await app.goTo('settings');
    await page.getByTestId('settings-rpc-polygon').fill(devnet.url);
    await page.getByTestId('settings-save-polygon').click();
    await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 20_000 });

    // A wallet closed before anything arrives: its coins become an unidentified fund.
    const closed = await call<{ id: string; address: string }>('wallets:create', { chain: 'polygon', label: 'Closed market maker' });
    await call('wallets:setStatus', { walletId: closed.id, status: 'closed' });
    await devnet.mintToken('USDT', closed.address, USDT(120));
    // And a live wallet's deposit, so the Activity feed has a row to read.
    const live = await call<{ id: string; address: string }>('wallets:create', { chain: 'polygon', label: 'Lucía Romero — Polygon USDT' });
    await devnet.mintToken('USDT', live.address, USDT(250));
    await expect
      .poll(async () => (await call<Array<{ id: string }>>('wallets:unidentifiedFunds', { limit: 10 })).length, { timeout: 45_000, intervals: [1_000] })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await call<{ items: unknown[] }>('activity:list', { types: ['deposit'], limit: 10 })).items.length, { timeout: 45_000, intervals: [1_000] })
      .toBeGreaterThan(0);

    await test.step('the Polygon gas tank card with Reclaim gas change', async () => {
      await app.goTo('dashboard');
      const card = page.getByTestId('gas-tank-polygon');
      await expect(card).toBeVisible();
      await page.getByTestId('gas-tank-polygon-reclaim').click();
      await expect(page.getByTestId('gas-tank-polygon-reclaim-result')).toHaveText('No gas change to reclaim on Polygon.');
      await card.scrollIntoViewIfNeeded();
      await checkScreen(page, 'gas-tank-dashboard', FOLDER);
      for (const [width, height] of [[1440, 900], [1280, 720]] as const) {
        await page.setViewportSize({ width, height });
        await page.getByTestId('dashboard-gas').screenshot({ path: `${FOLDER}/gas-tank-card-${width}.png` });
      }
    });

    await test.step('Unidentified funds: the closed wallet’s coins, with the ways back', async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await app.goTo('wallets');
      const table = page.getByTestId('unidentified-funds');
      await expect(table).toContainText('120');
      // A short wallet list is only as tall as its rows: the card starts above the fold.
      await expect(page.getByRole('heading', { name: 'Unidentified funds' })).toBeInViewport();
      await checkScreen(page, 'wallets-short-list', FOLDER);
      await table.scrollIntoViewIfNeeded();
      await checkScreen(page, 'unidentified-funds', FOLDER);
      await expect(table).toContainText(/return to the sender/i);
      // The whole prefilled return address is readable in its field, none of it scrolled out of sight.
      const returnTo = table.getByLabel('Address to return the funds to').first();
      await expect(returnTo).toHaveValue(/^0x[0-9a-fA-F]{40}$/);
      expect(await returnTo.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    });

    await test.step('Activity: the feed across wallets', async () => {
      await app.goTo('activity');
      await expect(page.getByTestId('activity-row').first()).toContainText('250.00');
      await checkScreen(page, 'activity', FOLDER);
    });
    await test.step('Audit: a file that is not a bundle gives findings in words, the code only as a reference', async () => {
      const notABundle = join(mkdtempSync(join(tmpdir(), 'treasury-e2e-')), 'bundle.tar');
      writeFileSync(notABundle, 'not a tar archive, just words');
      await app.goTo('audit');
      await page.getByLabel('Bundle file (absolute path)').fill(notABundle);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      const findings = page.getByTestId('audit-findings');
      await expect(page.getByText('The bundle did not verify: 1 finding.')).toBeVisible();
      await expect(findings).toContainText('The file is not an audit bundle, or has no table of contents.');
      await expect(findings.locator('li').first()).toHaveAttribute('data-code', 'manifest_missing');
      await expect(findings.locator('strong').first()).not.toContainText('manifest_missing');
      await findings.scrollIntoViewIfNeeded();
      await checkScreen(page, 'audit-findings', FOLDER);
    });
  } finally {
    await devnet.stop();
  }
});
