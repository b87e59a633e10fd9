import type { EngineEvent } from '@shared/ipc/events';

/** Engine -> doors (Electron main, headless host) fan-out of push events. */
export class EventBus {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed window) must not stop the engine or the other subscribers.
      }
    }
  }
}
