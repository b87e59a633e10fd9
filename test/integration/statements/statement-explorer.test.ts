import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IssuedStatement, Statement } from '@shared/domain/statements';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine } from '@test/engine';

/** On a network with an explorer, a deposit's line links its transaction there, in the data, the PDF and the CSV. */
const TX = `0x${'ab12'.repeat(16)}`;
let t: TestEngine;
let clientId: string;

beforeAll(async () => {
  t = await startUnlockedEngine({ network: 'testnet' });
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'Amoy wallet' });
  // The watcher's own path for a confirmed deposit: keyed by chain, transaction and log index.
  await t.engine.services.transfers.creditDeposit({ chain: 'polygon', txHash: TX, logIndex: 3, walletId: wallet.id, assetId: 'polygon:POL', amount: 1_500_000_000_000_000_000n, depositId: 'dep-1' });
  clientId = (await callOk<{ id: string }>(t.engine, 'clients:create', { legalName: 'Testnet Client' })).id;
  await callOk(t.engine, 'clients:wallets:associate', { clientId, walletId: wallet.id });
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
