import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyCreditView } from '@shared/domain/controls';
import type { WalletView } from '@shared/domain/wallets';
import type { AddressBookEntry, WithdrawalView } from '@shared/domain/withdrawals';
import { applyPolicy, refusedAndAudited } from '@test/controls';
import { callOk, type TestOperator } from '@test/engine';
import { ASSET, DESTINATION, fundedWallet, startControlsBench, verifiedClient, type ControlsBench } from './controls-fixtures';

/**
 * n of m, after BitGo's and Fireblocks' policy engines, on the Polygon devnet: with a quorum of two per kind
 * of item, a withdrawal, a whitelisting and a company credit each need two distinct approvers besides their
 * maker. The first approval is recorded (audited) and leaves the item waiting; nobody approves twice; the
 * second applies it; the one who already approved is offered Approve no more.
 */
const USDT = 1_000_000n;
let bench: ControlsBench;
let wallet: WalletView;
let secondApprover: TestOperator;
let secondOfficer: TestOperator;

const as = <T>(who: TestOperator | undefined, channel: string, payload: unknown) => callOk<T>(bench.t.engine, channel, payload, who);
const actions = async (who: TestOperator, withdrawalId: string) => (await as<WithdrawalView>(who, 'withdrawals:get', { withdrawalId })).allowedActions;

beforeAll(async () => {
  bench = await startControlsBench();
  const client = await verifiedClient(bench, { country: 'AR', kind: 'cuit', value: '20-12345678-6' });
  wallet = await fundedWallet(bench, 'quorum', 100n * USDT, client.id);
  secondApprover = await bench.t.signInAs('approver', 'approver-two');
  secondOfficer = await bench.t.signInAs('officer', 'officer-two');
  await applyPolicy(bench.t, 'withdrawals:controlsSet', { quorum: { withdrawal: 2, whitelist: 2, companyCredit: 2 } });
}, 120_000);
afterAll(async () => {
  await bench?.stop();
});

describe('two approvers besides the maker', () => {
  it('a withdrawal', async () => {
    const requested = await as<WithdrawalView>(undefined, 'withdrawals:request', { idempotencyKey: 'quorum-withdrawal', walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), destination: DESTINATION });
    const first = await as<WithdrawalView>(bench.approver, 'withdrawals:approve', { withdrawalId: requested.id });
    expect(first).toMatchObject({ state: 'requested', approvals: [bench.approver.name], approvedBy: null });
    expect(await actions(bench.approver, requested.id)).toEqual(['cancel']);
    expect(await actions(secondApprover, requested.id)).toEqual(['approve', 'cancel']);
    const twice = await refusedAndAudited(bench.t, 'withdrawals:approve', { withdrawalId: requested.id }, 'already_approved', bench.approver);
    expect(twice.change.details).toMatchObject({ approvals: [bench.approver.name], needed: 2 });
    await refusedAndAudited(bench.t, 'withdrawals:approve', { withdrawalId: requested.id }, 'maker_checker');
    const second = await as<WithdrawalView>(secondApprover, 'withdrawals:approve', { withdrawalId: requested.id });
    expect(second).toMatchObject({ state: 'approved', approvals: [bench.approver.name, secondApprover.name] });
    const records = await bench.t.engine.database.db.selectFrom('audit_log').select(['action', 'operator']).where('entity_id', '=', requested.id).orderBy('seq').execute();
    expect(records.filter((r) => r.action.startsWith('withdrawal.approv'))).toEqual([
      { action: 'withdrawal.approval_recorded', operator: bench.approver.name },
      { action: 'withdrawal.approved', operator: secondApprover.name },
    ]);
  });

  it('a whitelisting: two officers other than the one who added it; its time lock starts at the second', async () => {
    const added = await as<AddressBookEntry>(undefined, 'withdrawals:addressBookAdd', { chain: 'polygon', address: DESTINATION, label: 'Exchange', whitelisted: true });
    const first = await as<AddressBookEntry>(bench.officer, 'withdrawals:addressBookApprove', { entryId: added.id });
    expect(first).toMatchObject({ approvedBy: null, usableFrom: null, approvals: [bench.officer.name] });
    const listed = await as<AddressBookEntry[]>(bench.officer, 'withdrawals:addressBookList', {});
    expect(listed.find((e) => e.id === added.id)?.allowedActions).toEqual(['remove']);
    await refusedAndAudited(bench.t, 'withdrawals:addressBookApprove', { entryId: added.id }, 'already_approved', bench.officer);
    const second = await as<AddressBookEntry>(secondOfficer, 'withdrawals:addressBookApprove', { entryId: added.id });
    expect(second.approvedBy).toBe(`${bench.officer.name}, ${secondOfficer.name}`);
    expect(second.usableFrom).not.toBeNull();
  });

  it('a company credit books only at the second approval', async () => {
    const asked = await as<CompanyCreditView>(undefined, 'transfers:companyCredit', { idempotencyKey: 'quorum-credit-1', walletId: wallet.id, assetId: ASSET, amount: USDT.toString(), reason: 'two approvers' });
    const first = await as<CompanyCreditView>(bench.approver, 'transfers:approveCompanyCredit', { creditId: asked.id });
    expect(first).toMatchObject({ state: 'requested', transferId: null, approvals: [bench.approver.name] });
    const second = await as<CompanyCreditView>(secondApprover, 'transfers:approveCompanyCredit', { creditId: asked.id });
    expect(second).toMatchObject({ state: 'approved', approvals: [bench.approver.name, secondApprover.name] });
    expect(second.transferId).not.toBeNull();
  });
});
