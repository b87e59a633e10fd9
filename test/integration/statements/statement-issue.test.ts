import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedStatement, Statement, StatementVerification } from '@shared/domain/statements';
import type { WalletView } from '@shared/domain/wallets';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { formatAmountGrouped } from '@shared/money';
import type { Result } from '@shared/result';
import type { EvmDevnet } from '@test/devnet/evm';
import type { TestEngine } from '@test/engine';
import { openPolygonWithdrawals, type CallContext, type Operators } from '../withdraw/harness';

/**
 * A client's statement from a real history on an anvil chain: a deposit seen and credited by the watcher, a
 * transfer to the client's other wallet, a withdrawal signed on the virtual Ledger and confirmed (its fee
 * paid in POL). The PDF is read back with pdftotext, the CSV parsed, and each file's hash checked against
 * the audit log through the verify channel.
 */
const UNIT = 10n ** 6n;
const NAME = 'María José Núñez';
let evm: EvmDevnet;
let t: TestEngine;
let ops: Operators;
let main: WalletView;
let savings: WalletView;
let clientId: string;
let depositTx: string;
let withdrawal: WithdrawalView;
const today = new Date().toISOString().slice(0, 10);

const call = <T>(channel: string, payload: unknown, context?: CallContext) => t.engine.api.call(channel, payload, (context ?? ops.admin) as never) as Promise<Result<T>>;
async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
  const result = await call<T>(channel, payload, context);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

beforeAll(async () => {
  ({ evm, t, ops, client: main } = await openPolygonWithdrawals({ holding: 1_000n * UNIT, client: 500n * UNIT, creditKey: 'credit-statement' }));
  savings = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'Savings' });
  const { watch, withdraw } = t.engine.services;
  await watch.tick('polygon');
  await evm.mintToken('USDT', main.address, 1_250_500_000n);
  await evm.mine(4);
  await watch.tick('polygon');
  const deposit = await t.engine.database.db.selectFrom('deposits').select(['tx_hash', 'state']).where('wallet_id', '=', main.id).executeTakeFirstOrThrow();
  expect(deposit.state).toBe('confirmed');
  depositTx = deposit.tx_hash;
  await ok('transfers:internal', { idempotencyKey: 'to-savings-1', fromWalletId: main.id, toWalletId: savings.id, assetId: 'polygon:USDT', amount: (100n * UNIT).toString() }, ops.alice);
  const destination = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow', undefined, "m/44'/60'/0'/0/7").address;
  const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: 'w-statement', walletId: main.id, assetId: 'polygon:USDT', amount: (20n * UNIT).toString(), destination }, ops.alice);
  await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
  await ok('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
  await evm.mine(3);
  expect((await withdraw.tracker.track()).confirmed).toEqual([requested.id]);
  withdrawal = await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id });
  // The wallets go to their client afterwards: a statement covers a wallet's whole history.
  clientId = (await ok<{ id: string }>('clients:create', { legalName: NAME })).id;
  for (const w of [main, savings]) await ok('clients:wallets:associate', { clientId, walletId: w.id });
}, 120_000);
afterAll(async () => {
  await t?.dispose();
  await evm?.stop();
});

describe('a client statement', () => {
  it('lists every movement per asset between the opening and closing balances', async () => {
    const statement = await ok<Statement>('statements:get', { clientId, from: today, to: today });
    expect(statement.client.name).toBe(NAME);
    const usdt = statement.assets.find((a) => a.assetId === 'polygon:USDT')!;
    expect(usdt.opening).toBe('0');
    expect(usdt.movements.map((m) => [m.kind, m.direction, m.walletLabel, m.amount])).toEqual([
      ['credit', 'in', 'client', (500n * UNIT).toString()],
      ['deposit', 'in', 'client', '1250500000'],
      ['internal_transfer', 'out', 'client', (100n * UNIT).toString()],
      ['internal_transfer', 'in', 'Savings', (100n * UNIT).toString()],
      ['withdrawal', 'out', 'client', (20n * UNIT).toString()],
    ]);
    // Opening + movements: 500 + 1250.5 - 100 + 100 - 20, both wallets together.
    expect(usdt.closing).toBe('1730500000');
    const [, deposit, out, into, paid] = usdt.movements;
    expect(deposit!.txHash).toBe(depositTx);
    expect(out!.counterparty).toBe('Savings');
    expect(into!.counterparty).toBe('client');
    expect(paid!.txHash).toBe(withdrawal.txHash);
    expect(paid!.fee).toEqual({ amount: withdrawal.feePaid, assetId: 'polygon:POL' });
    expect(paid!.description).toBe(`Withdrawal to ${withdrawal.destination}`);
    // The period before the history has none of it: nothing opens, nothing moves.
    const before = await ok<Statement>('statements:get', { clientId, from: '2020-01-01', to: '2020-01-31' });
    expect(before.assets.every((a) => a.opening === '0' && a.closing === '0' && a.movements.length === 0)).toBe(true);
  });

  it('issues a PDF in the asset units, records its hash and checks a copy against it', async () => {
    const issued = await ok<IssuedStatement>('statements:issue', { clientId, from: today, to: today, format: 'pdf' }, ops.alice);
    const bytes = Buffer.from(issued.content, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(issued.sha256);
    expect(readFileSync(issued.file).equals(bytes)).toBe(true);
    expect(issued.fileName).toMatch(/^statement-maria-jose-nunez-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-devnet-.*\.pdf$/);

    const text = execFileSync('pdftotext', ['-layout', issued.file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, '');
    expect(text).toContain('Account statement');
    expect(text).toContain(NAME);
    expect(text).toContain(`Period: ${today} to ${today}`);
    expect(text).toContain('Network: DEVNET');
    expect(text).toContain('USDT on Polygon');
    expect(text).toContain('Opening balance: 0.00 USDT');
    expect(text).toMatch(/Deposit +client +1,250.50 +1,750.50/);
    expect(text).toContain('Total in: 1,850.50 USDT');
    expect(text).toContain('Transfer to Savings');
    expect(text).toContain('Closing balance: 1,730.50 USDT');
    // Hashes and addresses wrap, never cut: every character is there.
    expect(flat).toContain(depositTx);
    expect(flat).toContain(withdrawal.txHash!);
    expect(flat).toContain(withdrawal.destination);
    expect(text).toContain(`Network fee (paid by the company): ${formatAmountGrouped(BigInt(withdrawal.feePaid!), 18)} POL`);
    // No figure in base units: a base-unit string never stands alone (a fee in POL ends with its digits, after the point).
    for (const baseUnits of ['1250500000', '1730500000', '500000000', withdrawal.feePaid!]) expect(text).not.toMatch(new RegExp(`(?<![0-9.,])${baseUnits}`));
    expect(text).not.toContain('~');

    const record = await t.engine.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'statement.issued').where('entity_id', '=', issued.sha256).executeTakeFirstOrThrow();
    expect(record.operator).toBe('alice');
    const verdict = await ok<StatementVerification>('statements:verify', { sha256: issued.sha256.toUpperCase() });
    expect(verdict).toMatchObject({ issued: true, clientName: NAME, from: today, to: today, format: 'pdf', issuedBy: 'alice', issuedAt: issued.issuedAt, auditSeq: record.seq });

    // A copy changed by one byte is not one the books issued.
    const altered = Buffer.from(bytes);
    altered[altered.length - 10]! ^= 1;
    writeFileSync(join(t.home, 'altered.pdf'), altered);
    const other = createHash('sha256').update(readFileSync(join(t.home, 'altered.pdf'))).digest('hex');
    expect(await ok<StatementVerification>('statements:verify', { sha256: other })).toEqual({ sha256: other, issued: false });
  });

  it('issues a CSV with a network column and amounts in the asset units', async () => {
    const issued = await ok<IssuedStatement>('statements:issue', { clientId, from: today, to: today, format: 'csv' });
    const lines = Buffer.from(issued.content, 'base64').toString('utf8').trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 2)).toEqual(['network', 'client']);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const usdt = rows.filter((r) => r.asset_id === 'polygon:USDT');
    expect(usdt.every((r) => r.network === 'devnet')).toBe(true);
    expect(usdt.map((r) => r.row)).toEqual(['opening', 'movement', 'movement', 'movement', 'movement', 'movement', 'closing']);
    expect(usdt.find((r) => r.kind === 'deposit')).toMatchObject({ amount_in: '1250.5', tx_hash: depositTx });
    expect(usdt.find((r) => r.kind === 'withdrawal')).toMatchObject({ amount_out: '20', fee_symbol: 'POL' });
    expect(usdt.at(-1)).toMatchObject({ balance: '1730.5' });
    expect((await ok<StatementVerification>('statements:verify', { sha256: issued.sha256 })).format).toBe('csv');
  });

  it.each([
    ['an unknown client', { clientId: 'no-such-client', from: today, to: today }, 'not_found'],
    ['a period that ends before it starts', { clientId: 'x', from: '2026-02-02', to: '2026-02-01' }, 'validation'],
    ['a day that does not exist', { clientId: 'x', from: '2026-02-30', to: '2026-03-01' }, 'validation'],
  ])('refuses %s', async (_name, request, code) => {
    const before = await t.engine.database.db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(await call('statements:issue', { ...request, format: 'pdf' })).toMatchObject({ ok: false, error: { code } });
    const after = await t.engine.database.db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
