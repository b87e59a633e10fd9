import { expect, type Locator } from '@playwright/test';

/** Another operator's engine calls (support/second-operator.ts). */
type OtherOperator = <T = unknown>(channel: string, request: unknown) => Promise<T>;

/**
 * An on-ramp's dialog from its instructions to completion, with the officer’s next action at each state. The
 * credit is uncovered (the devnet holding has no coins for it), so it waits: the officer who asked sees it
 * waiting with no Approve button, `approver` (another operator) approves it, and the officer completes it.
 */
export async function walkOnRampToCompletion(dialog: Locator, approver: OtherOperator): Promise<void> {
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
  // The credit moves money: its review comes first.
  await expect(dialog.getByTestId('ramp-action-submit-review')).toContainText('1,074.60 USDT');
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog.getByTestId('onramp-credit-waiting')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Approve the credit' })).toHaveCount(0);
  const waiting = await approver<{ items: Array<{ id: string; creditApproval: unknown; allowedActions?: string[] }> }>('ramps:onramp:list', { state: 'quoted', limit: 50 });
  for (const ramp of waiting.items.filter((r) => r.allowedActions?.includes('approveCredit'))) await approver('ramps:onramp:approveCredit', { onRampId: ramp.id });
  // The approval is another operator's: the open dialog and the list behind it follow its ramp event.
  await expect(dialog).toContainText('complete');
  await expect(dialog.page().getByTestId('onramp-row').filter({ hasText: 'credited' }).first()).toBeVisible();
  await dialog.getByTestId('ramp-action-submit').click();
  await expect(dialog).toContainText('completed');
}
