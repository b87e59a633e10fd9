import { WalletsPage } from './pages/wallets';
import { expect, test } from './support/fixtures';

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
