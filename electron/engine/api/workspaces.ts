import type { NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { WorkspaceDoor } from '../workspace/workspace-switcher';
import type { AreaHandlers } from './types';

type WorkspaceHandlers = Pick<AreaHandlers<'system'>, 'workspaces' | 'switchNetwork'>;

/**
 * Which network's workspace this is, and the one way to another: the door closes this engine and opens the
 * other network's (with its own database and seed). A process without such a door serves its one network.
 */
export const workspaceHandlers = (network: NetworkProfile, audit: AuditLog, door: WorkspaceDoor | undefined): WorkspaceHandlers => ({
  workspaces: async () => door?.view() ?? { network, workspaces: [{ network, exists: true, current: true }], notice: null },
  switchNetwork: async ({ network: next }, context) => {
    if (next === network) throw new DomainError('conflict', `This is already the ${network} workspace.`);
    if (!door) {
      throw new DomainError('conflict', `This process serves the ${network} workspace only; start it again with TREASURY_PROFILE=${next} to open ${next}.`);
    }
    await audit.record({ operator: context.operator ?? 'first start', action: 'workspace.switch_requested', entity: { type: 'workspace', id: network }, change: { from: network, to: next } });
    door.switchTo(next);
    return { network: next, switching: true as const };
  },
});
