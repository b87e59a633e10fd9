import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { expect, test } from './support/fixtures';

// The page function runs in Chromium; this file is type-checked as Node code.
declare const window: { Notification: new (title: string, options?: { body?: string }) => unknown; shownNotifications: Array<{ title: string; body?: string }> };

const POL = 10n ** 18n;

/**
 * A gas tank on a Polygon devnet drops below its threshold: the bell counts the alert, the panel says it in
 * the officer's words, the browser shows a notification (permission granted), and an operator acknowledges it.
 */
test('alerts: a gas tank dropping below its threshold shows in the notification centre and as a browser notification', async ({ officer: app }) => {
  test.setTimeout(200_000);
  const page = app.page;
  let devnet: EvmDevnet | undefined;
  try {
    await page.context().grantPermissions(['notifications'], { origin: new URL(app.host.openUrl).origin });
    // Records what the page hands to the browser's Notification API (the desktop shows it; the test reads it).
    await page.addInitScript(() => {
      const Original = window.Notification;
      window.shownNotifications = [];
      window.Notification = class extends (Original as unknown as new (title: string, options?: { body?: string }) => object) {
        constructor(title: string, options?: { body?: string }) {
          super(title, options);
          window.shownNotifications.push({ title, body: options?.body });
        }
      } as unknown as typeof window.Notification;
      Object.assign(window.Notification, { permission: (Original as unknown as { permission: string }).permission, requestPermission: (Original as unknown as { requestPermission: () => Promise<string> }).requestPermission.bind(Original) });
    });
    await page.reload();
    await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('alerts-bell')).toBeVisible();
    await expect(page.getByTestId('alerts-count')).toHaveCount(0);

    devnet = await startEvmDevnet({ chain: 'polygon' });
    const chain = devnet;
    const tank = (await page.getByTestId('gas-tank-polygon-address').textContent())!.trim();

    await test.step('the tank holds 10 POL, above its 5 POL threshold: no alert', async () => {
      await chain.setNativeBalance(tank, 10n * POL);
      await app.goTo('settings');
      await page.getByTestId('settings-rpc-polygon').fill(chain.url);
      await page.getByTestId('settings-save-polygon').click();
      await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 20_000 });
      await app.goTo('dashboard');
      await expect(page.getByTestId('gas-tank-polygon')).toContainText('10', { timeout: 20_000 });
      await expect(page.getByTestId('alerts-count')).toHaveCount(0);
    });

    await test.step('the tank drops to 1 POL: the bell counts it and the browser notifies', async () => {
      await chain.setNativeBalance(tank, POL);
      await expect(page.getByTestId('alerts-count')).toHaveText('1', { timeout: 90_000 });
      await expect.poll(() => page.evaluate(() => window.shownNotifications), { timeout: 10_000 }).toContainEqual({
        title: 'Gas tank running low',
        body: `The gas tank on Polygon holds 1 POL, below its threshold of 5 POL. Send POL to ${tank}.`,
      });
    });

    await test.step('the panel says it in words, with the time, and an operator acknowledges it', async () => {
      await page.getByTestId('alerts-bell').click();
      const item = page.getByTestId('alerts-panel').getByTestId('alert-item').filter({ hasText: 'Gas tank running low' });
      await expect(item).toContainText('The gas tank on Polygon holds 1 POL, below its threshold of 5 POL.');
      await expect(item).toContainText('Polygon');
      const text = (await page.getByTestId('alerts-panel').textContent()) ?? '';
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      expect(text).not.toMatch(/\d{12,}/);
      expect(text).not.toMatch(/gas_tank_low/);
      await app.screenshot('alerts-panel');
      await item.getByTestId('alert-acknowledge').click();
      await expect(item.getByTestId('alert-acknowledged')).toContainText('Acknowledged by ');
      await expect(page.getByTestId('alerts-count')).toHaveCount(0);
      await app.screenshot('alerts-acknowledged');
    });

    await test.step('the thresholds of the other alerts are settings, amounts in the asset\'s units', async () => {
      await page.getByTestId('alerts-bell').click();
      await app.goTo('settings');
      const card = page.getByTestId('settings-alerts');
      await card.getByTestId('alert-settings-limit-polygon:USDT').fill('250.5x');
      await card.getByTestId('alert-settings-save').click();
      await expect(card.getByRole('alert')).toHaveText('Uncovered credit limit for USDT: give an amount of USDT, such as 250.');
      await card.getByTestId('alert-settings-limit-polygon:USDT').fill('250.5');
      await card.getByTestId('alert-settings-approvalWaitMinutes').fill('15');
      await card.getByTestId('alert-settings-save').click();
      await expect(card.getByRole('status')).toHaveText('Saved.');
      const saved = await app.engineCall<{ approvalWaitMinutes: number; uncoveredCreditLimits: Record<string, string> }>('alerts:settings', {});
      expect(saved.data).toMatchObject({ approvalWaitMinutes: 15, uncoveredCreditLimits: { 'polygon:USDT': '250500000' } });
      await card.screenshot({ path: 'test-results/screens/alerts-settings.png' });
    });
  } finally {
    await devnet?.stop();
  }
});
