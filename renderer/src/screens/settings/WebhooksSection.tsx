import { useCallback, useEffect, useState } from 'react';
import { WEBHOOK_EVENT_AREAS, type WebhookDeliveryView, type WebhookEndpointView, type WebhookEventArea, type WebhookSubscription } from '@shared/domain/webhooks';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { EmptyState, ErrorState, Loading } from '../../components/States';

const AREA_LABELS: Record<WebhookEventArea, string> = {
  deposit: 'Deposits (seen, confirmed, reversed)',
  withdrawal: 'Withdrawals (every state, success and failure)',
  sweep: 'Sweeps',
  onramp: 'On-ramps',
  offramp: 'Off-ramps',
  kyc: 'KYC decisions',
  alert: 'Alerts',
};

/** "withdrawal.confirmed" as words: "Withdrawal confirmed". */
function eventLabel(type: string): string {
  const text = type.replace('.*', ': all events').replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const STATE_LABELS: Record<WebhookDeliveryView['state'], string> = { pending: 'Waiting to be delivered', delivered: 'Delivered', failed: 'Given up' };

/**
 * Webhooks (Settings, admin): the company's backend hears of deposits, withdrawals, sweeps, ramps, KYC and
 * alerts by signed HTTPS POSTs. Each endpoint's secret is shown once, when it is made or rotated; the
 * delivery log shows every attempt, and a delivered or given-up delivery can be sent again.
 */
export function WebhooksSection() {
  const [endpoints, setEndpoints] = useState<WebhookEndpointView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await treasury.webhooks.list({});
    if (result.ok) {
      setEndpoints(result.data);
      setError(null);
    } else setError(result.error);
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (run: () => Promise<{ ok: true } | { ok: false; error: AppError }>) => {
    const result = await run();
    if (!result.ok) setError(result.error);
    await load();
  };

  return (
    <section className="card" aria-labelledby="webhooks-title" data-testid="settings-webhooks">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted small">
        Your backend is told of each event by a POST signed with the endpoint's secret (header Treasury-Signature), retried for 72 hours, in
        order per endpoint. See the README for checking the signature.
      </p>
      {error && <ErrorState error={error} onRetry={() => void load()} />}
      {secret && (
        <div className="callout stack" role="status" data-testid="webhook-secret">
          <p>
            {secret.rotated ? 'New secret' : 'Secret'} for {secret.url}. Copy it now: it is not shown again.
            {secret.rotated && ' The previous secret keeps signing beside it until the overlap ends.'}
          </p>
          <code className="mono">{secret.secret}</code>
          <button type="button" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </div>
      )}
      {!endpoints && !error && <Loading what="webhooks" />}
      {endpoints && endpoints.length === 0 && <EmptyState title="No webhook endpoints yet." />}
      {endpoints?.map((endpoint) => (
        <div key={endpoint.id} className="stack" data-testid="webhook-endpoint">
          <p>
            <strong>{endpoint.url}</strong> {endpoint.description && <span className="muted">· {endpoint.description}</span>}
          </p>
          <p className="small">
            {endpoint.events.map(eventLabel).join(', ')} · {endpoint.enabled ? 'enabled' : 'disabled'} · {endpoint.pending} waiting
            {endpoint.failed > 0 && <span className="bad"> · {endpoint.failed} given up</span>}
            {endpoint.previousSecretUntil && <span> · previous secret signs until {new Date(endpoint.previousSecretUntil).toLocaleString()}</span>}
          </p>
          <div className="row-form">
            <button type="button" onClick={() => void act(() => treasury.webhooks.update({ endpointId: endpoint.id, enabled: !endpoint.enabled }))}>
              {endpoint.enabled ? 'Disable' : 'Enable'}
            </button>
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const result = await treasury.webhooks.rotateSecret({ endpointId: endpoint.id, overlapHours: 24 });
                  if (result.ok) setSecret({ url: endpoint.url, secret: result.data.secret, rotated: true });
                  return result;
                })
              }
            >
              Rotate secret (24 h overlap)
            </button>
            <button type="button" className="ghost" aria-expanded={open === endpoint.id} onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
              {open === endpoint.id ? 'Hide delivery log' : 'Delivery log'}
            </button>
          </div>
          {open === endpoint.id && <DeliveryLog endpointId={endpoint.id} onChanged={() => void load()} />}
        </div>
      ))}
      <NewEndpointForm
        onCreated={(url, made) => {
          setSecret({ url, secret: made, rotated: false });
          void load();
        }}
      />
    </section>
  );
}

function NewEndpointForm({ onCreated }: { onCreated(url: string, secret: string): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [areas, setAreas] = useState<WebhookEventArea[]>(['deposit', 'withdrawal']);
  const [error, setError] = useState<AppError | null>(null);
  const submit = async () => {
    const events = areas.map((a) => `${a}.*` as WebhookSubscription);
    const result = await treasury.webhooks.create({ url: url.trim(), description, events });
    if (!result.ok) return setError(result.error);
    setError(null);
    setUrl('');
    setDescription('');
    onCreated(result.data.endpoint.url, result.data.secret);
  };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>Add an endpoint</h3>
      {error && <ErrorState error={error} />}
      <label className="field">
        <span>URL</span>
        <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://backend.example.com/treasury-hooks" data-testid="webhook-url" />
      </label>
      <label className="field">
        <span>Description (optional)</span>
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
      </label>
      <fieldset>
        <legend>Events</legend>
        {WEBHOOK_EVENT_AREAS.map((area) => (
          <label key={area} className="field field--checkbox">
            <input type="checkbox" checked={areas.includes(area)} onChange={(e) => setAreas(e.target.checked ? [...areas, area] : areas.filter((a) => a !== area))} />
            <span>{AREA_LABELS[area]}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={url.trim() === '' || areas.length === 0}>
        Add endpoint
      </button>
    </form>
  );
}

function DeliveryLog({ endpointId, onChanged }: { endpointId: string; onChanged(): void }) {
  const [deliveries, setDeliveries] = useState<WebhookDeliveryView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(async () => {
    const result = await treasury.webhooks.deliveries({ endpointId, limit: 50 });
    if (result.ok) setDeliveries(result.data);
    else setError(result.error);
  }, [endpointId]);
  useEffect(() => void load(), [load]);
  const replay = async (deliveryId: string) => {
    const result = await treasury.webhooks.replay({ deliveryId });
    if (!result.ok) setError(result.error);
    await load();
    onChanged();
  };
  if (error) return <ErrorState error={error} onRetry={() => void load()} />;
  if (!deliveries) return <Loading what="the delivery log" />;
  if (deliveries.length === 0) return <EmptyState title="Nothing sent to this endpoint yet." />;
  return (
    <table className="small" data-testid="webhook-deliveries">
      <thead>
        <tr>
          <th>Event</th>
          <th>Made</th>
          <th>State</th>
          <th>Attempts</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id}>
            <td>
              {eventLabel(d.eventType)}
              {d.replayOf && <span className="muted"> (sent again)</span>}
            </td>
            <td>{new Date(d.createdAt).toLocaleString()}</td>
            <td className={d.state === 'failed' ? 'bad' : undefined}>
              {STATE_LABELS[d.state]}
              {d.state === 'pending' && d.attempts > 0 && d.nextAttemptAt && <span> · next try {new Date(d.nextAttemptAt).toLocaleTimeString()}</span>}
            </td>
            <td>
              <ol>
                {d.attemptLog.map((a) => (
                  <li key={a.attempt}>
                    {new Date(a.at).toLocaleTimeString()}: {a.status !== null ? `answered ${a.status}` : 'no answer'}
                    {a.error && a.status === null ? ` (${a.error})` : ''} in {a.durationMs} ms
                  </li>
                ))}
              </ol>
            </td>
            <td>
              {d.state !== 'pending' && (
                <button type="button" onClick={() => void replay(d.id)}>
                  Send again
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
