/**
 * The status words a Ledger device ends its answers with, named once here so no other module reads a
 * bare 0x6985. Values are those of app-ethereum (SDK status_words.h), app-tron (src/app_errors.h) and
 * the BOLOS dashboard.
 */
export const StatusWord = {
  ok: 0x9000,
  rejectedOnDevice: 0x6985,
  invalidData: 0x6a80,
  incorrectP1P2: 0x6b00,
  wrongLength: 0x6700,
  /** The APDU's Lc does not match its data (app-ethereum's apdu_parser), SWO_WRONG_DATA_LENGTH. */
  wrongDataLength: 0x6a87,
  /** A continuation chunk with no transaction started (app-ethereum, SWO_COMMAND_NOT_ALLOWED). */
  commandNotAllowed: 0x6980,
  /** Ethereum app: a typed transaction of a type it does not know (SWO_MEMORY_WRITE_ERROR, its own choice). */
  unsupportedTransactionType: 0x6501,
  /** Tron: the BIP-32 path could not be read. */
  tronIncorrectPath: 0x6a8a,
  /** Tron: the transaction carries data (a memo) and "Transactions data" is off in the app settings. */
  tronDataNotAllowed: 0x6a8b,
  /** Tron: signing a bare hash and "Sign by hash" is off. */
  tronSignByHashNotAllowed: 0x6a8c,
  /** Tron: a contract call the app does not know and "Custom contracts" is off. */
  tronCustomContractNotAllowed: 0x6a8d,
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
  /** The device shows a contract call as raw data ("Blind signing ahead"): no descriptor was available. */
  | 'awaiting-blind-confirmation'
  | 'rejected'
  | 'disconnected';

export const DEVICE_STATE_LABELS: Record<DeviceState, string> = {
  'not-connected': 'Ledger not connected',
  locked: 'Ledger locked: enter the PIN on the device',
  'wrong-app': 'Open the right app on the Ledger',
  ready: 'Ledger ready',
  'awaiting-confirmation': 'Confirm on the Ledger',
  'awaiting-blind-confirmation':
    'Blind signing: the Ledger shows the contract call as raw data, not the token and amount. Check the contract and recipient against this dialog before you confirm.',
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
