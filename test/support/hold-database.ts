/**
 * A second process on a data folder (node --import tsx): opens the SQLite database at argv[2] as `role`
 * (argv[3]) with the engine's own openDatabase, says `{"held":pid}` and waits to be killed, or prints
 * `{"refused":message}` and exits 3 when the folder is taken.
 */
import { openDatabase } from '@engine/db/open';
import { processOwner } from '@engine/db/leases';
import { DomainError } from '@shared/result';

const [path, role = 'engine'] = process.argv.slice(2);
try {
  await openDatabase({ dialect: 'sqlite', path: path! }, processOwner(role));
  console.log(JSON.stringify({ held: process.pid }));
  setInterval(() => undefined, 60_000);
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.log(JSON.stringify({ refused: error.message, code: error.code }));
  process.exit(3);
}
