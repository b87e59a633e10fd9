/**
 * The status words a Ledger device ends its answers with, named once here so no other module reads a
 * bare 0x6985. Values follow the Ethereum and Tron apps and the BOLOS dashboard.
 */
export const StatusWord = {
  ok: 0x9000,
  rejectedOnDevice: 0x6985,
  invalidData: 0x6a80,
  incorrectP1P2: 0x6b00,
  wrongLength: 0x6700,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  /** Answered by recent firmware when the command targets an app that is not open. */
  appNotOpen: 0x6511,
  /** Answered by the dashboard to an app command on some firmware versions. */
  claNotSupportedDashboard: 0x6e01,
  appNotFound: 0x6807,
  lockedDevice: 0x5515,
  /** Older firmware answered this while the PIN screen was up. */
  lockedDeviceLegacy: 0x6b0c,
  securityStatusNotSatisfied: 0x6982,
} as const;

export type StatusWordName = keyof typeof StatusWord;

/** What the UI shows about the device, in the words a signer uses. */
export type DeviceState =
  | 'not-connected'
  | 'locked'
  | 'wrong-app'
  | 'ready'
  | 'awaiting-confirmation'
  | 'rejected'
  | 'disconnected';

export const DEVICE_STATE_LABELS: Record<DeviceState, string> = {
  'not-connected': 'Ledger not connected',
  locked: 'Ledger locked: enter the PIN on the device',
  'wrong-app': 'Open the right app on the Ledger',
  ready: 'Ledger ready',
  'awaiting-confirmation': 'Confirm on the Ledger',
  rejected: 'Rejected on the Ledger',
  disconnected: 'Ledger disconnected during the operation',
};

const STATE_BY_STATUS_WORD = new Map<number, DeviceState>([
  [StatusWord.ok, 'ready'],
  [StatusWord.rejectedOnDevice, 'rejected'],
  [StatusWord.insNotSupported, 'wrong-app'],
  [StatusWord.claNotSupported, 'wrong-app'],
  [StatusWord.claNotSupportedDashboard, 'wrong-app'],
  [StatusWord.appNotOpen, 'wrong-app'],
  [StatusWord.appNotFound, 'wrong-app'],
  [StatusWord.lockedDevice, 'locked'],
  [StatusWord.lockedDeviceLegacy, 'locked'],
  [StatusWord.securityStatusNotSatisfied, 'locked'],
]);

/**
 * The device state a status word means, or null when the word is an error about the request itself
 * (0x6a80 invalid data, wrong length): the device is still there and unlocked, the payload was refused.
 */
export function deviceStateForStatusWord(statusWord: number): DeviceState | null {
  return STATE_BY_STATUS_WORD.get(statusWord) ?? null;
}

const NAME_BY_VALUE = new Map<number, StatusWordName>(
  (Object.entries(StatusWord) as [StatusWordName, number][]).map(([name, value]) => [value, name]),
);

/** "0x6985 rejectedOnDevice", for logs and error details. */
export function describeStatusWord(statusWord: number): string {
  const hex = `0x${statusWord.toString(16).padStart(4, '0')}`;
  const name = NAME_BY_VALUE.get(statusWord);
  return name ? `${hex} ${name}` : hex;
}
