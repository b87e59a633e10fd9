import { Notification } from 'electron';
import type { EventBus } from '@engine/events';

let unsubscribe: (() => void) | null = null;

/**
 * A new alert shows as the operating system's notification (title and officer words), whichever window is
 * in front; the notification centre in the window lists it too. Follows the engine when it is rebuilt.
 */
export function notifyAlertsOnDesktop(events: Pick<EventBus, 'subscribe'>): void {
  unsubscribe?.();
  unsubscribe = events.subscribe((event) => {
    if (event.type !== 'alert.raised' || !Notification.isSupported()) return;
    new Notification({ title: event.alert.title, body: event.alert.message }).show();
  });
}
