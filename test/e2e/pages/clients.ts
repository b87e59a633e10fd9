import { expect, type Locator, type Page } from '@playwright/test';
import type { ClientView } from '@shared/domain/clients';
import type { TreasuryApp } from '../support/fixtures';

/** A one-pixel PNG: the engine keeps KYC files only when their bytes are a real PDF, JPEG or PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A Spanish natural person as the engine takes one; the tax id is a valid NIF. */
export interface SpanishPerson {
  legalName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  address: { line1: string; city: string; postalCode: string };
  passport: string;
}

/**
 * A client made and KYC-verified through the engine (the Clients spec covers the screens): the admin submits,
 * `checker` (another officer, four eyes) verifies.
 */
export async function verifiedClientThroughEngine(app: TreasuryApp, checker: (channel: string, request: unknown) => Promise<unknown>, person: SpanishPerson): Promise<ClientView> {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const client = await app.engineData<ClientView>('clients:create', {
    legalName: person.legalName,
    dateOfBirth: person.dateOfBirth,
    nationality: 'ES',
    email: person.email,
    phone: person.phone,
    address: { ...person.address, country: 'ES' },
    taxId: { country: 'ES', kind: 'nif', value: '12345678Z' },
  });
  const png = TINY_PNG.toString('base64');
  await app.engineData('clients:kyc:addIdentityDocument', { clientId: client.id, type: 'passport', number: person.passport, issuingCountry: 'ES', expiresOn: day(1200), front: png });
  await app.engineData('clients:kyc:addProofOfAddress', { clientId: client.id, issuedOn: day(-10), file: png });
  await app.engineData('clients:kyc:submit', { clientId: client.id });
  await checker('clients:kyc:verify', { clientId: client.id });
  return client;
}

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
