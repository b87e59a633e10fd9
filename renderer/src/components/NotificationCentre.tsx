import { useCallback, useEffect, useState } from 'react';
import type { AlertView } from '@shared/domain/alerts';
import { CHAIN_LABELS } from '@shared/domain/chains';
import type { EngineEvent } from '@shared/ipc/events';
import type { AppError } from '@shared/result';
import { door, treasury } from '../api';
import { useEngineEvents } from '../store/engine-events';
import { ErrorState } from './States';

/**
 * The bell in the top bar: how many alerts nobody acknowledged yet, and a panel listing them in the officer's
 * words with when they were raised and an Acknowledge button. On the headless host a new alert also shows as
 * a browser notification when the officer allowed them (the desktop app's main process shows its own).
 */
export function NotificationCentre() {
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState(0);
  const [alerts, setAlerts] = useState<AlertView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const refresh = useCallback(async () => {
    const [counts, list] = await Promise.all([treasury.alerts.counts({}), treasury.alerts.list({ limit: 50 })]);
    if (counts.ok) setCount(counts.data.open);
    if (list.ok) {
      setAlerts(list.data);
      setError(null);
    } else setError(list.error);
  }, []);
  useEffect(() => void refresh(), [refresh]);
  useEffect(() => {
    if (door === 'headless') askForBrowserNotifications();
  }, []);
  useEngineEvents((event) => {
    if (event.type !== 'alert.raised' && event.type !== 'alert.acknowledged') return;
    void refresh();
    if (event.type === 'alert.raised' && door === 'headless') showBrowserNotification(event.alert);
  });

  const acknowledge = async (alertId: string) => {
    const result = await treasury.alerts.acknowledge({ alertId });
    if (!result.ok) setError(result.error);
    await refresh();
  };

  const sorted = alerts ? [...alerts.filter((a) => a.state === 'open'), ...alerts.filter((a) => a.state !== 'open')] : [];
  return (
    <div className="notifications">
      <button
        type="button"
        className="notifications__bell"
        aria-label={count === 0 ? 'Alerts: none waiting' : `Alerts: ${count} not acknowledged`}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="alerts-bell"
      >
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {count > 0 && (
          <span className="notifications__count" data-testid="alerts-count">
            {count}
          </span>
        )}
      </button>
      {open && (
        <section className="notifications__panel card" aria-label="Alerts" data-testid="alerts-panel">
          <div className="card__head">
            <h2>Alerts</h2>
            <span className="muted small">{count === 0 ? 'Nothing waiting' : `${count} waiting for acknowledgement`}</span>
          </div>
          {error && <ErrorState error={error} />}
          {sorted.length === 0 && !error && <p className="muted">No alerts so far.</p>}
          <ul className="plain-list notifications__list">
            {sorted.map((alert) => (
              <li key={alert.id} className={alert.state === 'open' ? 'notification notification--open' : 'notification'} data-testid="alert-item" data-kind={alert.kind}>
                <div className="notification__head">
                  <strong>{alert.title}</strong>
                  {alert.chain && <span className="muted small">{CHAIN_LABELS[alert.chain]}</span>}
                </div>
                <p className="notification__message">{alert.message}</p>
                <div className="notification__meta muted small">
                  <span>{new Date(alert.lastRaisedAt).toLocaleString()}</span>
                  {alert.count > 1 && <span> · seen {alert.count} times since {new Date(alert.createdAt).toLocaleString()}</span>}
                  {alert.resolvedAt && <span> · cleared {new Date(alert.resolvedAt).toLocaleString()}</span>}
                </div>
                {alert.state === 'open' ? (
                  <button type="button" className="secondary small" onClick={() => void acknowledge(alert.id)} data-testid="alert-acknowledge">
                    Acknowledge
                  </button>
                ) : (
                  <span className="muted small" data-testid="alert-acknowledged">
                    Acknowledged by {alert.acknowledgedBy} on {new Date(alert.acknowledgedAt!).toLocaleString()}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** Asks once; a browser without the API, or an officer who said no, simply gets the bell alone. */
function askForBrowserNotifications(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

function showBrowserNotification(alert: Extract<EngineEvent, { type: 'alert.raised' }>['alert']): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(alert.title, { body: alert.message, tag: alert.id });
  } catch {
    // Some browsers allow notifications only from a service worker: the bell still counts it.
  }
}
