import { useEffect, useRef } from 'react';
import type { EngineEvent } from '@shared/ipc/events';
import { treasury } from '../api';

/** Subscribes a component to the engine's push events for as long as it is mounted. */
export function useEngineEvents(listener: (event: EngineEvent) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => treasury.onEvent((event) => latest.current(event)), []);
}

/**
 * Loads once when mounted (and when `load` changes), then again after the events of `types` settle: they arrive
 * in bursts (a batch of deposits), so one reload per burst, `delayMs` after the last.
 */
export function useLoadAndReloadOn(load: () => Promise<void>, types: ReadonlyArray<EngineEvent['type']>, delayMs: number): void {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    void load();
    return () => {
      if (pending.current) clearTimeout(pending.current);
    };
  }, [load]);
  useEngineEvents((event) => {
    if (!types.includes(event.type)) return;
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => void load(), delayMs);
  });
}
