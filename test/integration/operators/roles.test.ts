import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@shared/domain/operators';
import { allChannels } from '@shared/ipc/contract';
import { CHANNEL_ACCESS, channelsWithoutAccess, roleMayCall } from '@engine/operators/roles';
import type { WalletView } from '@shared/domain/wallets';
import { callOk, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';

/**
 * The role table in electron/engine/operators/roles.ts, checked through the dispatcher: every contract
 * channel, called as every role, is either let through or refused with `forbidden`, exactly as the table
 * says, and every refusal leaves an audit record.
 */
let t: TestEngine;
const as = {} as Record<Role, TestOperator>;
const channels = allChannels().map((c) => c.name);
// Every request schema is .strict(), so this field makes any payload invalid: a call the role table lets
// through ends in `validation` and never reaches a handler, so the matrix changes nothing but the audit log.
const PROBE = { roleTableProbe: true };

beforeAll(async () => {
  t = await startUnlockedEngine();
  for (const role of ROLES) as[role] = await t.signInAs(role);
});
afterAll(() => t.dispose());

const refusals = () =>
  t.engine.database.sqlite!.prepare("select count(*) as n from audit_log where action = 'access.refused'").get() as { n: number };

describe('the role table', () => {
  it('has a line for every contract channel (a channel without one is refused to everyone)', () => {
    expect(channelsWithoutAccess(channels), 'add these channels to CHANNEL_ACCESS in electron/engine/operators/roles.ts').toEqual([]);
  });

  it('names only real roles and lets admin call everything', () => {
    for (const [name, access] of Object.entries(CHANNEL_ACCESS)) {
      expect(name).toMatch(/^[a-z]+:[A-Za-z:]+$/);
      for (const role of access.roles) expect(ROLES).toContain(role);
      expect(access.roles, name).toContain('admin');
    }
  });

  describe.each(ROLES.map((role) => [role]))('as %s', (role) => {
    it.each(channels.filter((c) => c !== 'system:signOut').map((c) => [c]))('%s', async (channel) => {
      const before = refusals().n;
      const result = await as[role].call(channel, PROBE);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      if (roleMayCall(role, channel)) {
        expect(result.error.code, result.error.message).toBe('validation');
        expect(refusals().n).toBe(before);
      } else {
        expect(result.error.code).toBe('forbidden');
        expect(refusals().n).toBe(before + 1);
      }
    });
  });
});

describe('roles doing real work', () => {
  let wallet: WalletView;
  beforeAll(async () => {
    wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'role checks' }, as.officer);
  });

  it.each<[Role, string, () => unknown, boolean]>([
    ['officer', 'wallets:create', () => ({ chain: 'tron', label: 'officer makes' }), true],
    ['auditor', 'wallets:create', () => ({ chain: 'tron', label: 'auditor tries' }), false],
    ['approver', 'wallets:create', () => ({ chain: 'tron', label: 'approver tries' }), false],
    ['officer', 'transfers:companyCredit', () => ({ idempotencyKey: 'role-credit-1', walletId: wallet.id, assetId: 'polygon:USDT', amount: '10', reason: 'role check' }), true],
    ['auditor', 'transfers:companyCredit', () => ({ idempotencyKey: 'role-credit-2', walletId: wallet.id, assetId: 'polygon:USDT', amount: '10', reason: 'role check' }), false],
    ['auditor', 'audit:verify', () => ({}), true],
    ['auditor', 'wallets:get', () => ({ walletId: wallet.id }), true],
    ['auditor', 'configuration:update', () => ({ profile: 'testnet' }), false],
    ['officer', 'system:operators:create', () => ({ name: 'sneaky', role: 'admin', passphrase: 'a long enough one' }), false],
    ['approver', 'system:security:update', () => ({ idleTimeoutMinutes: 240 }), false],
    ['auditor', 'system:operators:list', () => ({}), true],
  ])('%s calling %s succeeds: %s', async (role, channel, payload, allowed) => {
    const result = await as[role].call(channel, payload());
    if (allowed) expect(result).toMatchObject({ ok: true });
    else expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(roleMayCall(role, channel)).toBe(allowed);
  });

  it('audits a refusal with who, what and through which door, never the payload', async () => {
    await as.auditor.call('transfers:companyCredit', { idempotencyKey: 'role-credit-3', walletId: wallet.id, assetId: 'polygon:USDT', amount: '77', reason: 'secret-ish' });
    const last = t.engine.database.sqlite!.prepare("select * from audit_log where action = 'access.refused' order by seq desc limit 1").get() as Record<string, string>;
    expect(last).toMatchObject({ operator: as.auditor.name, entity_type: 'channel', entity_id: 'transfers:companyCredit' });
    expect(JSON.parse(last.change!)).toMatchObject({ door: 'test', role: 'auditor', code: 'forbidden' });
    expect(last.change).not.toContain('secret-ish');
  });

  it('takes the operator and role from the session, never from what the caller wrote in its context', async () => {
    const forged = { ...as.auditor.context, operator: 'admin', operatorId: 'x', role: 'admin' as const };
    const result = await t.engine.api.call('system:operators:create', { name: 'forged', role: 'admin', passphrase: 'a long enough one' }, forged);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const anonymous = await t.door.call('wallets:list', {}, { door: 'test', operator: 'admin', role: 'admin' });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses every channel but status, session and sign-in to a caller with no session', async () => {
    for (const channel of channels) {
      const result = await t.door.call(channel, PROBE, { door: 'test' });
      const open = CHANNEL_ACCESS[channel]?.anonymous === 'always';
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code, channel).toBe(open ? 'validation' : 'unauthenticated');
    }
  });
});
