import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import type { TreasuryApp } from './fixtures';

/** Another operator at their own workstation: a browser context of its own, signed in at the gate. */
export async function operatorWindow(browser: Browser, app: TreasuryApp, operator: { name: string; passphrase: string }): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(app.host.openUrl);
  await page.getByTestId('custody-operator').fill(operator.name);
  await page.getByTestId('custody-passphrase').fill(operator.passphrase);
  await page.getByTestId('custody-unlock').click();
  await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
  return { page, close: () => context.close() };
}

/**
 * In that window: approve the newest withdrawal, open the signing dialog, sign on the (virtual) device.
 * `beforeSigning` and `signed` look at the dialog on the way (screenshots, what the device shows).
 */
export async function approveAndSignNewest(page: Page, look: { beforeSigning?(signing: Locator): Promise<void>; signed?(signing: Locator): Promise<void> } = {}): Promise<void> {
  const signing = await approveNewestAndOpenSigning(page);
  await look.beforeSigning?.(signing);
  await signing.getByTestId('signing-start').click();
  await expect(signing.getByTestId('signing-done')).toBeVisible({ timeout: 30_000 });
  await look.signed?.(signing);
  await signing.getByTestId('signing-finish').click();
}

/** Approve the newest withdrawal and open its signing dialog (not started). */
export async function approveNewestAndOpenSigning(page: Page): Promise<Locator> {
  await page.getByTestId('nav-withdrawals').click();
  await page.getByTestId('withdrawal-row').first().click();
  await page.getByTestId('withdrawal-approve').click();
  await expect(page.getByTestId('withdrawal-state')).toHaveText('Ready to sign');
  await page.getByTestId('withdrawal-sign').click();
  return page.getByTestId('signing-dialog');
}
