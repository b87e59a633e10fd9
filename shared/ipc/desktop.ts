import type { Result } from '../result';

/** Electron only, beside the contract: show an export in the system's file manager (main checks it with the engine). */
export const SHOW_IN_FOLDER_CHANNEL = 'desktop:showInFolder';

export interface TreasuryDesktop {
  showInFolder(file: string): Promise<Result<{ shown: true }>>;
}
