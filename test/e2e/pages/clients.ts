import { expect, type Locator, type Page } from '@playwright/test';
import type { TreasuryApp } from '../support/fixtures';

/** A one-pixel PNG: the engine keeps KYC files only when their bytes are a real PDF, JPEG or PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The Clients screen: list, the client form, and a client's KYC, documents, bank accounts and wallets. */
export class ClientsPage {
  readonly page: Page;
  constructor(readonly app: TreasuryApp) {
    this.page = app.page;
  }

  async open(): Promise<void> {
    await this.app.goTo('clients');
  }

  form(): Locator {
    return this.page.getByTestId('client-form');
  }

  /** New client: the first question is a person or a company; the matching form opens. */
  async startNew(kind: 'individual' | 'business'): Promise<void> {
    await this.page.getByTestId('clients-new').click();
    const dialog = this.page.getByTestId('client-kind-dialog');
    await dialog.getByTestId(`client-kind-${kind}`).check();
    await dialog.getByTestId('client-kind-continue').click();
  }

  businessForm(): Locator {
    return this.page.getByTestId('business-form');
  }

  async fillBusiness(fields: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(fields)) {
      const field = this.businessForm().getByTestId(`business-${key}`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  }

  /** One line of the company documents checklist: a PDF-free PNG scan issued on `issued`. */
  async addCompanyDocument(type: string, issued: string): Promise<void> {
    await this.page.getByTestId(`business-add-${type}`).click();
    const dialog = this.page.getByTestId('company-document-dialog');
    await dialog.getByTestId('company-document-issued').fill(issued);
    await dialog.getByTestId('company-document-file').setInputFiles({ name: `${type}.png`, mimeType: 'image/png', buffer: TINY_PNG });
    await dialog.getByTestId('company-document-save').click();
    await expect(dialog).toBeHidden();
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(fields)) {
      const field = this.form().getByTestId(`client-${key}`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  }

  async addIdentityDocument(number: string, country: string, expires: string): Promise<void> {
    await this.page.getByTestId('client-add-identity').click();
    const dialog = this.page.getByTestId('document-dialog');
    await dialog.getByTestId('document-number').fill(number);
    await dialog.getByTestId('document-country').selectOption(country);
    await dialog.getByTestId('document-expires').fill(expires);
    await dialog.getByTestId('document-front').setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: TINY_PNG });
    await dialog.getByTestId('document-save').click();
    await expect(dialog).toBeHidden();
  }

  async addProofOfAddress(issued: string): Promise<void> {
    await this.page.getByTestId('client-add-address-proof').click();
    const dialog = this.page.getByTestId('document-dialog');
    await dialog.getByTestId('document-issued').fill(issued);
    await dialog.getByTestId('document-front').setInputFiles({ name: 'utility-bill.png', mimeType: 'image/png', buffer: TINY_PNG });
    await dialog.getByTestId('document-save').click();
    await expect(dialog).toBeHidden();
  }
}
