import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Wallet } from 'ethers';
import type { OffRampView, OnRampView } from '@shared/domain/ramps';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { callOk } from '@test/engine';
import { creditOnRamp } from '@test/controls';
import { apiCall, makeKey, startTestApi } from '@test/api-client';
import type { RunningApi } from '../../../electron/host/api/api-server';
import { ASSET, DESTINATION, startControlsBench, type ControlsBench } from '../controls/controls-fixtures';
import { CLIENT, IDENTITY, LEGAL_NAME, PROOF } from '../clients/kyc-fixtures';
import { configureReceiving } from '../ramps/ramp-fixtures';

/**
 * The business flow as a company's backend drives it over HTTP with one API key, on the Polygon devnet with
 * the virtual Ledger: a client with documents and a bank account, two wallets, an on-ramp credited, a
 * withdrawal answered 202 PENDING then approved and signed by officers, an internal transfer through one of
 * our own addresses (transaction hash "internal"), totals per chain, an off-ramp and its simulation, and the
 * holding wallet with a company withdrawal.
 */
const LIQUIDITY = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
let bench: ControlsBench;
let api: RunningApi;
let key: string;
let idempotency = 0;
const v1 = (method: string, path: string, body?: unknown) =>
  apiCall(api, method, path, { key, ...(body === undefined ? {} : { body }), ...(method === 'POST' ? { headers: { 'Idempotency-Key': `flow-${++idempotency}` } } : {}) });

/** The token balance the chain itself reports. */
async function usdtOnChain(address: string): Promise<bigint> {
  const token = new Contract(bench.evm.tokens.USDT, ['function balanceOf(address) view returns (uint256)'], bench.evm.provider);
  return (await token.getFunction('balanceOf')(address)) as bigint;
}

async function approveAndSign(withdrawalId: string): Promise<void> {
  const { t, approver, evm } = bench;
  const view = await callOk<WithdrawalView>(t.engine, 'withdrawals:get', { withdrawalId });
  if (view.state === 'requested') await callOk(t.engine, 'withdrawals:approve', { withdrawalId }, approver);
  await callOk(t.engine, 'withdrawals:sign', { withdrawalId }, approver);
  await evm.mine(3);
  await t.engine.services.withdraw.tracker.track();
}

beforeAll(async () => {
  bench = await startControlsBench();
  await configureReceiving(bench.t);
  await callOk(bench.t.engine, 'ramps:settings:setOffRampDestination', { chain: 'polygon', address: LIQUIDITY });
  key = (await makeKey(bench.t.engine, 'backend')).secret;
  api = await startTestApi(bench.t.engine);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await bench?.stop();
});

describe('the business flow over /v1 with an API key', () => {
  let clientId: string;
  let main: { id: string; walletAddress: string };
  let savings: { id: string; walletAddress: string };
  let bankAccountId: string;

  it('creates a client with documents and a bank account; an officer verifies them', async () => {
    const created = await v1('POST', '/v1/clients', CLIENT);
    expect(created).toMatchObject({ status: 201, body: { legalName: LEGAL_NAME, kycStatus: 'draft' } });
    clientId = created.body.id;
    const { front, back, ...document } = IDENTITY;
    expect((await v1('POST', `/v1/clients/${clientId}/documents/identity`, { ...document, front, back })).status).toBe(201);
    expect((await v1('POST', `/v1/clients/${clientId}/documents/proof-of-address`, PROOF)).status).toBe(201);
    expect((await v1('POST', `/v1/clients/${clientId}/kyc/submit`)).body).toMatchObject({ kycStatus: 'submitted' });
    await callOk(bench.t.engine, 'clients:kyc:verify', { clientId }, bench.officer);
    expect((await v1('GET', `/v1/clients/${clientId}`)).body).toMatchObject({ id: clientId, kycStatus: 'verified' });

    const account = await v1('POST', `/v1/clients/${clientId}/bank-accounts`, { account: { rail: 'sepa', holderName: LEGAL_NAME, iban: 'DE89 3704 0044 0532 0130 00' } });
    expect(account).toMatchObject({ status: 201, body: { rail: 'sepa', status: 'unverified' } });
    bankAccountId = account.body.id;
    await callOk(bench.t.engine, 'clients:bankAccounts:verify', { bankAccountId, evidence: 'statement shows name and IBAN' }, bench.officer);
    expect((await v1('GET', `/v1/clients/${clientId}/bank-accounts`)).body).toMatchObject([{ id: bankAccountId, status: 'verified' }]);
  });

  it('creates a business client with its company documents and a beneficial owner', async () => {
    const business = await v1('POST', '/v1/clients', {
      kind: 'business',
      legalName: 'Andes Minerales S.A.',
      incorporationCountry: 'BR',
      registrationNumber: '35300012345',
      incorporationDate: '2015-03-02',
      taxId: { country: 'BR', kind: 'cnpj', value: '11.222.333/0001-81' },
    });
    expect(business).toMatchObject({ status: 201, body: { kind: 'business', business: { registrationNumber: '35300012345' }, taxId: { value: '11222333000181' } } });
    const id = business.body.id;
    expect((await v1('POST', `/v1/clients/${id}/documents/company`, { type: 'shareholder_register', issuedOn: PROOF.issuedOn, file: PROOF.file })).body).toMatchObject({
      companyDocuments: [{ type: 'shareholder_register' }],
    });
    const owned = await v1('POST', `/v1/clients/${id}/beneficial-owners`, { ownership: '40', personClientId: clientId });
    expect(owned).toMatchObject({ status: 201, body: { beneficialOwners: [{ clientId, legalName: LEGAL_NAME, ownershipBasisPoints: 4000, kycStatus: 'verified' }] } });
    expect(await v1('POST', `/v1/clients/${id}/beneficial-owners`, { ownership: '70', person: { legalName: 'Luis Gómez' } })).toMatchObject({ status: 412, body: { ok: false, error: { code: 'ownership_over_100' } } });
  });

  it('creates two wallets, associates them with the client, lists and filters them', async () => {
    const first = await v1('POST', '/v1/virtual-wallets', { alias: 'Alice main', blockchain: 'polygon' });
    const second = await v1('POST', '/v1/virtual-wallets', { alias: 'Alice savings', blockchain: 'polygon' });
    expect(first).toMatchObject({ status: 201, body: { alias: 'Alice main', blockchain: 'polygon', enabled: true, clientId: null } });
    main = first.body;
    savings = second.body;
    for (const wallet of [main, savings]) {
      expect((await v1('PATCH', `/v1/virtual-wallets/${wallet.id}/client/${clientId}`)).body).toMatchObject({ id: wallet.id, clientId });
    }
    const page = await v1('GET', '/v1/virtual-wallets?blockchain=polygon&enabled=true&limit=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await v1('GET', `/v1/virtual-wallets?blockchain=polygon&enabled=true&limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect([page.body.items[0].id, next.body.items[0].id].sort()).toEqual([main.id, savings.id].sort());
    expect((await v1('GET', '/v1/virtual-wallets?blockchain=tron')).body.items).toEqual([]);
  });

  it('funds the main wallet by an on-ramp the officers settle', async () => {
    const requested = await v1('POST', '/v1/ramps/on', { clientId, walletId: main.id, assetId: ASSET, currency: 'EUR', amount: '1000.00', rail: 'sepa' });
    expect(requested).toMatchObject({ status: 201, body: { state: 'requested', requestedAmount: '1000', requestedAmountBaseUnits: '100000', reference: expect.any(String) } });
    const onRampId = requested.body.id;
    const ok = <T>(channel: string, payload: unknown) => callOk<T>(bench.t.engine, channel, payload, bench.officer);
    await ok('ramps:onramp:recordFiat', { onRampId, bankReference: 'SEPA-IN-1', amount: '100000' });
    await ok('ramps:onramp:verify', { onRampId });
    const quoted = await ok<OnRampView>('ramps:onramp:quote', { onRampId, rate: '1.08', fee: '0' });
    await creditOnRamp(bench.t, onRampId, quoted.cryptoAmount!);
    expect((await v1('GET', `/v1/ramps/on/${onRampId}`)).body).toMatchObject({ state: 'credited', cryptoAmount: '1080', cryptoAmountBaseUnits: '1080000000' });
    const balances = (await v1('GET', `/v1/virtual-wallets/${main.id}/balance`)).body;
    expect(balances).toEqual([
      expect.objectContaining({ assetId: ASSET, symbol: 'USDT', decimals: 6, tokenAddress: expect.stringMatching(/^0x/), balance: '1080', balanceBaseUnits: '1080000000', available: '1080' }),
    ]);
  });

  it('withdraws to an external address: 202 PENDING with the id; officers approve and sign; then COMPLETED', async () => {
    const answered = await v1('POST', `/v1/virtual-wallets/${main.id}/withdraw`, { toWalletAddress: DESTINATION, assetId: ASSET, amount: '25.5' });
    expect(answered).toMatchObject({ status: 202, body: { status: 'PENDING', id: expect.any(String), transactionHash: null, amount: '25.5', amountBaseUnits: '25500000' } });
    expect((await v1('GET', `/v1/virtual-wallets/${main.id}/balance`)).body[0]).toMatchObject({ balance: '1080', available: '1054.5' });
    // the API key asked; it can neither approve nor sign (no such route, and no role for its channels)
    const view = await callOk<WithdrawalView>(bench.t.engine, 'withdrawals:get', { withdrawalId: answered.body.id });
    expect(view.requestedBy).toBe('api:backend');
    await approveAndSign(answered.body.id);
    const done = await v1('GET', `/v1/withdrawals/${answered.body.id}`);
    expect(done.body).toMatchObject({ status: 'COMPLETED', state: 'confirmed', transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await usdtOnChain(DESTINATION)).toBe(25_500_000n);
  });

  it('withdraws to one of our own addresses as an internal transfer: hash "internal", no chain transaction', async () => {
    const answered = await v1('POST', `/v1/virtual-wallets/${main.id}/withdraw`, { toWalletAddress: savings.walletAddress.toLowerCase(), assetId: ASSET, amount: '100' });
    expect(answered).toMatchObject({ status: 200, body: { status: 'COMPLETED', transactionHash: 'internal', id: null, transferId: expect.any(String), amount: '100' } });
    expect((await v1('GET', `/v1/virtual-wallets/${savings.id}/balance`)).body[0]).toMatchObject({ balance: '100', balanceBaseUnits: '100000000' });
    expect(await usdtOnChain(savings.walletAddress)).toBe(0n);
    const movements = await v1('GET', `/v1/virtual-wallets/${savings.id}/movements?assetId=${ASSET}`);
    expect(movements.body.items).toEqual([expect.objectContaining({ operation: 'internal_transfer', direction: 'in', amount: '100' })]);
    const totals = await v1('GET', '/v1/virtual-wallets/virtual-balances?blockchain=polygon');
    expect(totals.body).toEqual(expect.arrayContaining([expect.objectContaining({ assetId: ASSET, balance: '1054.5' })]));
  });

  it('disables and enables a wallet: a disabled wallet sends nothing', async () => {
    expect((await v1('PATCH', `/v1/virtual-wallets/${savings.id}/set-enabled`, { enabled: false })).body).toMatchObject({ enabled: false, status: 'suspended' });
    const refused = await v1('POST', `/v1/virtual-wallets/${savings.id}/withdraw`, { toWalletAddress: main.walletAddress, assetId: ASSET, amount: '1' });
    expect(refused).toMatchObject({ status: 412, body: { ok: false, error: { code: 'inactive_wallet' } } });
    expect((await v1('PATCH', `/v1/virtual-wallets/${savings.id}/set-enabled`, { enabled: true })).body).toMatchObject({ enabled: true });
  });

  it('runs an off-ramp, then simulates another at its rate and fee share', async () => {
    const before = await v1('POST', '/v1/ramps/off/simulate', { clientId, walletId: main.id, bankAccountId, assetId: ASSET, amount: '100' });
    expect(before).toMatchObject({ status: 412, body: { error: { code: 'ramp_not_configured' } } });
    const held = await v1('POST', '/v1/ramps/off', { clientId, walletId: main.id, bankAccountId, assetId: ASSET, amount: '400' });
    expect(held).toMatchObject({ status: 201, body: { state: 'held', amount: '400', amountBaseUnits: '400000000' } });
    const offRampId = held.body.id;
    const pending = await callOk<OffRampView>(bench.t.engine, 'ramps:offramp:sendCrypto', { offRampId }, bench.officer);
    await approveAndSign(pending.payoutId!);
    await callOk(bench.t.engine, 'ramps:offramp:follow', { offRampId }, bench.officer);
    await callOk(bench.t.engine, 'ramps:offramp:convert', { offRampId, rate: '0.92', fee: '150', currency: 'EUR' }, bench.officer);
    expect((await v1('GET', `/v1/ramps/off/${offRampId}`)).body).toMatchObject({ state: 'converted', rate: '0.92', currency: 'EUR', fee: '1.5', fiatAmount: '366.5' });

    const simulated = await v1('POST', '/v1/ramps/off/simulate', { clientId, walletId: main.id, bankAccountId, assetId: ASSET, amount: '100' });
    // 100 USDT at 0.92 = 92.00 EUR; the last conversion kept 1.50 of 368.00, so 0.375 EUR here, rounded up to 0.38
    expect(simulated).toMatchObject({
      status: 200,
      body: { rate: '0.92', currency: 'EUR', amount: '100', convertedAmount: '92', convertedAmountBaseUnits: '9200', fee: '0.38', feeBaseUnits: '38', finalAmount: '91.62', basis: { offRampId } },
    });
  });

  it('shows the holding wallet and its balances; a company withdrawal beyond the reserve is refused by name', async () => {
    const info = await v1('GET', '/v1/holding?blockchain=polygon');
    expect(info.body).toMatchObject({ blockchain: 'polygon', walletAddress: expect.stringMatching(/^0x/), source: 'virtual-ledger' });
    const balances = await v1('GET', '/v1/holding/balance?blockchain=polygon');
    expect(balances.body).toEqual(expect.arrayContaining([expect.objectContaining({ assetId: ASSET, walletAddress: info.body.walletAddress })]));
    const refused = await v1('POST', '/v1/holding/withdraw/polygon', { toWalletAddress: DESTINATION, assetId: ASSET, amount: '5', reason: 'company expenses' });
    expect(refused).toMatchObject({ status: 412, body: { ok: false, error: { code: 'insufficient_funds', message: expect.stringMatching(/company reserve/) } } });
  });

  it('books the company\'s own top-up of the holding wallet, then withdraws it: 202 PENDING, signed by officers', async () => {
    const { t, evm } = bench;
    // The network fee is paid from the company's own POL: the company sends 1 POL from outside, booked as reserve.
    const holding = (await v1('GET', '/v1/holding?blockchain=polygon')).body.walletAddress as string;
    const outside = new Wallet('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a', evm.provider);
    await (await outside.sendTransaction({ to: holding, value: 10n ** 18n })).wait();
    await evm.mine(5);
    await t.engine.services.watch.tick('polygon');
    const answered = await v1('POST', '/v1/holding/withdraw/polygon', { toWalletAddress: DESTINATION, assetId: ASSET, amount: '5', reason: 'company expenses' });
    expect(answered).toMatchObject({ status: 202, body: { status: 'PENDING', id: expect.any(String) } });
    await approveAndSign(answered.body.id);
    expect((await v1('GET', `/v1/withdrawals/${answered.body.id}`)).body).toMatchObject({ status: 'COMPLETED' });
  });
});
