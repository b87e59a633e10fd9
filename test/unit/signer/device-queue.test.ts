import { describe, expect, it } from 'vitest';
import { DeviceQueue } from '@engine/signer/device-queue';
import { SignerError } from '@engine/signer/signer-error';
import type { DeviceState } from '@engine/signer/status-words';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('device queue', () => {
  it('runs one request at a time, in the order they came', async () => {
    const queue = new DeviceQueue();
    const events: string[] = [];
    let running = 0;
    const request = (label: string) =>
      queue.enqueue({
        label,
        run: async () => {
          running += 1;
          expect(running).toBe(1);
          events.push(`start ${label}`);
          await tick();
          events.push(`end ${label}`);
          running -= 1;
          return label;
        },
      });

    const results = await Promise.all([request('a'), request('b'), request('c')]);

    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.pending).toBe(0);
  });

  it('keeps serving after a failed request', async () => {
    const queue = new DeviceQueue();
    const failing = queue.enqueue({
      label: 'sign',
      run: async (progress) => {
        progress.awaitingConfirmation();
        throw new SignerError('rejected', 'Rejected on the device.');
      },
    });
    const next = queue.enqueue({ label: 'address', run: async () => 'ok' });

    await expect(failing).rejects.toMatchObject({ reason: 'rejected' });
    await expect(next).resolves.toBe('ok');
  });

  it('reports each state change: awaiting confirmation, then the outcome', async () => {
    const changes: Array<[DeviceState, DeviceState]> = [];
    const queue = new DeviceQueue((state, previous) => changes.push([previous, state]));

    await queue.enqueue({ label: 'address', run: async () => undefined });
    await queue
      .enqueue({
        label: 'sign',
        run: async (progress) => {
          progress.awaitingConfirmation();
          throw Object.assign(new Error('gone'), { name: 'DisconnectedDeviceDuringOperation' });
        },
      })
      .catch(() => undefined);

    expect(changes).toEqual([
      ['not-connected', 'ready'],
      ['ready', 'awaiting-confirmation'],
      ['awaiting-confirmation', 'disconnected'],
    ]);
    expect(queue.state).toBe('disconnected');
  });

  it('turns foreign errors into SignerErrors', async () => {
    const queue = new DeviceQueue();
    const failure = queue.enqueue({
      label: 'sign',
      run: async () => {
        throw Object.assign(new Error('Ledger device: locked'), { statusCode: 0x5515 });
      },
    });
    await expect(failure).rejects.toBeInstanceOf(SignerError);
    expect(queue.state).toBe('locked');
  });

  it('lets listeners unsubscribe', async () => {
    const queue = new DeviceQueue();
    const seen: DeviceState[] = [];
    const unsubscribe = queue.subscribe((state) => seen.push(state));
    queue.setState('ready');
    unsubscribe();
    queue.setState('locked');
    expect(seen).toEqual(['ready']);
  });
});
