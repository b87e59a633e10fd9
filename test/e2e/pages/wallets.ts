import { expect, type Locator, type Page } from '@playwright/test';
import type { TreasuryApp } from '../support/fixtures';

/** The Wallets screen: list, filters, the create dialog and a wallet's detail with its movement dialogs. */
export class WalletsPage {
  readonly page: Page;
  constructor(readonly app: TreasuryApp) {
    this.page = app.page;
  }

  rows(): Locator {
    return this.page.getByTestId('wallet-row');
  }

  async open(): Promise<void> {
    await this.app.goTo('wallets');
  }

  async create(chain: 'polygon' | 'bsc' | 'tron', label: string): Promise<string> {
    await this.page.getByTestId('wallets-new').click();
    const dialog = this.page.getByTestId('create-wallet-dialog');
    await dialog.getByTestId('create-wallet-chain').selectOption(chain);
    await dialog.getByTestId('create-wallet-label').fill(label);
    await dialog.getByTestId('create-wallet-submit').click();
    await expect(this.page.getByTestId('wallet-label')).toHaveText(label);
    const address = (await this.page.getByTestId('wallet-address').textContent()) ?? '';
    return address.trim();
  }

  async backToList(): Promise<void> {
    await this.page.getByTestId('wallet-back').click();
    await expect(this.page.getByTestId('wallets-table').or(this.page.getByText('No wallets yet'))).toBeVisible();
  }

  async openWallet(label: string): Promise<void> {
    await this.rows().filter({ hasText: label }).first().click();
    await expect(this.page.getByTestId('wallet-label')).toHaveText(label);
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('wallets-search').fill(text);
  }

  available(assetId: string): Locator {
    return this.page.getByTestId(`available-${assetId}`);
  }

  async startCompanyCredit(): Promise<Locator> {
    await this.page.getByTestId('wallet-action-credit').click();
    return this.page.getByTestId('credit-dialog');
  }

  async startTransfer(): Promise<Locator> {
    await this.page.getByTestId('wallet-action-transfer').click();
    return this.page.getByTestId('transfer-dialog');
  }
}
