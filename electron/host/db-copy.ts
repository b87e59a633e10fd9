import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copySqliteToPostgres, DatabaseCopyError, formatCopyReport } from '@engine/db/copy-to-postgres';
import { defaultHome } from '@engine/home';
import { DATABASE_FILE, workspaceHome } from '@engine/workspace/data-folder';
import { NETWORK_PROFILES, type NetworkProfile } from '@shared/domain/chains';

const USAGE = `usage: npm run db:copy -- [--from <treasury.sqlite>] [--to postgres://user:password@host:port/database]
  --from  the workstation's SQLite file (default: the TREASURY_PROFILE workspace's, devnet when unset, in the data
          folder; TREASURY_HOME overrides the folder)
  --to    an empty PostgreSQL database (default: TREASURY_DATABASE_URL, its {network} replaced by that network)
Copies every table in one transaction, verifies balances, row counts and the audit chain, and commits only if all agree.`;

/** `npm run db:copy`: moves a workstation's SQLite database onto the shared PostgreSQL server (exit 0 only when verified and committed). */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const profile = process.env.TREASURY_PROFILE?.trim();
  const network: NetworkProfile = NETWORK_PROFILES.includes(profile as NetworkProfile) ? (profile as NetworkProfile) : 'devnet';
  const from = values.from ?? join(workspaceHome(defaultHome(), network), DATABASE_FILE);
  // The copy keeps the workspace's record of its network, so the server database refuses every other network too.
  const to = (values.to ?? process.env.TREASURY_DATABASE_URL)?.replaceAll('{network}', network);
  if (!to || !/^postgres(ql)?:\/\//.test(to)) {
    console.error(`db:copy: --to must be a postgres:// URL.\n${USAGE}`);
    return 2;
  }
  try {
    const report = await copySqliteToPostgres({ from, to, log: (line) => console.log(line) });
    console.log(formatCopyReport(report));
    return 0;
  } catch (error) {
    if (error instanceof DatabaseCopyError) {
      if (error.report) console.error(formatCopyReport(error.report));
      console.error(`db:copy refused (${error.failure}): ${error.message}`);
      return error.failure === 'verification_failed' ? 3 : 1;
    }
    console.error('db:copy failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}

main().then((code) => process.exit(code));
