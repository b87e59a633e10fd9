import type { AppError } from '@shared/result';

/**
 * A device refusal named for the officer: what happened, what to do on the device, and what the device
 * will show once it is done. Keyed by the engine's signer reason (details.reason of a `device` error).
 */
interface Named {
  title: string;
  /** Steps on the device, in order. */
  steps?: string[];
  /** What the device screen will show after the steps, so nothing on it comes as a surprise. */
  willShow?: (ctx: { contract: string | null; network: string }) => string;
}

const NAMED: Record<string, Named> = {
  'blind-signing-required': {
    title: 'Enable blind signing in the Ethereum app’s settings',
    steps: ['On the Ledger, open the Ethereum app.', 'Go to Settings → Blind signing and turn it on.', 'Press “Try again” here.'],
    willShow: ({ contract, network }) =>
      `“Blind signing ahead”, then a transaction to the token contract ${contract ?? ''} on ${network} with an amount of 0 and raw data instead of the token and amount. Compare the contract address with this dialog before you approve; turn blind signing off again afterwards.`,
  },
  'custom-contracts-required': {
    title: 'Enable “Custom contracts” in the Tron app’s settings',
    steps: ['On the Ledger, open the Tron app.', 'Go to Settings → Custom contracts and turn it on.', 'Press “Try again” here.'],
    willShow: ({ contract }) =>
      `The contract address ${contract ?? ''} and the method a9059cbb (transfer) instead of the token name and amount. Compare the contract address with this dialog before you approve.`,
  },
  'token-descriptor-refused': { title: 'The Ethereum app refused the token’s description', steps: ['Update the Ethereum app in Ledger Live.', 'Press “Try again” here.'] },
  'different-device': { title: 'A different Ledger is connected', steps: ['Connect the Ledger the holding wallet was registered from.', 'Press “Try again” here.'] },
  'app-protocol': { title: 'The Ledger app needs an update', steps: ['Update the app in Ledger Live.', 'Press “Try again” here.'] },
  'wrong-path': { title: 'The Tron app could not read the account', steps: ['Update the Tron app in Ledger Live.', 'Press “Try again” here.'] },
  'data-not-allowed': { title: 'The Tron app refused a memo' },
  'sign-by-hash-not-allowed': { title: 'The Tron app refused to sign a bare hash' },
  'invalid-data': { title: 'The Ledger app refused the transaction' },
  rejected: { title: 'Rejected on the Ledger' },
  locked: { title: 'The Ledger is locked', steps: ['Enter the PIN on the device.', 'Press “Try again” here.'] },
  'wrong-app': { title: 'Open the right app on the Ledger' },
  'not-connected': { title: 'No Ledger connected' },
  disconnected: { title: 'The Ledger was disconnected' },
};

export function deviceProblemReason(error: AppError): string | null {
  if (error.code !== 'device') return null;
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' && reason in NAMED ? reason : null;
}

export function DeviceProblem(props: { error: AppError; reason: string; contract: string | null; network: string }) {
  const named = NAMED[props.reason]!;
  return (
    <div className="state state--error device-problem" role="alert" data-testid="device-problem" data-reason={props.reason}>
      <strong>{named.title}</strong>
      <p>{props.error.message}</p>
      {named.steps && (
        <ol>
          {named.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
      {named.willShow && (
        <p className="small">
          <strong>The device will then show: </strong>
          {named.willShow({ contract: props.contract, network: props.network })}
        </p>
      )}
    </div>
  );
}
