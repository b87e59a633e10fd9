import type { DeviceState } from './status-words';
import { toSignerError } from './signer-error';

export type DeviceStateListener = (state: DeviceState, previous: DeviceState) => void;

/** Handed to a running request so it can say when the device screen asks the user to confirm. */
export interface DeviceRequestProgress {
  awaitingConfirmation(): void;
  /** The confirmation screen will show raw contract data: the officer is told before it appears. */
  awaitingBlindConfirmation(): void;
}

export interface DeviceRequest<T> {
  /** Names the request in logs and in the UI while it waits its turn ("sign evm 44'/60'/0'/0/0"). */
  label: string;
  run: (progress: DeviceRequestProgress) => Promise<T>;
}

/**
 * One request at a time in front of the device: a Ledger answers a single APDU exchange at a time,
 * and hw-transport throws a race error instead of waiting. Every outcome updates the device state.
 */
export class DeviceQueue {
  private current: DeviceState = 'not-connected';
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly listeners = new Set<DeviceStateListener>();

  constructor(onStateChange?: DeviceStateListener) {
    if (onStateChange) this.listeners.add(onStateChange);
  }

  get state(): DeviceState {
    return this.current;
  }

  /** Requests queued or running. */
  get pending(): number {
    return this.waiting;
  }

  subscribe(listener: DeviceStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setState(next: DeviceState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  /** Runs the request after every earlier one has settled; a failure never blocks later requests. */
  enqueue<T>(request: DeviceRequest<T>): Promise<T> {
    this.waiting += 1;
    const progress: DeviceRequestProgress = {
      awaitingConfirmation: () => this.setState('awaiting-confirmation'),
      awaitingBlindConfirmation: () => this.setState('awaiting-blind-confirmation'),
    };
    const turn = this.tail.then(async () => {
      try {
        const result = await request.run(progress);
        this.setState('ready');
        return result;
      } catch (error) {
        const failure = toSignerError(error);
        this.setState(failure.state);
        throw failure;
      } finally {
        this.waiting -= 1;
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}
