import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { CustodyService } from '../custody/custody-service';
import type { OperatorService } from '../operators/operator-service';
import { actingOperator } from '../operators/acting-operator';
import type { SystemService } from '../system/system-service';
import type { RecoveryCheck } from '../custody/recovery-check';
import type { AreaHandlers, CallContext } from './types';

type SystemCustodyHandlers = Pick<
  AreaHandlers<'system'>,
  'status' | 'setup' | 'unlock' | 'lock' | 'restore' | 'exportBackup' | 'revealRecoveryWords' | 'recoveryStatus' | 'confirmRecoveryWords'
>;

/**
 * Status and the seed vault. The seed is sealed under a random vault key that each operator's passphrase
 * unwraps (operators/), so setup and restore also make the first admin, and unlock doubles as sign-in.
 */
export const systemHandlers = (system: SystemService, custody: CustodyService, audit: AuditLog, operators: OperatorService, recovery: RecoveryCheck): SystemCustodyHandlers => {
  const note = (action: string, operator = 'system', change: Record<string, unknown> = {}) =>
    audit.record({ operator, action, entity: { type: 'custody', id: 'seed-vault' }, change });
  // Setup, restore and unlock answer with the session they ran in, as they do when they open one; the
  // token is the caller's own, and the door takes it out again.
  const withSession = <T extends object>(status: T, context: CallContext) => {
    const live = context.session ? operators.sessions.resolve(context.session, false) : null;
    return live && live !== 'expired' ? { ...status, session: operators.sessionView(live, context.session) } : status;
  };
  return {
    status: () => system.status(),
    setup: async ({ passphrase, operator }, context) => {
      if (!context.operator) {
        const { session } = await operators.firstStart(operator ?? 'admin', passphrase, { kind: 'new' });
        await note('custody.initialized', session.operator.name, { fingerprint: (await custody.status()).fingerprint });
        return { ...(await custody.status()), session };
      }
      await operators.installSeedFor(actingOperator(context), passphrase, { kind: 'new' });
      await note('custody.initialized', context.operator, { fingerprint: (await custody.status()).fingerprint });
      return withSession(await custody.status(), context);
    },
    unlock: async ({ passphrase, operator }, context) => {
      if (!context.operator) {
        // Not signed in: unlock is sign-in; a workstation with one operator may leave out the name.
        const name = operator ?? (await soleOperator(operators));
        const { session, custody: status } = await operators.signIn(name, passphrase, context.door);
        return { ...status, session };
      }
      if (operator !== undefined && operator !== context.operator) {
        throw new DomainError('validation', 'Signed in as another operator: sign out first.');
      }
      await operators.reopenSeed(actingOperator(context), passphrase);
      await note('custody.unlocked', context.operator);
      return withSession(await custody.status(), context);
    },
    restore: async ({ mnemonic, passphrase, operator }, context) => {
      if (!context.operator) {
        const { session } = await operators.firstStart(operator ?? 'admin', passphrase, { kind: 'restore', mnemonic });
        await note('custody.restored', session.operator.name, { fingerprint: (await custody.status()).fingerprint });
        await recovery.markConfirmed(session.operator.name, 'restored');
        return { ...(await custody.status()), session };
      }
      await operators.installSeedFor(actingOperator(context), passphrase, { kind: 'restore', mnemonic });
      await note('custody.restored', context.operator, { fingerprint: (await custody.status()).fingerprint });
      await recovery.markConfirmed(context.operator ?? 'system', 'restored');
      return withSession(await custody.status(), context);
    },
    exportBackup: async ({ passphrase, backupPassphrase }, context) => {
      const backup = await operators.exportSeedBackup(actingOperator(context), passphrase, backupPassphrase);
      await note('custody.backup_exported', context.operator);
      return { backup };
    },
    revealRecoveryWords: async ({ passphrase }, context) => ({ words: await recovery.reveal(actingOperator(context), passphrase) }),
    recoveryStatus: () => recovery.status(),
    confirmRecoveryWords: ({ answers }, context) => recovery.confirm(actingOperator(context), answers),
    lock: async (_request, context) => {
      operators.lockSeed();
      await note('custody.locked', context.operator);
      return custody.status();
    },
  };
};

async function soleOperator(operators: OperatorService): Promise<string> {
  const all = await operators.list();
  if (all.length === 1) return all[0]!.name;
  throw new DomainError(all.length === 0 ? 'not_found' : 'validation', all.length === 0 ? 'No operator yet: set up the workstation first.' : 'Give the operator name to sign in.');
}
