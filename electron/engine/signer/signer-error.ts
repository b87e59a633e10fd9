import { describeStatusWord, deviceStateForStatusWord, StatusWord, type DeviceState } from './status-words';

/** Why a device request failed, in product words; the UI picks its message from this. */
export type SignerErrorReason =
  | 'not-connected'
  | 'locked'
  | 'wrong-app'
  | 'rejected'
  | 'disconnected'
  /** Ethereum app: a contract call without a descriptor the app trusts, and "Blind signing" off (0x6a80). */
  | 'blind-signing-required'
  /** Ethereum app: the token descriptor was refused (0x6a80 to PROVIDE_ERC20_TOKEN_INFORMATION). */
  | 'token-descriptor-refused'
  /** Tron app: a contract it does not know and "Custom contracts" off (0x6a8d). */
  | 'custom-contracts-required'
  /** Tron app: the transaction carries a memo and "Transactions data" is off (0x6a8b). */
  | 'data-not-allowed'
  /** Tron app: a bare hash to sign and "Sign by hash" off (0x6a8c). */
  | 'sign-by-hash-not-allowed'
  /** Tron app: the account path could not be read (0x6a8a). */
  | 'wrong-path'
  /** The app answered that the commands do not fit its protocol (0x6a87, 0x6700, 0x6b00, 0x6980, 0x6501): versions differ. */
  | 'app-protocol'
  /** The device plugged in derives another address at the holding path than the one registered. */
  | 'different-device'
  /** The app refused the payload (0x6a80) for another reason: a chain it does not sign for. */
  | 'invalid-data'
  /** The request itself is wrong before it reaches the device (token info for another contract). */
  | 'invalid-request'
  | 'device-error';

/**
 * A failed device request. `state` is what the device is in afterwards, so the queue and the UI can
 * show it; a rejection or a refused payload leaves the device 'ready' for the next attempt.
 */
export class SignerError extends Error {
  override readonly name = 'SignerError';
  readonly reason: SignerErrorReason;
  readonly state: DeviceState;
  readonly statusWord: number | null;

  constructor(
    reason: SignerErrorReason,
    message: string,
    options: { state?: DeviceState; statusWord?: number | null; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.state = options.state ?? stateAfter(reason);
    this.statusWord = options.statusWord ?? null;
  }

  /** Plain data for the IPC boundary, which keeps only an Error's message otherwise. */
  toFailure(): { code: string; message: string; details: { state: DeviceState; statusWord?: string } } {
    return {
      code: `signer:${this.reason}`,
      message: this.message,
      details: {
        state: this.state,
        ...(this.statusWord === null ? {} : { statusWord: describeStatusWord(this.statusWord) }),
      },
    };
  }
}

function stateAfter(reason: SignerErrorReason): DeviceState {
  switch (reason) {
    case 'not-connected':
    case 'locked':
    case 'wrong-app':
    case 'rejected':
    case 'disconnected':
      return reason;
    default:
      return 'ready';
  }
}

/**
 * What the officer reads, each with the action that gets the signature through. Status words stay in
 * `statusWord` for logs: they never reach the screen.
 */
export const SIGNER_MESSAGES: Record<SignerErrorReason, string> = {
  'not-connected': 'No Ledger device is connected. Plug in the holding wallet’s Ledger by USB.',
  locked: 'The Ledger is locked. Unlock it with its PIN.',
  'wrong-app': 'The expected app is not open on the Ledger. Open the Ethereum app (Polygon, BNB Chain) or the Tron app.',
  rejected: 'The request was rejected on the Ledger. Nothing was signed; start again to review it on the device once more.',
  disconnected: 'The Ledger was disconnected during the operation. Nothing was signed; plug it in, open the app and start again.',
  'blind-signing-required':
    'Enable blind signing in the Ethereum app’s settings on the Ledger (Ethereum app → Settings → Blind signing), then sign again. Ledger publishes no descriptor for this token, so the device will show “Blind signing ahead” and the contract call as raw data, not the token and amount: compare the contract address and recipient with this dialog.',
  'token-descriptor-refused':
    'The Ethereum app refused the token’s description. Update the Ethereum app in Ledger Live, then sign again. Nothing was signed.',
  'custom-contracts-required':
    'Enable “Custom contracts” in the Tron app’s settings on the Ledger, then sign again. The Tron app does not know this token, so the device will show the contract address and method instead of the token name.',
  'data-not-allowed':
    'The Tron app refused a transaction that carries a memo. Treasury never sends one: this request did not come from Treasury’s own builder. Nothing was signed.',
  'sign-by-hash-not-allowed':
    'The Tron app was asked to sign a bare hash, which Treasury never does. Leave “Sign by hash” off in the Tron app. Nothing was signed.',
  'wrong-path': 'The Tron app could not read the account path. Update the Tron app in Ledger Live, then sign again.',
  'app-protocol':
    'The Ledger app did not accept the commands Treasury sent: its version differs from the one Treasury expects. Update the app in Ledger Live, then sign again. Nothing was signed.',
  'different-device':
    'This Ledger is not the device registered for the holding wallet: it derives another address at the holding account. Connect the registered Ledger (the one set up with the company’s recovery phrase). Nothing was signed.',
  'invalid-data':
    'The Ledger app refused the transaction. Check that the app is up to date and signs for this network. Nothing was signed.',
  'invalid-request': 'The signing request is inconsistent.',
  'device-error': 'The Ledger answered with an unexpected error. Unplug it, plug it in again, open the app and retry.',
};

// Transport libraries can be duplicated in node_modules, so errors are recognised by shape, not class.
const DISCONNECTED_NAMES = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation']);
const NOT_CONNECTED_NAMES = new Set(['CantOpenDevice', 'NoDeviceFound', 'TransportOpenUserBlockedError']);
const NOT_CONNECTED_IDS = new Set(['NoDevice', 'NoDeviceFound', 'ListenTimeout', 'CantOpenDevice']);
// hw-app-eth rewrites a 0x6a80 on SIGN_TX into these before we see it: the app refused contract data.
const BLIND_SIGNING_NAMES = new Set(['EthAppPleaseEnableContractData', 'CeloAppPleaseEnableContractData']);

/** Status words whose meaning is the same in both apps, named once (device states are handled before). */
const REASON_BY_STATUS_WORD = new Map<number, SignerErrorReason>([
  [StatusWord.invalidData, 'invalid-data'],
  [StatusWord.tronCustomContractNotAllowed, 'custom-contracts-required'],
  [StatusWord.tronDataNotAllowed, 'data-not-allowed'],
  [StatusWord.tronSignByHashNotAllowed, 'sign-by-hash-not-allowed'],
  [StatusWord.tronIncorrectPath, 'wrong-path'],
  [StatusWord.wrongDataLength, 'app-protocol'],
  [StatusWord.wrongLength, 'app-protocol'],
  [StatusWord.incorrectP1P2, 'app-protocol'],
  [StatusWord.commandNotAllowed, 'app-protocol'],
  [StatusWord.unsupportedTransactionType, 'app-protocol'],
]);

/** Turns whatever a transport or app library threw into a SignerError. */
export function toSignerError(error: unknown): SignerError {
  if (error instanceof SignerError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    id?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };

  if (typeof shape.statusCode === 'number') {
    const statusWord = shape.statusCode;
    const state = deviceStateForStatusWord(statusWord);
    if (state === 'rejected' || state === 'locked' || state === 'wrong-app') {
      return new SignerError(state, SIGNER_MESSAGES[state], { statusWord, cause: error });
    }
    const reason = REASON_BY_STATUS_WORD.get(statusWord) ?? 'device-error';
    return new SignerError(reason, SIGNER_MESSAGES[reason], { statusWord, cause: error });
  }
  const name = typeof shape.name === 'string' ? shape.name : '';
  const id = typeof shape.id === 'string' ? shape.id : '';
  if (DISCONNECTED_NAMES.has(name)) {
    return new SignerError('disconnected', SIGNER_MESSAGES.disconnected, { cause: error });
  }
  if (NOT_CONNECTED_NAMES.has(name) || NOT_CONNECTED_IDS.has(id)) {
    return new SignerError('not-connected', SIGNER_MESSAGES['not-connected'], { cause: error });
  }
  if (BLIND_SIGNING_NAMES.has(name)) {
    return new SignerError('blind-signing-required', SIGNER_MESSAGES['blind-signing-required'], {
      statusWord: StatusWord.invalidData,
      cause: error,
    });
  }
  // the library's own text stays in `cause` for the log; the officer reads the named action
  return new SignerError('device-error', SIGNER_MESSAGES['device-error'], { cause: error });
}

export function signerError(reason: SignerErrorReason, detail?: string): SignerError {
  return new SignerError(reason, detail ? `${SIGNER_MESSAGES[reason]} ${detail}` : SIGNER_MESSAGES[reason]);
}
