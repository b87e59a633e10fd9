import { useState } from 'react';
import { CHAIN_LABELS, chainFamily } from '@shared/domain/chains';
import type { WithdrawalView } from '@shared/domain/withdrawals';
import { formatAmountGrouped } from '@shared/money';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorState } from '../../components/States';
import { useAssets } from '../../store/assets';
import { useEngineEvents } from '../../store/engine-events';
import { DeviceProblem, deviceProblemReason } from './DeviceProblem';

/** The device steps in the order a signer meets them, keyed by the engine's device states. */
const STEPS = [
  { id: 'connect', title: 'Connect the Ledger', hint: 'Plug in the holding wallet’s Ledger by USB.', states: ['not-connected', 'disconnected'] },
  { id: 'unlock', title: 'Unlock it', hint: 'Enter the PIN on the device.', states: ['locked'] },
  { id: 'app', title: 'Open the app', hint: 'Open the Ethereum app (Polygon, BNB Chain) or the Tron app.', states: ['wrong-app'] },
  {
    id: 'confirm',
    title: 'Check and confirm on the device',
    hint: 'Compare every field above with the device screen, then approve.',
    states: ['ready', 'awaiting-confirmation', 'awaiting-blind-confirmation'],
  },
] as const;

type Phase = 'idle' | 'signing' | 'done' | 'failed';

/** Groups an address in fours, as it is easiest to compare against the device's screen. */
function grouped(address: string): string {
  return address.replace(/(.{4})/g, '$1 ').trim();
}

export function SigningDialog(props: { withdrawal: WithdrawalView; onClose(): void; onDone(withdrawal: WithdrawalView): void }) {
  const w = props.withdrawal;
  const asset = useAssets((s) => s.byId[w.assetId]);
  const [phase, setPhase] = useState<Phase>('idle');
  const [deviceState, setDeviceState] = useState<string | null>(null);
  const [deviceDetail, setDeviceDetail] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [signed, setSigned] = useState<WithdrawalView | null>(null);
  const [usb, setUsb] = useState<string | null>(null);

  useEngineEvents((event) => {
    if (event.type === 'device.status' && phase === 'signing') {
      setDeviceState(event.state);
      setDeviceDetail(event.detail ?? null);
    }
    if (event.type === 'device.plugged') setUsb(event.plugged ? 'A Ledger was plugged in.' : 'The Ledger was unplugged.');
  });

  const sign = async () => {
    setPhase('signing');
    setError(null);
    setDeviceState(null);
    const result = await treasury.withdrawals.sign({ withdrawalId: w.id });
    if (result.ok) {
      setSigned(result.data);
      setPhase('done');
    } else {
      setError(result.error);
      setPhase('failed');
    }
  };

  const currentStep = deviceState ? STEPS.findIndex((s) => (s.states as readonly string[]).includes(deviceState)) : phase === 'signing' ? 0 : -1;
  const amount = asset ? `${asset.symbol} ${formatAmountGrouped(BigInt(w.amount), asset.decimals)}` : '…';

  return (
    <Dialog title="Sign the withdrawal on the Ledger" onClose={props.onClose} wide testId="signing-dialog">
      <div className="stack dialog__body">
        <div className="device-preview" aria-label="What the device will show">
          <div className="device-preview__screen">
            <div className="device-preview__title">{chainFamily(w.chain) === 'evm' ? 'Review transaction' : 'Send'}</div>
            <dl>
              <dt>Amount</dt>
              <dd data-testid="device-amount">{amount}</dd>
              <dt>To</dt>
              <dd className="mono" data-testid="device-destination">
                {grouped(w.destination)}
              </dd>
              <dt>Network</dt>
              <dd>{CHAIN_LABELS[w.chain]}</dd>
              {asset?.contract && (
                <>
                  <dt>Token contract</dt>
                  <dd className="mono">{grouped(asset.contract)}</dd>
                </>
              )}
              <dt>From (holding)</dt>
              <dd className="mono">{grouped(w.source)}</dd>
            </dl>
          </div>
          <p className="muted small">
            The Ledger shows these fields one screen at a time. If any differs from what you see here, reject on the device.
          </p>
        </div>

        <ol className="steps" aria-label="Device steps">
          {STEPS.map((step, index) => {
            const state = phase === 'done' || index < currentStep ? 'done' : index === currentStep ? 'current' : 'todo';
            return (
              <li key={step.id} className={`steps__item steps__item--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
                <span className="steps__mark" aria-hidden>
                  {state === 'done' ? '✓' : index + 1}
                </span>
                <div>
                  <strong>{step.title}</strong>
                  <div className="muted small">{state === 'current' && deviceDetail ? deviceDetail : step.hint}</div>
                </div>
              </li>
            );
          })}
        </ol>

        {usb && (
          <p className="muted small" role="status" data-testid="signing-usb">
            {usb}
          </p>
        )}
        {phase === 'signing' && (
          <p className="notice notice--progress" role="status" data-testid="signing-progress">
            Waiting for the device{deviceState ? `: ${deviceDetail ?? deviceState}` : '…'}
          </p>
        )}
        {phase === 'done' && signed && (
          <p className="notice" role="status" data-testid="signing-done">
            Signed by {signed.signedBy ?? 'the signer'} and {signed.state === 'broadcast' ? 'broadcast' : signed.state}.{' '}
            {signed.txHash && (
              <>
                Transaction <code>{signed.txHash}</code>
              </>
            )}
          </p>
        )}
        {phase === 'signing' && deviceState === 'awaiting-blind-confirmation' && (
          <p className="notice notice--warning" role="status" data-testid="signing-blind">
            Blind signing: the Ledger shows “Blind signing ahead” and the call to the token contract as raw data, not the token
            and amount. Approve only if the contract address on the device is {asset?.contract ? grouped(asset.contract) : 'the token’s'}.
          </p>
        )}
        {error &&
          (deviceProblemReason(error) ? (
            <DeviceProblem error={error} reason={deviceProblemReason(error)!} contract={asset?.contract ?? null} network={CHAIN_LABELS[w.chain]} />
          ) : (
            <ErrorState error={error} />
          ))}
        <div className="actions">
          <button type="button" className="secondary" onClick={props.onClose} disabled={phase === 'signing'}>
            {phase === 'done' ? 'Close' : 'Cancel'}
          </button>
          {phase !== 'done' ? (
            <button type="button" onClick={() => void sign()} disabled={phase === 'signing'} data-testid="signing-start">
              {phase === 'failed' ? 'Try again' : phase === 'signing' ? 'Signing…' : 'Start signing'}
            </button>
          ) : (
            <button type="button" onClick={() => signed && props.onDone(signed)} data-testid="signing-finish">
              Done
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
