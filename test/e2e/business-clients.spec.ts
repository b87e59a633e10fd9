import { ClientsPage } from './pages/clients';
import { expect, test } from './support/fixtures';
import { secondOperator } from './support/second-operator';

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const DOCUMENTS = ['certificate_of_incorporation', 'articles_of_association', 'proof_of_address', 'shareholder_register'];

test('business clients: company data checked per country, documents, a beneficial owner with KYC, verified by a second operator', async ({ officer: app }) => {
  const clients = new ClientsPage(app);
  const page = app.page;
  const idOf = async (legalName: string) => {
    const listed = await app.engineCall<{ items: Array<{ id: string; legalName: string }> }>('clients:list', { limit: 50 });
    return listed.data!.items.find((c) => c.legalName === legalName)!.id;
  };

  await test.step('New client asks person or company; the company form checks ids for the chosen country', async () => {
    await clients.open();
    await page.getByTestId('clients-new').click();
    await app.screenshot('business-kind-choice');
    await page.getByTestId('client-kind-dialog').getByTestId('client-kind-business').check();
    await page.getByTestId('client-kind-continue').click();
    await clients.fillBusiness({ legalName: 'Andes Minerales S.A.', incorporationCountry: 'AR' });
    // Argentina: the IGJ number has up to 7 digits and the tax id is a company CUIT
    await expect(clients.businessForm().getByText('IGJ correlative number')).toBeVisible();
    await expect(clients.businessForm().getByTestId('business-taxKind')).toHaveValue('cuit');
    await clients.fillBusiness({ registrationNumber: '12345678', taxValue: '30-54668997-8' });
    await expect(clients.businessForm().locator('#business-registrationNumber-error')).toBeVisible();
    await expect(clients.businessForm().locator('#business-taxValue-error')).toContainText('check digit');
    await app.screenshot('business-form-invalid');
    await clients.fillBusiness({
      registrationNumber: '1234567',
      taxValue: '30-54668997-9',
      tradeName: 'Andes',
      businessType: 'corporation',
      incorporationDate: '2015-03-02',
      email: 'finanzas@andes.example',
      phone: '+54 11 4321 0000',
      line1: 'Av. del Libertador 500',
      city: 'Buenos Aires',
      postalCode: 'C1001',
      country: 'AR',
    });
    await expect(clients.businessForm().locator('.field__error')).toHaveCount(0);
    await page.getByTestId('business-save').click();
    await expect(page.getByTestId('client-name')).toHaveText('Andes Minerales S.A.');
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC draft');
    await expect(page.getByTestId('business-data')).toContainText('CUIT 30546689979');
    for (const type of DOCUMENTS) await expect(page.getByTestId(`business-document-${type}`)).toContainText('missing');
    await app.screenshot('business-client-draft');
  });

  await test.step('the documents checklist fills in', async () => {
    for (const type of DOCUMENTS) await clients.addCompanyDocument(type, isoDate(-15));
    for (const type of DOCUMENTS) await expect(page.getByTestId(`business-document-${type}`)).toContainText(`issued ${isoDate(-15)}`);
  });

  await test.step('a beneficial owner of 60% is added; more than 100% in all is refused as typed', async () => {
    await page.getByTestId('business-add-owner').click();
    const dialog = page.getByTestId('owner-dialog');
    await dialog.getByTestId('owner-name').fill('María Fernández');
    await dialog.getByTestId('owner-share').fill('120');
    await expect(dialog.locator('#owner-share-error')).toBeVisible();
    await dialog.getByTestId('owner-share').fill('60');
    await dialog.getByTestId('owner-dob').fill('1980-06-15');
    await dialog.getByTestId('owner-nationality').selectOption('AR');
    await dialog.getByTestId('owner-email').fill('maria@andes.example');
    await app.screenshot('business-add-owner');
    await dialog.getByTestId('owner-save').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('business-owner-row')).toContainText(/María Fernández.*60%.*KYC draft/);
    await expect(page.getByTestId('business-owners-total')).toContainText('Verification waits for María Fernández');
  });

  await test.step('an owner below the threshold needs no KYC to verify the business, and can be removed with a reason', async () => {
    await page.getByTestId('business-add-owner').click();
    const dialog = page.getByTestId('owner-dialog');
    await dialog.getByTestId('owner-name').fill('Pedro Sosa');
    await dialog.getByTestId('owner-share').fill('10');
    await dialog.getByTestId('owner-save').click();
    await expect(dialog).toBeHidden();
    const pedro = page.getByTestId('business-owner-row').filter({ hasText: 'Pedro Sosa' });
    await expect(pedro).toContainText('below 25%: not required');
    await expect(page.getByTestId('business-owners-total')).toContainText('Owners listed hold 70% of the company. Verification waits for María Fernández.');
    await app.screenshot('business-owners-two');
    await pedro.getByTestId('owner-remove').click();
    await page.getByTestId('owner-remove-dialog').getByTestId('reason-text').fill('Shares sold back to the company');
    await page.getByTestId('owner-remove-dialog').getByTestId('reason-submit').click();
    await expect(page.getByTestId('business-owner-row')).toHaveCount(1);
  });

  const checker = await secondOperator(app, 'kyb.checker', 'officer');

  await test.step('submitted, the business waits for its owner: the second operator cannot verify it yet', async () => {
    await page.getByTestId('kyc-submit').click();
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
    await app.screenshot('business-client-submitted');
    const businessId = await idOf('Andes Minerales S.A.');
    await expect(checker('clients:kyc:verify', { clientId: businessId })).rejects.toThrow(/María Fernández \(60%\)/);
  });

  await test.step("the owner's own KYC: details, documents, submitted, verified by the second operator", async () => {
    await page.getByTestId('business-owner-row').getByRole('button', { name: 'María Fernández' }).click();
    await expect(page.getByTestId('client-owner-of')).toContainText('Beneficial owner of Andes Minerales S.A. (60%)');
    await page.getByTestId('client-edit').click();
    await clients.fill({ phone: '+54 9 11 2345 6789', line1: 'Av. Corrientes 1234', city: 'Buenos Aires', postalCode: 'C1043', country: 'AR', taxCountry: 'AR' });
    await clients.fill({ taxKind: 'cuit', taxValue: '27-12345678-0' });
    await page.getByTestId('client-save').click();
    await expect(clients.form()).toBeHidden();
    await clients.addIdentityDocument('31234567', 'AR', isoDate(900));
    await clients.addProofOfAddress(isoDate(-10));
    await page.getByTestId('kyc-submit').click();
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
    await checker('clients:kyc:verify', { clientId: await idOf('María Fernández') });
  });

  await test.step('back on the business: its submitter may not verify it, the second operator does', async () => {
    await page.getByTestId('client-owner-of').getByRole('button', { name: 'Andes Minerales S.A.' }).click();
    await expect(page.getByTestId('business-owner-row')).toContainText(/María Fernández.*60%.*KYC verified/);
    // the submitter is not offered Verify at all (the engine would refuse it: four eyes)
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC submitted');
    await expect(page.getByTestId('kyc-verify')).toHaveCount(0);
    await checker('clients:kyc:verify', { clientId: await idOf('Andes Minerales S.A.') });
    await page.getByTestId('client-back').click();
    await page.getByTestId('client-row').filter({ hasText: 'Andes Minerales S.A.' }).click();
    await expect(page.getByTestId('kyc-status')).toHaveText('KYC verified');
    await expect(page.getByTestId('client-history')).toContainText('verified');
    await app.screenshot('business-client-verified');
  });

  await test.step('the list tells companies from people, with country names', async () => {
    await page.getByTestId('client-back').click();
    await expect(page.getByTestId('client-row').filter({ hasText: 'Andes Minerales S.A.' })).toContainText('business');
    await expect(page.getByTestId('client-row').filter({ hasText: 'Andes Minerales S.A.' })).toContainText('Argentina');
    await app.screenshot('business-clients-list');
  });
});
