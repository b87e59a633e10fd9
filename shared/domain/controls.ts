/**
 * The controls' own settings (electron/engine/controls): one policy screen shows them beside the
 * withdrawal rules. Defaults apply until an admin changes them.
 */
export interface ControlsSettings {
  /** Hours between a whitelist addition's approval and its first use. */
  whitelistTimeLockHours: number;
  /** Whether internal transfers may land in wallets that belong to no client (the company's own). */
  transfersToUnownedWallets: boolean;
}

export const DEFAULT_CONTROLS: ControlsSettings = { whitelistTimeLockHours: 24, transfersToUnownedWallets: true };

/** What the signed-in operator may do with a withdrawal now: the window shows these buttons and no others. */
export const WITHDRAWAL_ACTIONS = ['approve', 'sign', 'replace', 'cancel'] as const;
export type WithdrawalAction = (typeof WITHDRAWAL_ACTIONS)[number];

/** What the signed-in operator may do with an address book entry now. */
export const ADDRESS_BOOK_ACTIONS = ['approve', 'remove'] as const;
export type AddressBookAction = (typeof ADDRESS_BOOK_ACTIONS)[number];
