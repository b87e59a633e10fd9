import { expect, type Locator } from '@playwright/test';

/**
 * An on-ramp's dialog from its instructions to completion, with the officer’s next action at each state.
 */
export async function walkOnRampToCompletion(dialog: Locator): Promise<void> {
  await dialog.getByTestId('onramp-bank-reference').fill('SEPA-IN-20261125-0042');
  await dialog.getByTestId('onramp-received').fill('1000.00');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('verify the payment');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('quote');
  await dialog.getByTestId('onramp-rate').fill('1.08');
  await dialog.getByTestId('onramp-fee').fill('5.00');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('credit the client');
  await dialog.getByTestId('onramp-crypto').fill('1074.60');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('complete');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('completed');
}
