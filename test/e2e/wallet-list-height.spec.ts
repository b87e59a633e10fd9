import { expect, test } from './support/fixtures';

const FOLDER = 'test-results/wallet-list-height';

/**
 * The wallet list is as tall as its rows up to the window: two wallets leave no blank area above the
 * Unidentified funds card, sixty scroll inside a list capped at the window and only the rows in sight are drawn.
 */
test('wallet list: short lists fit their rows, long lists scroll in a capped, virtualized list', async ({ officer: app }) => {
  const page = app.page;
  await page.setViewportSize({ width: 1440, height: 900 });
  const scroller = page.getByTestId('wallets-scroll');
  const rows = page.getByTestId('wallet-row');
  const size = () => scroller.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));

  for (let i = 1; i <= 2; i += 1) await app.engineData('wallets:create', { chain: 'polygon', label: `Short list wallet ${i}` });
  await app.goTo('wallets');
  await expect(rows).toHaveCount(2);
  const short = await size();
  expect(short.client).toBe(short.scroll);
  expect(short.client).toBeLessThanOrEqual(2 * 52 + 2);
  await expect(page.getByRole('heading', { name: 'Unidentified funds' })).toBeInViewport();
  await page.screenshot({ path: `${FOLDER}/short-1440.png` });

  for (let i = 3; i <= 60; i += 1) await app.engineData('wallets:create', { chain: 'polygon', label: `Long list wallet ${String(i).padStart(2, '0')}` });
  await app.goTo('dashboard');
  await app.goTo('wallets');
  await expect(page.getByTestId('wallets-table')).toContainText('60 wallets loaded');
  const long = await size();
  // Capped at the window (100vh - 270px), scrolling inside for the rest.
  expect(long.client).toBeLessThanOrEqual(900 - 270);
  expect(long.scroll).toBeGreaterThan(long.client);
  expect(await rows.count()).toBeLessThan(60);
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(rows.filter({ hasText: 'Short list wallet 1' })).toBeVisible();
  await page.screenshot({ path: `${FOLDER}/long-1440.png` });
});
