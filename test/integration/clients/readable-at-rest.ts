import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder (the data folder: database, WAL, KYC scans, seed vault, exports). */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which known values (UTF-8, as SQLite and the files hold text) or runs of scan bytes appear in clear in the folder. */
export function readableIn(folder: string, secrets: readonly string[], fileRuns: readonly Buffer[]): string[] {
  const found: string[] = [];
  for (const path of filesUnder(folder)) {
    const bytes = readFileSync(path);
    for (const secret of secrets) if (bytes.includes(Buffer.from(secret, 'utf8'))) found.push(`${secret} in ${path}`);
    for (const run of fileRuns) if (bytes.includes(run)) found.push(`file bytes in ${path}`);
  }
  return found;
}
