import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER = 'Treasury';

/**
 * The data folder: `TREASURY_HOME` when set, else the OS user-data folder Electron would use
 * (so the Electron app and the headless host open the same database).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TREASURY_HOME) return env.TREASURY_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
}
