import type { Chain } from './chains';

/**
 * Destination screening (electron/engine/controls/screening.ts): a deny list the officer imports as CSV,
 * each import a new numbered version, and the client's risk level.
 */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' };

/** One imported deny list: the whole list as it stood at that import. */
export interface DenyListVersionView {
  version: number;
  fileName: string;
  /** SHA-256 of the file as imported, hex */
  sha256: string;
  entryCount: number;
  importedBy: string;
  importedAt: string;
}

/** A row of the imported file the engine refused, by its line number in the file (the header is line 1). */
export interface DenyListRowProblem {
  row: number;
  message: string;
}

/** The deny list's columns, in the order the file must name them on its first line. */
export const DENY_LIST_COLUMNS = ['chain', 'address', 'source'] as const;

/** A screened destination's entry on the list, when it is on it. */
export interface DenyListHit {
  chain: Chain;
  address: string;
  source: string;
  listVersion: number;
}
