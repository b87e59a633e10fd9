import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { Database } from '../db/schema';

const KEY = 'workspace';

/** What a database records about the one network it serves, from the moment it is created. */
const recordSchema = z.object({
  network: z.enum(NETWORK_PROFILES),
  createdAt: z.string(),
  origin: z.enum(['new', 'migrated']),
  /** Every network the database was ever used under (more than one only for data from before workspaces). */
  usedUnder: z.array(z.enum(NETWORK_PROFILES)),
});
export type WorkspaceRecord = z.infer<typeof recordSchema>;

/** How an officer starts a clean mainnet workspace when the old data cannot become one. */
export function mixedHistoryRefusal(usedUnder: readonly NetworkProfile[]): string {
  const others = usedUnder.filter((n) => n !== 'mainnet');
  return (
    `This database was used under ${others.join(' and ')} as well as mainnet, so its wallets, balances and seed ` +
    `may hold test records: it can open as a ${others.join(' or ')} workspace only, never as mainnet. ` +
    'To run mainnet, start a clean mainnet workspace: switch to the network in Settings (or start with ' +
    'TREASURY_PROFILE=mainnet on a data folder without a mainnet workspace) and set it up with a new seed and passphrase.'
  );
}

/**
 * Binds a database to its network, once, and refuses it under any other afterwards. A database from before
 * workspaces is bound on its first open here: to the network it is on, unless its audit log shows it was used
 * under another network too, in which case it may open as devnet or testnet only, never as mainnet.
 */
export async function bindWorkspace(db: Kysely<Database>, network: NetworkProfile, audit: AuditLog, legacyInitial: NetworkProfile): Promise<WorkspaceRecord> {
  const existing = await readWorkspaceRecord(db);
  if (existing) {
    if (existing.network !== network) throw wrongNetwork(existing.network, network);
    return existing;
  }
  const history = await profileHistory(db, legacyInitial);
  const at = new Date().toISOString();
  if (history.used.length === 0) {
    const record: WorkspaceRecord = { network, createdAt: at, origin: 'new', usedUnder: [network] };
    await save(db, record, audit, 'workspace.created');
    return record;
  }
  if (!history.used.includes(network)) throw wrongNetwork(history.current ?? history.used[0]!, network);
  if (network === 'mainnet' && history.used.some((n) => n !== 'mainnet')) {
    throw new DomainError('wrong_network', mixedHistoryRefusal(history.used), { usedUnder: history.used });
  }
  const record: WorkspaceRecord = { network, createdAt: at, origin: 'migrated', usedUnder: history.used };
  await save(db, record, audit, 'workspace.migrated');
  return record;
}

export async function readWorkspaceRecord(db: Kysely<Database>): Promise<WorkspaceRecord | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return row ? recordSchema.parse(JSON.parse(row.value)) : null;
}

/**
 * Which networks a database from before workspaces was used under: the profile its settings are on, every
 * profile an audited settings change switched to, and the profile it started on when records came before the
 * first switch. An empty list: nothing was ever done in it.
 */
export async function profileHistory(db: Kysely<Database>, initial: NetworkProfile): Promise<{ current: NetworkProfile | null; used: NetworkProfile[] }> {
  const used = new Set<NetworkProfile>();
  const config = await db.selectFrom('settings').select('value').where('key', '=', 'configuration').executeTakeFirst();
  const current = config ? parseProfile(JSON.parse(config.value)?.profile) : null;
  const first = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'asc').limit(1).executeTakeFirst();
  if (!first && !current) return { current: null, used: [] };
  const switches = await db
    .selectFrom('audit_log')
    .select(['seq', 'change'])
    .where('action', '=', 'settings.changed')
    .orderBy('seq', 'asc')
    .execute();
  let firstSwitchSeq: number | null = null;
  for (const row of switches) {
    const profile = parseProfile(JSON.parse(row.change)?.profile);
    if (!profile) continue;
    firstSwitchSeq ??= row.seq;
    used.add(profile);
  }
  // Records before the first switch (or with no switch at all) were made on the profile it started on.
  if (first && (firstSwitchSeq === null || first.seq < firstSwitchSeq)) used.add(current && firstSwitchSeq === null ? current : initial);
  if (current) used.add(current);
  return { current, used: NETWORK_PROFILES.filter((n) => used.has(n)) };
}

function parseProfile(value: unknown): NetworkProfile | null {
  return (NETWORK_PROFILES as readonly unknown[]).includes(value) ? (value as NetworkProfile) : null;
}

function wrongNetwork(belongsTo: NetworkProfile, asked: NetworkProfile): DomainError {
  return new DomainError(
    'wrong_network',
    `This database belongs to the ${belongsTo} workspace; it cannot open as ${asked}. Each network keeps its own database and seed.`,
    { belongsTo, asked },
  );
}

async function save(db: Kysely<Database>, record: WorkspaceRecord, audit: AuditLog, action: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const value = JSON.stringify(record);
    await trx.insertInto('settings').values({ key: KEY, value, updated_at: record.createdAt }).execute();
    await audit.record({ operator: 'system', action, entity: { type: 'workspace', id: record.network }, change: { ...record } }, trx);
  });
}
