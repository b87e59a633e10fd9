import { useEffect, useRef } from 'react';
import type { EngineEvent } from '@shared/ipc/events';
import { treasury } from '../api';

/** Subscribes a component to the engine's push events for as long as it is mounted. */
export function useEngineEvents(listener: (event: EngineEvent) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => treasury.onEvent((event) => latest.current(event)), []);
}
