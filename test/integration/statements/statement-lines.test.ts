import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IssuedStatement, Statement } from '@shared/domain/statements';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/**
 * How a statement names its lines: on a network with an explorer a deposit links its transaction there (data, PDF
 * and CSV); reversals say what they reverse; an amount still held is shown beside the closing balance, not in it.
 */
const TX = `0x${'ab12'.repeat(16)}`;
let t: TestEngine;
let clientId: string;
let walletId: string;

beforeAll(async () => {
  t = await startUnlockedEngine({ network: 'testnet' });
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Amoy wallet' });
  // The watcher's own path for a confirmed deposit: keyed by chain, transaction and log index.
  await t.engine.services.transfers.creditDeposit({ chain: 'polygon', txHash: TX, logIndex: 3, walletId: wallet.id, assetId: 'polygon:POL', amount: 1_500_000_000_000_000_000n, depositId: 'dep-1' });
  clientId = (await callOk<{ id: string }>(t.engine, 'clients:create', { legalName: 'Testnet Client' })).id;
  await callOk(t.engine, 'clients:wallets:associate', { clientId, walletId: wallet.id });
  walletId = wallet.id;
});
afterAll(() => t.dispose());

it('links the deposit to the network explorer', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const statement = await callOk<Statement>(t.engine, 'statements:get', { clientId, from: today, to: today });
  const [deposit] = statement.assets.find((a) => a.assetId === 'polygon:POL')!.movements;
  expect(deposit).toMatchObject({ kind: 'deposit', txHash: TX, explorerUrl: `https://amoy.polygonscan.com/tx/${TX}`, amount: '1500000000000000000' });

  const pdf = await callOk<IssuedStatement>(t.engine, 'statements:issue', { clientId, from: today, to: today, format: 'pdf' });
  const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Network: TESTNET (test funds only, never mainnet records)');
  expect(text).toContain('POL on Polygon');
  expect(text).toContain('Closing balance: 1.50 POL');
  expect(text.replace(/\s+/g, '')).toContain(`https://amoy.polygonscan.com/tx/${TX}`);
  const csv = Buffer.from((await callOk<IssuedStatement>(t.engine, 'statements:issue', { clientId, from: today, to: today, format: 'csv' })).content, 'base64').toString('utf8');
  expect(csv).toContain(`,${TX},https://amoy.polygonscan.com/tx/${TX},`);
  expect(csv.split('\r\n')[1]).toMatch(/^testnet,/);
});

it('says what a reversal reverses, and shows what is held apart from the closing balance', async () => {
  const { ledger } = t.engine.services;
  const account = { kind: 'client_wallet' as const, assetId: 'polygon:POL', walletId };
  const credit = await ledger.transfer({ idempotencyKey: 'lines-credit', debit: { kind: 'uncovered_credit', assetId: 'polygon:POL' }, credit: account, amount: 10n ** 18n, code: 'company_credit', memo: 'Goodwill' });
  await ledger.reverse(credit.transfer.id, { idempotencyKey: 'lines-credit-back', code: 'correction', memo: 'Credited twice by mistake' });
  const deposit = await t.engine.database.db.selectFrom('ledger_transfers').select('id').where('code', '=', 'deposit').executeTakeFirstOrThrow();
  await ledger.reverse(deposit.id, { idempotencyKey: 'lines-reorg', code: 'deposit_reversal', memo: 'reorg', cause: { type: 'deposit', id: 'dep-1' } });
  await ledger.transfer({ idempotencyKey: 'lines-credit-2', debit: { kind: 'uncovered_credit', assetId: 'polygon:POL' }, credit: account, amount: 2n * 10n ** 18n, code: 'company_credit', memo: 'Bonus' });
  await ledger.transfer({ idempotencyKey: 'lines-hold', kind: 'pending', debit: account, credit: { kind: 'holding', assetId: 'polygon:POL' }, amount: 5n * 10n ** 17n, code: 'withdrawal', cause: { type: 'withdrawal', id: 'w-none' } });

  const today = new Date().toISOString().slice(0, 10);
  const pol = (await callOk<Statement>(t.engine, 'statements:get', { clientId, from: today, to: today })).assets.find((a) => a.assetId === 'polygon:POL')!;
  expect(pol.movements.map((m) => [m.kind, m.direction, m.description, m.reference])).toEqual([
    ['deposit', 'in', 'Deposit', null],
    ['credit', 'in', 'Credit from the company', 'Goodwill'],
    ['reversal', 'out', `Reversal of the credit from the company of ${today}`, 'Credited twice by mistake'],
    ['reversal', 'out', 'Deposit reversed: the chain dropped the block that held it', null],
    ['credit', 'in', 'Credit from the company', 'Bonus'],
  ]);
  expect(pol.closing).toBe((2n * 10n ** 18n).toString());
  expect(pol.heldAtClose).toBe((5n * 10n ** 17n).toString());
  const pdf = await callOk<IssuedStatement>(t.engine, 'statements:issue', { clientId, from: today, to: today, format: 'pdf' });
  const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Closing balance: 2.00 POL');
  expect(text).toContain('Held at the end of the period for withdrawals or off-ramps not yet settled: 0.50 POL');
});
