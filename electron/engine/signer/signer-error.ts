import { describeStatusWord, deviceStateForStatusWord, StatusWord, type DeviceState } from './status-words';

/** Why a device request failed, in product words; the UI picks its message from this. */
export type SignerErrorReason =
  | 'not-connected'
  | 'locked'
  | 'wrong-app'
  | 'rejected'
  | 'disconnected'
  /** The app refused the payload (0x6a80): blind signing off, a token descriptor it does not trust. */
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
    case 'invalid-data':
    case 'invalid-request':
    case 'device-error':
      return 'ready';
  }
}

const MESSAGES: Record<SignerErrorReason, string> = {
  'not-connected': 'No Ledger device is connected.',
  locked: 'The Ledger is locked. Unlock it with its PIN.',
  'wrong-app': 'The expected app is not open on the Ledger.',
  rejected: 'The request was rejected on the Ledger. Nothing was signed.',
  disconnected: 'The Ledger was disconnected during the operation. Nothing was signed.',
  'invalid-data':
    'The Ledger app refused the data. Check that the app is up to date and that the token is known to it.',
  'invalid-request': 'The signing request is inconsistent.',
  'device-error': 'The Ledger answered with an unexpected error.',
};

// Transport libraries can be duplicated in node_modules, so errors are recognised by shape, not class.
const DISCONNECTED_NAMES = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation']);
const NOT_CONNECTED_NAMES = new Set(['CantOpenDevice', 'NoDeviceFound', 'TransportOpenUserBlockedError']);
const NOT_CONNECTED_IDS = new Set(['NoDevice', 'NoDeviceFound', 'ListenTimeout', 'CantOpenDevice']);
// hw-app-eth rewrites a 0x6a80 on SIGN_TX into these before we see it.
const INVALID_DATA_NAMES = new Set(['EthAppPleaseEnableContractData', 'CeloAppPleaseEnableContractData']);

/** Turns whatever a transport or app library threw into a SignerError. */
export function toSignerError(error: unknown): SignerError {
  if (error instanceof SignerError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    id?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  const detail = typeof shape.message === 'string' ? shape.message : String(error);

  if (typeof shape.statusCode === 'number') {
    const statusWord = shape.statusCode;
    const state = deviceStateForStatusWord(statusWord);
    if (state === 'rejected' || state === 'locked' || state === 'wrong-app') {
      return new SignerError(state, MESSAGES[state], { statusWord, cause: error });
    }
    if (statusWord === StatusWord.invalidData) {
      return new SignerError('invalid-data', MESSAGES['invalid-data'], { statusWord, cause: error });
    }
    return new SignerError('device-error', `${MESSAGES['device-error']} (${describeStatusWord(statusWord)})`, {
      statusWord,
      cause: error,
    });
  }
  const name = typeof shape.name === 'string' ? shape.name : '';
  const id = typeof shape.id === 'string' ? shape.id : '';
  if (DISCONNECTED_NAMES.has(name)) {
    return new SignerError('disconnected', MESSAGES.disconnected, { cause: error });
  }
  if (NOT_CONNECTED_NAMES.has(name) || NOT_CONNECTED_IDS.has(id)) {
    return new SignerError('not-connected', MESSAGES['not-connected'], { cause: error });
  }
  if (INVALID_DATA_NAMES.has(name)) {
    return new SignerError('invalid-data', MESSAGES['invalid-data'], {
      statusWord: StatusWord.invalidData,
      cause: error,
    });
  }
  return new SignerError('device-error', `${MESSAGES['device-error']} ${detail}`, { cause: error });
}

export function signerError(reason: SignerErrorReason, detail?: string): SignerError {
  return new SignerError(reason, detail ? `${MESSAGES[reason]} ${detail}` : MESSAGES[reason]);
}
